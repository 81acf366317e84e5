/**
 * Saving, changing and deleting cadences, each followed by a re-plan of its timers, and planning
 * every stored cadence at start. The planning itself is in plan.ts.
 */
import { planCadence } from './plan.js';
import type { CadenceShared } from './shared.js';
import type { CadenceService, CadenceServiceOptions } from './types.js';

export function planningOps(opts: CadenceServiceOptions, shared: CadenceShared): Pick<CadenceService, 'create' | 'change' | 'remove' | 'plan' | 'planAll'> {
  const { store, log } = opts;
  const ops: Pick<CadenceService, 'create' | 'change' | 'remove' | 'plan' | 'planAll'> = {
    async create(c) {
      await store.cadences.put(c.name, c);
      await ops.plan(c.name);
    },

    async change(name, fn) {
      const saved = await store.cadences.update(name, fn);
      await ops.plan(name);
      return saved.value;
    },

    async remove(name) {
      const c = await store.cadences.get(name);
      if (!c) return false;
      await shared.cancelPlanned(c.value);
      return store.cadences.delete(name);
    },

    plan: (name) => planCadence(opts, shared, name),

    async planAll() {
      for (const c of await store.cadences.list()) {
        try {
          await ops.plan(c.id);
        } catch (err) {
          log.error({ err, cadence: c.id }, 'cannot plan cadence');
        }
      }
    },
  };
  return ops;
}
