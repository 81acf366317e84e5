/**
 * Release coordination: gathers an environment's platform calendar (own freezes, recurring
 * freezes from config, other releases, and the PlatformCalendar port for maintenance windows and
 * blocking cadence events), checks conflicts, suggests free slots, and applies every change to a
 * release with a CAS update so concurrent ticks and sign-offs never overwrite each other. Errors
 * are the framework's coded errors, so handlers can let them through.
 *
 * The parts live in coordinator/: lookups and slot checks (shared by all), proposals, the
 * lifecycle after it (reschedule, cancel, outcome), readiness (ticks and sign-offs), freezes and
 * read-only queries.
 */
import { freezeOps } from './coordinator/freezes.js';
import { lifecycleOps } from './coordinator/lifecycle.js';
import { proposalOps } from './coordinator/proposals.js';
import { queryOps } from './coordinator/queries.js';
import { readinessOps } from './coordinator/readiness.js';
import { coordinatorShared } from './coordinator/shared.js';
import type { CoordinatorDeps, ReleaseCoordinator } from './coordinator/types.js';

export type { Actor, ChangeKind, ChangeResult, CoordinatorDeps, EnvInfo, ReleaseCoordinator, SlotCheck } from './coordinator/types.js';

export function createReleaseCoordinator(deps: CoordinatorDeps): ReleaseCoordinator {
  const shared = coordinatorShared(deps);
  return {
    envInfo: shared.envInfo,
    appInfo: shared.appInfo,
    load: shared.load,
    blockers: shared.blockers,
    scopeOf: shared.scopeOf,
    ...readinessOps(shared),
    ...proposalOps(deps, shared),
    ...lifecycleOps(deps, shared),
    ...freezeOps(deps, shared),
    ...queryOps(shared),
  };
}
