/**
 * The `oncall-duty-sync` timer: under the rotation's lock, make every platform show who is on
 * duty at the planned instant (or now, when the worker is late), move the same timer for a retry
 * when a platform asks for one, and plan the next instant the people on duty change.
 */
import { dutyNow } from './duty-group-now.js';
import { syncPlatform } from './duty-group-platform.js';
import { platformsOf, timerId, type DutyGroupShared } from './duty-group-shared.js';
import { KIND, LOCK_MS, LOCK_WAIT_MS, timerData, type DutyGroupDeps } from './duty-group-types.js';

export function registerDutyGroupSync(deps: DutyGroupDeps, shared: DutyGroupShared): void {
  const { oncall, scheduler, store } = deps;
  scheduler.handle(KIND, timerData, async (data) => {
    const entry = oncall.entry(data.rotationId);
    if (!entry?.dutyGroup) return;
    const targets = shared.targetsOf(entry);
    const id = timerId(data.rotationId, data.at);
    const release = await store.lock(entry.id, LOCK_MS);
    if (!release) {
      // Another process is syncing this rotation; look again once it is done (same timer, moved).
      await scheduler.at(KIND, id, new Date(deps.clock().getTime() + LOCK_WAIT_MS), data);
      return;
    }
    let retryMs: number | undefined;
    let next: Date | undefined;
    try {
      // Never earlier than planned; later when the worker was late (who is on duty *now* counts).
      const at = new Date(Math.max(data.at, deps.clock().getTime()));
      const now = await dutyNow(oncall, entry.id, at);
      next = now.nextChange;
      for (const platform of platformsOf(targets)) {
        const outcome = await syncPlatform(deps, shared, { entry, platform, target: targets[platform]!, now, at, attempt: data.attempt });
        if (outcome.retryMs !== undefined) retryMs = Math.max(retryMs ?? 0, outcome.retryMs);
      }
    } finally {
      await release();
    }
    if (retryMs !== undefined) await scheduler.at(KIND, id, new Date(deps.clock().getTime() + retryMs), { ...data, attempt: data.attempt + 1 });
    if (next) await shared.request(entry.id, next);
  });
}
