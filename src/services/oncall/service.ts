/**
 * On-call service: the config declaration of each rotation, the team's chat changes from Redis,
 * and the resolver, put together. Every answer about who is on duty goes through `schedule`, so
 * it always reflects the resolved schedule (overrides, swaps, leave), never the raw rotation
 * (rotation-schedule.ts, which also explains how schedule inputs are cached).
 *
 *   rotation-types.ts      the interface, its options and the change it reports
 *   rotation-shared.ts     config entries, declarations, listeners, `synced`
 *   rotation-schedule.ts   schedule, segments, duty, declAt (cached per rotation)
 *   rotation-changes.ts    sync, overrides, leave, tours, swaps and member edits
 *   rotation-directory.ts  rotations, teams, absences and DM addresses by the config
 */
import { changeOps } from './rotation-changes.js';
import { directoryOps } from './rotation-directory.js';
import { scheduleOps } from './rotation-schedule.js';
import { rotationShared } from './rotation-shared.js';
import type { OncallService, OncallServiceOptions } from './rotation-types.js';

export type { OncallService, OncallServiceOptions, RotationChange } from './rotation-types.js';

export function createOncallService(opts: OncallServiceOptions): OncallService {
  const shared = rotationShared(opts);
  return {
    ...directoryOps(opts, shared),
    ...scheduleOps(opts, shared),
    ...changeOps(opts, shared),
  };
}
