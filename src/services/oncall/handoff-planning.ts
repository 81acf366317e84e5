/**
 * Planning a rotation's handoff and reminder timers from its resolved schedule: each slot's timers
 * moved to its next handoff (the reminder to the next one to a person), or cancelled when there is
 * none; and the on-duty group sync asked for alongside, whose failure never stops a plan.
 */
import { durationMs } from '../../domain/oncall/config.js';
import { handoffsOf, type Handoff } from '../../domain/oncall/handoffs.js';
import { timerId, WINDOW, type HandoffDeps } from './handoff-types.js';

export type HandoffPlanning = ReturnType<typeof handoffPlanning>;

export function handoffPlanning(deps: HandoffDeps) {
  const { oncall, scheduler } = deps;

  async function handoffsAround(rotationId: string, now: Date) {
    const segs = await oncall.segments(rotationId, new Date(now.getTime() - WINDOW), new Date(now.getTime() + WINDOW), now);
    return { segs, handoffs: handoffsOf(segs) };
  }

  async function plan(rotationId: string, now = deps.clock()): Promise<void> {
    const entry = oncall.entry(rotationId);
    const { handoffs } = entry ? await handoffsAround(rotationId, now) : { handoffs: [] as Handoff[] };
    const slots = new Set([...handoffs.map((h) => h.slot), ...((await oncall.declAt(rotationId, now))?.layers.map((l) => l.slot ?? l.name) ?? [])]);
    for (const slot of slots) {
      const next = handoffs.find((h) => h.slot === slot && h.at.getTime() > now.getTime());
      const id = timerId(rotationId, slot);
      if (next) await scheduler.at('oncall-handoff', id, next.at, { rotationId, slot, at: next.at.getTime() });
      else await scheduler.cancel('oncall-handoff', id);
      const toPerson = handoffs.find((h) => h.slot === slot && h.at.getTime() > now.getTime() && h.to.person !== null);
      if (toPerson && entry) {
        await scheduler.at('oncall-reminder', id, new Date(toPerson.at.getTime() - durationMs(entry.reminderBefore)), { rotationId, slot, at: toPerson.at.getTime() });
      } else {
        await scheduler.cancel('oncall-reminder', id);
      }
    }
  }

  async function planAll(now = deps.clock()): Promise<void> {
    await oncall.sync(now);
    for (const e of oncall.entries()) {
      await plan(e.id, now);
      await syncGroups(e.id, now);
    }
  }

  /** Ask for an on-duty group sync; its failure is logged and never stops a handoff or a plan. */
  async function syncGroups(rotationId: string, at: Date): Promise<void> {
    await deps.dutyGroups?.request(rotationId, at).catch((e: unknown) => deps.log.error({ err: e, rotationId }, 'on-call: requesting an on-duty group sync failed'));
  }

  return { handoffsAround, plan, planAll, syncGroups };
}
