/**
 * Answers about who is on duty, all from `schedule`: the resolver's input for a rotation (its
 * declaration versions and every chat change), so they always reflect the resolved schedule
 * (overrides, swaps, leave), never the raw rotation.
 *
 * Schedule inputs are cached per rotation under the stamp they were read at (the rotation
 * record's revision and the absence and tour write counters, see RotationStore.stamp). A query
 * with a cached copy reads the stamp first, in one round trip, and rebuilds only when it moved, so
 * an edit made through any process is seen by the next query everywhere, and an unchanged rotation
 * costs one read. A rebuild reads the records together with the stamp they match (RotationStore.load).
 *
 * Each input covers a window: only the overrides and swaps that can matter in it are read (a
 * rotation may have thousands). A query whose window the cached one covers is a hit; a miss with
 * an unchanged stamp loads the union of both windows, so alternating queries (who is on now, the
 * feed, handoff planning) settle on one load instead of taking turns evicting each other.
 */
import { onDutyAt } from '../../domain/oncall/on-duty.js';
import { resolveSchedule, versionAt, type ScheduleInput } from '../../domain/oncall/resolve.js';
import { changesOf, emptyRotationState, versionsOf, type RotationStateRecord } from '../../store/oncall/records.js';
import type { RotationDecl } from '../../domain/oncall/types.js';
import type { Tour } from '../../store/tour/store.js';
import type { RotationShared } from './rotation-shared.js';
import type { OncallService, OncallServiceOptions } from './rotation-types.js';

const DAY = 86_400_000;
/** How far `duty` looks ahead (its horizon is at most 400 days) and edit previews (190 days). */
const AHEAD = 401 * DAY;
/** Past this span a miss loads the window asked for only, not the union with the cached one. */
const MAX_UNION = 3 * 366 * DAY;
const UNIT_MS = { hours: DAY / 24, days: DAY, weeks: 7 * DAY, months: 31 * DAY } as const;

/** An upper bound of any turn's length in these declarations (a day more for DST), at least 400 days. */
function reachOf(decls: readonly (RotationDecl | undefined)[]): number {
  let longest = 400 * DAY;
  for (const d of decls) for (const l of d?.layers ?? []) longest = Math.max(longest, UNIT_MS[l.turn.unit] * l.turn.count + DAY);
  return longest;
}

interface Cached {
  stamp: string;
  decl: string | undefined;
  people: string[];
  from: number;
  to: number;
  input: ScheduleInput;
}

export function scheduleOps(opts: OncallServiceOptions, shared: RotationShared): Pick<OncallService, 'schedule' | 'segments' | 'duty' | 'declAt'> {
  const { store } = opts;
  const { entry, declOf, declInfo, declKeyOf, synced } = shared;
  const cache = new Map<string, Cached>();

  /** The host team's tours, for a rotation whose record is `state`. */
  const guestsOf = (rotationId: string, state: RotationStateRecord, tours: readonly Tour[]) => {
    const team = entry(rotationId)?.team ?? state.versions[state.versions.length - 1]?.decl.team;
    return team ? tours.filter((t) => t.host === team) : [];
  };

  /**
   * Whose absences a rotation's schedule needs: everyone in any of its versions or queue edits,
   * its guests, and the members of the config's declaration (the version a sync may be about to
   * add, so its absences are read before it is written).
   */
  const peopleOf = (rotationId: string, state: RotationStateRecord, guests: readonly Tour[]) => {
    const people = new Set<string>();
    for (const v of state.versions) for (const l of v.decl.layers) for (const m of l.members) people.add(m);
    for (const e of state.memberEdits) people.add(e.person);
    for (const g of guests) people.add(g.person);
    const e = entry(rotationId);
    if (e) for (const m of declInfo(e).members) people.add(m);
    return people;
  };

  async function schedule(rotationId: string, now: Date, window?: { from: Date; to: Date }): Promise<ScheduleInput> {
    const from = window ? window.from.getTime() : now.getTime();
    const to = window ? window.to.getTime() : now.getTime() + AHEAD;
    const e = entry(rotationId);
    const decl = declKeyOf(e);
    const hit = cache.get(rotationId);
    const covers = hit !== undefined && hit.from <= from && hit.to >= to;
    // A cached copy costs one stamp read; without one there is nothing to compare, so the stamp
    // comes with the records instead (see RotationStore.load).
    if (hit && covers && hit.decl === decl && hit.stamp === (await store.stamp(rotationId))) return hit.input;
    // A day either side, so the next query a little later is still covered.
    let lo = from - DAY;
    let hi = to + DAY;
    if (hit && !covers && Math.max(hi, hit.to) - Math.min(lo, hit.from) <= MAX_UNION) [lo, hi] = [Math.min(lo, hit.from), Math.max(hi, hit.to)];
    // Whose absences to ask for with the record: the people of the last build, or on a first
    // build the config's members; anyone else the record names costs a second read.
    const likely = hit?.people ?? [...peopleOf(rotationId, emptyRotationState(), [])];
    const reach = reachOf([e ? declOf(e) : undefined, ...(hit?.input.versions.map((v) => v.decl) ?? [])]);
    const source = await store.load(rotationId, { from: lo, to: hi, reach }, likely, (s, tours) => peopleOf(rotationId, s, guestsOf(rotationId, s, tours)));
    const { state, changed } = await synced(rotationId, now, source.state);
    const guests = guestsOf(rotationId, state, source.tours);
    const input = { versions: versionsOf(state), changes: changesOf(state, source.absences, guests) };
    // A sync that wrote a new version moved the stamp; the next query caches the new one. A
    // declaration read from the record may have longer turns than the reach used: read again.
    if (changed || reachOf(input.versions.map((v) => v.decl)) > reach) cache.delete(rotationId);
    else cache.set(rotationId, { stamp: source.stamp, decl, people: [...peopleOf(rotationId, state, guests)], from: lo, to: hi, input });
    return input;
  }

  return {
    schedule,
    async segments(rotationId, from, to, now) {
      return resolveSchedule(await schedule(rotationId, now, { from, to }), from, to);
    },
    async duty(rotationId, at) {
      return onDutyAt(await schedule(rotationId, at), at);
    },
    async declAt(rotationId, at) {
      // Versions do not depend on the window: any cached one serves.
      return versionAt((await schedule(rotationId, at, { from: at, to: new Date(at.getTime() + 1) })).versions, at);
    },
  };
}
