/**
 * Keeps each rotation's on-duty group current (`rotations[].dutyGroup`): a Slack user group whose
 * members are the people on duty, a line in a Mattermost channel header. What counts as on duty
 * is the resolved schedule (overrides, swaps, leave, member edits), never the raw rotation.
 *
 *   oncall-duty-sync   timer id `<rotation>.<instant>`: make every platform show who is on duty
 *                      at that instant (or now, when the worker is late). Requested by the handoff
 *                      timer, by every change to a rotation, at start-up and by the hourly re-plan;
 *                      each run plans the next instant the people on duty change, so a restricted
 *                      rotation going off duty for the night empties the group too.
 *
 * A sync is idempotent and cheap when nothing changed: the fingerprint of what each platform was
 * last made to show is kept in Redis, and an equal one skips the platform call. A rotation is
 * synced by one worker at a time (a Redis lock), so a slower, older run never overwrites a newer
 * one. Failures never reach the handoff: a 429 or a transient error is tried again (after
 * Retry-After, or with backoff) by moving the same timer; anything else is logged with its reason,
 * counted, and shown under `/oncall who` until a later sync succeeds.
 *
 *   duty-group-types.ts     deps, interface, timer payload, lock and retry tuning
 *   duty-group-shared.ts    log, counter, a rotation's targets, `request`
 *   duty-group-now.ts       who is on duty at an instant and when that next changes
 *   duty-group-sync.ts      the oncall-duty-sync timer
 *   duty-group-platform.ts  one platform's sync and its outcome
 */
import { platformsOf, dutyGroupShared } from './duty-group-shared.js';
import { registerDutyGroupSync } from './duty-group-sync.js';
import type { DutyGroupDeps, DutyGroupProblem, DutyGroups } from './duty-group-types.js';

export type { DutyGroupDeps, DutyGroupProblem, DutyGroups } from './duty-group-types.js';

export function createDutyGroups(deps: DutyGroupDeps): DutyGroups {
  const { oncall, store } = deps;
  const shared = dutyGroupShared(deps);
  registerDutyGroupSync(deps, shared);
  return {
    request: shared.request,
    async requestAll() {
      const now = deps.clock();
      for (const e of oncall.entries()) await shared.request(e.id, now);
    },
    async problems(rotationId) {
      const entry = oncall.entry(rotationId);
      if (!entry?.dutyGroup) return [];
      const targets = shared.targetsOf(entry);
      const out: DutyGroupProblem[] = [];
      for (const platform of platformsOf(targets)) {
        if (!deps.adapters.has(platform)) continue;
        const s = await store.status(rotationId, platform);
        // A status about another target predates a config change: not this group's problem.
        if (s?.reason && s.target === targets[platform]!.target) out.push({ platform, target: s.target, reason: s.reason });
      }
      return out;
    },
  };
}
