/**
 * Handoff and reminder timers for rotations.
 *
 *   oncall-handoff   id `<rotation>.<slot>`, due at the next handoff of that slot. The timer's job
 *                    id includes the instant (scheduler.at), so each (rotation, slot, instant)
 *                    fires once; re-planning after a change simply moves the timer.
 *   oncall-reminder  id `<rotation>.<slot>`, due `reminderBefore` ahead of the next handoff to a
 *                    person, DMs the incoming person.
 *   oncall-replan    hourly safety net: re-plans every rotation (a reload by signal, a lost timer).
 *
 * Each handoff, each change and each re-plan also asks for the rotation's on-duty groups to be
 * synced (duty-groups.ts), as a timer of its own so a platform failure stays out of here.
 *
 * At a handoff of the first slot, open support requests nobody acknowledged move to the incoming
 * person (support.handOver, idempotent), and both DMs say which moved and which stay.
 *
 * A firing timer re-reads the resolved schedule and does nothing if the handoff it was planned
 * for no longer exists. Messages go through the delivery queue under keys built from the rotation,
 * slot and instant, so a retried or doubled timer never posts twice.
 *
 *   handoff-types.ts     deps, the planner interface, timer payload, timer ids and delivery keys
 *   handoff-planning.ts  moving each slot's timers to its next handoff
 *   handoff-messages.ts  what the handoff and reminder timers send
 */
import { z } from 'zod';
import { registerHandoffMessages } from './handoff-messages.js';
import { handoffPlanning } from './handoff-planning.js';
import type { HandoffDeps, HandoffPlanner } from './handoff-types.js';

export type { HandoffDeps, HandoffPlanner } from './handoff-types.js';

export function registerHandoffTimers(deps: HandoffDeps): HandoffPlanner {
  const planning = handoffPlanning(deps);
  const { plan, planAll, syncGroups } = planning;
  registerHandoffMessages(deps, planning);

  deps.scheduler.handle('oncall-replan', z.object({}), async () => {
    await planAll();
  });

  deps.oncall.onChange(async (change, now) => {
    // The change is saved already; a failed re-plan is caught up by the hourly oncall-replan.
    await plan(change.rotationId, now).catch((e: unknown) => deps.log.error({ err: e, ...change }, 'on-call: re-planning handoffs failed'));
    // Who is on duty right now may have changed (an override from now, leave, a swap).
    await syncGroups(change.rotationId, now);
  });

  return { plan, planAll };
}
