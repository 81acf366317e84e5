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
 */
import { onDutyAt } from '../../domain/oncall/on-duty.js';
import { resolveSchedule, versionAt, type ScheduleInput } from '../../domain/oncall/resolve.js';
import { changesOf, emptyRotationState, versionsOf, type RotationStateRecord } from '../../store/oncall/records.js';
import type { Tour } from '../../store/tour/store.js';
import type { RotationShared } from './rotation-shared.js';
import type { OncallService, OncallServiceOptions } from './rotation-types.js';

export function scheduleOps(opts: OncallServiceOptions, shared: RotationShared): Pick<OncallService, 'schedule' | 'segments' | 'duty' | 'declAt'> {
  const { store } = opts;
  const { entry, declInfo, declKeyOf, synced } = shared;
  const cache = new Map<string, { stamp: string; decl: string | undefined; people: string[]; input: ScheduleInput }>();

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

  async function schedule(rotationId: string, now: Date): Promise<ScheduleInput> {
    const decl = declKeyOf(entry(rotationId));
    const hit = cache.get(rotationId);
    // A cached copy costs one stamp read; without one there is nothing to compare, so the stamp
    // comes with the records instead (see RotationStore.load).
    if (hit && hit.decl === decl && hit.stamp === (await store.stamp(rotationId))) return hit.input;
    // Whose absences to ask for with the record: the people of the last build, or on a first
    // build the config's members; anyone else the record names costs a second read.
    const likely = hit?.people ?? [...peopleOf(rotationId, emptyRotationState(), [])];
    const source = await store.load(rotationId, likely, (s, tours) => peopleOf(rotationId, s, guestsOf(rotationId, s, tours)));
    const { state, changed } = await synced(rotationId, now, source.state);
    const guests = guestsOf(rotationId, state, source.tours);
    const input = { versions: versionsOf(state), changes: changesOf(state, source.absences, guests) };
    // A sync that wrote a new version moved the stamp; the next query caches the new one.
    if (changed) cache.delete(rotationId);
    else cache.set(rotationId, { stamp: source.stamp, decl, people: [...peopleOf(rotationId, state, guests)], input });
    return input;
  }

  return {
    schedule,
    async segments(rotationId, from, to, now) {
      return resolveSchedule(await schedule(rotationId, now), from, to);
    },
    async duty(rotationId, at) {
      return onDutyAt(await schedule(rotationId, at), at);
    },
    async declAt(rotationId, at) {
      return versionAt((await schedule(rotationId, at)).versions, at);
    },
  };
}
