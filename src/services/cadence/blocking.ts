/**
 * Blocking cadences as calendar events: the occurrences of cadences marked blocking that overlap
 * a time range, for release coordination's conflict checks.
 */
import { occurrenceKey } from '../../store/cadence/store.js';
import { occurrencesBetween } from '../../domain/cadence/occurrences.js';
import { lengthMs } from '../../domain/cadence/reminders.js';
import type { CadenceShared } from './shared.js';
import type { BlockingEvent, CadenceService, CadenceServiceOptions } from './types.js';

export function blockingOps(opts: CadenceServiceOptions, shared: CadenceShared): Pick<CadenceService, 'blockingEvents'> {
  const { store } = opts;
  const { timing } = shared;
  return {
    async blockingEvents(env, from, to) {
      const out: BlockingEvent[] = [];
      for (const { value: c } of await store.cadences.list()) {
        if (!c.blocking || c.paused) continue;
        if (env !== undefined && c.environments.length > 0 && !c.environments.includes(env)) continue;
        const len = lengthMs(c.duration);
        // An occurrence that started before `from` may still be running.
        for (const o of occurrencesBetween(timing(c), new Date(from.getTime() - len), to)) {
          const end = new Date(o.at.getTime() + len);
          if (end.getTime() <= from.getTime()) continue;
          out.push({ id: occurrenceKey(c.name, o.id), owner: 'cadence', cadence: c.name, title: c.title ?? c.name, occurrence: o.id, start: o.at, end, environments: c.environments });
        }
      }
      return out.sort((a, b) => a.start.getTime() - b.start.getTime());
    },
  };
}
