/**
 * An environment's platform calendar and slot checks: everything that blocks a release there
 * (own freezes, recurring freezes from config, other releases, and the PlatformCalendar port for
 * maintenance windows and blocking cadence events), the conflicts of a slot, whether it is within
 * release hours, and free slots to suggest instead.
 */
import type { Config } from '../../../config.js';
import type { Blocker, Interval } from '../../../domain/release/blockers.js';
import { calendarBlockers } from '../../../domain/release/calendar-port.js';
import { findConflicts } from '../../../domain/release/conflicts.js';
import { withinReleaseHours } from '../../../domain/release/hours.js';
import { recurringFreezeBlockers } from '../../../domain/release/recurring-freezes.js';
import { DEFAULT_HORIZON_DAYS, nextFreeSlots } from '../../../domain/release/slots.js';
import type { Duration } from '../../../time/when.js';
import type { ReleaseLookups } from './lookups.js';
import type { CoordinatorDeps, SlotCheck } from './types.js';

const DAY = 86_400_000;

/** Owners as people read them: a configured person's name, anything else as it is. */
function ownerName(cfg: Config, ref: string): string {
  if (!ref.startsWith('person:')) return ref;
  const id = ref.slice('person:'.length);
  return cfg.people.find((p) => p.id === id)?.name ?? id;
}

export type SlotChecks = ReturnType<typeof slotChecks>;

export function slotChecks(deps: CoordinatorDeps, lookups: ReleaseLookups) {
  const { envInfo, allReleases, releasesCfg, appName } = lookups;

  const blockers = async (envId: string, from: Date, to: Date): Promise<Blocker[]> => {
    const { zone } = envInfo(envId);
    const [freezes, releases, external] = await Promise.all([deps.store.freezes.list(), allReleases(), calendarBlockers(deps.calendar(), envId, from, to)]);
    const own: Blocker[] = freezes
      .map((f) => f.value)
      .filter((f) => f.env === envId)
      .map((f) => ({ kind: 'freeze', id: f.id, title: f.reason, owner: ownerName(deps.config(), f.by), start: new Date(f.start), end: new Date(f.end) }));
    const others: Blocker[] = releases
      // Done releases stay on the calendar (and count for spacing); cancelled ones are gone.
      .filter((r) => r.env === envId && r.status !== 'cancelled')
      .map((r) => ({ kind: 'release', id: r.id, title: `${appName(r.app)} ${r.version}`, owner: ownerName(deps.config(), r.proposedBy), start: new Date(r.start), end: new Date(r.end) }));
    return [...own, ...recurringFreezeBlockers(releasesCfg().recurringFreezes, envId, zone, from, to), ...others, ...external];
  };

  const check = async (envId: string, slot: Interval, self: string | undefined, duration: Duration, now: Date): Promise<SlotCheck> => {
    const { zone, policy } = envInfo(envId);
    const rules = { spacingMs: policy.spacingMs, ...(self ? { self } : {}) };
    const horizonEnd = new Date(Math.max(slot.end.getTime(), now.getTime()) + (DEFAULT_HORIZON_DAYS + 2) * DAY + policy.spacingMs);
    const all = await blockers(envId, new Date(Math.min(slot.start.getTime(), now.getTime()) - policy.spacingMs - DAY), horizonEnd);
    const conflicts = findConflicts(slot, all, rules);
    const inHours = withinReleaseHours(slot, policy.hours, zone);
    const suggestions = conflicts.length || !inHours ? nextFreeSlots({ after: now, duration, zone, hours: policy.hours, blockers: all, rules }) : [];
    return { conflicts, inHours, suggestions };
  };

  return { blockers, check };
}
