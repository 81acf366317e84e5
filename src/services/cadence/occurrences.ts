/**
 * Handled occurrences as people meet them: RSVPs (each one a new revision of the announcement
 * with the new counts) and finding the latest handled occurrence (for notes, actions, show).
 */
import { occurrenceKey } from '../../store/cadence/store.js';
import type { OccurrenceState } from '../../domain/cadence/model.js';
import { occurrencesBetween } from '../../domain/cadence/occurrences.js';
import type { CadenceShared } from './shared.js';
import type { CadenceService, CadenceServiceOptions } from './types.js';

export function occurrenceOps(opts: CadenceServiceOptions, shared: CadenceShared): Pick<CadenceService, 'rsvp' | 'lastOccurrence'> {
  const { store } = opts;
  const { now, timing, publish } = shared;
  return {
    async rsvp(name, occurrence, by, choice) {
      const c = await store.cadences.get(name);
      if (!c) return undefined;
      let changed = false;
      let updated: OccurrenceState;
      try {
        updated = (
          await store.occurrences.update(occurrenceKey(name, occurrence), (s) => {
            if (s.rsvp[by.key]?.choice === choice) return s;
            changed = true;
            return { ...s, rsvp: { ...s.rsvp, [by.key]: { choice, name: by.name, roles: by.roles, user: by.user } }, revision: s.revision + 1 };
          })
        ).value;
      } catch (e) {
        if ((e as Error).name === 'RecordNotFoundError') return undefined;
        throw e;
      }
      if (changed) await publish(c.value, updated);
      return updated;
    },

    async lastOccurrence(name) {
      const c = await store.cadences.get(name);
      if (!c) return undefined;
      // The most recent handled occurrence: walk back from now over the recent past.
      const t = now();
      const recent = occurrencesBetween(timing(c.value), new Date(t.getTime() - 400 * 86_400_000), new Date(t.getTime() + 1)).reverse();
      for (const o of recent.slice(0, 60)) {
        const s = await store.occurrences.get(occurrenceKey(name, o.id));
        if (s) return s.value;
      }
      return undefined;
    },
  };
}
