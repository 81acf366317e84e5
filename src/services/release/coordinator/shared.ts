/**
 * What every part of release coordination shares: the lookups and slot checks, and `change`,
 * which applies a change to a release with a CAS update (so concurrent ticks and sign-offs never
 * overwrite each other), settles its status and reports it. Domain refusals become the
 * framework's coded errors, so handlers can let them through.
 */
import { missing, ReadinessError, settle } from '../../../domain/release/readiness.js';
import type { Release } from '../../../domain/release/release.js';
import { ForbiddenError, InputError } from '../../../errors.js';
import type { Duration } from '../../../time/when.js';
import { releaseLookups } from './lookups.js';
import { slotChecks } from './slots.js';
import type { ChangeKind, ChangeResult, CoordinatorDeps } from './types.js';

const durationOf = (r: Release): Duration => ({ ms: Date.parse(r.end) - Date.parse(r.start) });

/** A readiness refusal as the coded error a handler shows; anything else as it is. */
export const readinessError = (e: unknown): never => {
  if (e instanceof ReadinessError) throw e.kind === 'forbidden' ? new ForbiddenError(e.message) : new InputError(e.parts ?? e.message);
  throw e;
};

export type CoordinatorShared = ReturnType<typeof coordinatorShared>;

export function coordinatorShared(deps: CoordinatorDeps) {
  const lookups = releaseLookups(deps);
  const slots = slotChecks(deps, lookups);
  const { releasesCfg } = lookups;
  const { check } = slots;

  /** Apply `fn` under CAS, then settle the status (confirmed iff complete and conflict-free). */
  const change = async (r: Release, by: string, now: Date, fn: (cur: Release) => Release, kind: ChangeKind): Promise<ChangeResult> => {
    const stored = await deps.store.releases.update(r.id, (cur) => fn(cur));
    let release = stored.value;
    const slotCheck = await check(release.env, { start: new Date(release.start), end: new Date(release.end) }, release.id, durationOf(release), now);
    const m = missing(release, releasesCfg().checklist, releasesCfg().signoffs);
    const settled = settle(release, m.items.length === 0 && m.signoffs.length === 0, slotCheck.conflicts.length === 0 && slotCheck.inHours, by, now);
    let effective = kind;
    if (settled !== release) {
      release = (await deps.store.releases.update(release.id, (cur) => settle(cur, m.items.length === 0 && m.signoffs.length === 0, slotCheck.conflicts.length === 0 && slotCheck.inHours, by, now))).value;
      if (release.status === 'confirmed' && kind === 'updated') effective = 'confirmed';
    }
    await deps.changed?.(release, effective, now);
    return { release, check: slotCheck };
  };

  return { ...lookups, ...slots, change };
}
