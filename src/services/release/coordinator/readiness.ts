/**
 * A release's readiness: what is still missing, and ticking checklist items and signing off,
 * each checked on the fresh value inside the CAS update (a refusal there changes nothing).
 */
import type { ReleaseActor } from '../../../domain/release/config.js';
import { missing, signOff, tick } from '../../../domain/release/readiness.js';
import { readinessError, type CoordinatorShared } from './shared.js';
import type { ReleaseCoordinator } from './types.js';

export function readinessOps(shared: CoordinatorShared): Pick<ReleaseCoordinator, 'missing' | 'tick' | 'sign'> {
  const { load, scopeOf, change, releasesCfg } = shared;
  return {
    missing(r) {
      return missing(r, releasesCfg().checklist, releasesCfg().signoffs);
    },

    async tick(actor, raw, item, now) {
      const r = await load(raw);
      // Checked on the fresh value inside the CAS update; a refusal there changes nothing.
      return change(r, actor.ref, now, (cur) => {
        try {
          return tick(cur, releasesCfg().checklist, item, actor, scopeOf(cur), now);
        } catch (e) {
          return readinessError(e);
        }
      }, 'updated');
    },

    async sign(actor, raw, as, now) {
      const r = await load(raw);
      let role: ReleaseActor | undefined;
      const result = await change(r, actor.ref, now, (cur) => {
        try {
          const s = signOff(cur, releasesCfg().signoffs, actor, scopeOf(cur), now, as);
          role = s.role;
          return s.release;
        } catch (e) {
          return readinessError(e);
        }
      }, 'updated');
      return { ...result, role: role as ReleaseActor };
    },
  };
}
