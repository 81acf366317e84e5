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
 * synced (oncall-duty-groups.ts), as a timer of its own so a platform failure stays out of here.
 *
 * At a handoff of the first slot, open support requests nobody acknowledged move to the incoming
 * person (support.handOver, idempotent), and both DMs say which moved and which stay.
 *
 * A firing timer re-reads the resolved schedule and does nothing if the handoff it was planned
 * for no longer exists. Messages go through the delivery queue under keys built from the rotation,
 * slot and instant, so a retried or doubled timer never posts twice.
 */
import { z } from 'zod';
import type { Platform } from '../../chat/port.js';
import { durationMs } from '../../domain/oncall/config.js';
import { handoffsOf, stretchEnd, type Handoff } from '../../domain/oncall/handoffs.js';
import { resolveSchedule } from '../../domain/oncall/resolve.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { DeliveryRequest, DeliveryService, DeliveryTarget } from '../../delivery/service.js';
import type { OncallService } from './service.js';
import type { SupportService } from './support.js';
import type { Scheduler } from '../../delivery/scheduler.js';

const DAY = 86_400_000;
/** How far around an instant to resolve to find handoffs (the previous holder may be weeks back). */
const WINDOW = 70 * DAY;

const timerData = z.object({ rotationId: z.string(), slot: z.string(), at: z.number() });

export interface HandoffDeps {
  oncall: OncallService;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  platforms: () => ReadonlySet<Platform>;
  log: Logger;
  clock: () => Date;
  /** Support requests move to the incoming tribute at each handoff (oncall-support.ts). */
  support?: Pick<SupportService, 'handOver'>;
  /** The rotation's on-duty groups (oncall-duty-groups.ts), synced at each handoff and change. */
  dutyGroups?: { request(rotationId: string, at: Date): Promise<void> };
}

export interface HandoffPlanner {
  /** Move the timers of one rotation to its next handoffs (or cancel them). */
  plan(rotationId: string, now?: Date): Promise<void>;
  planAll(now?: Date): Promise<void>;
}

const timerId = (rotationId: string, slot: string) => `${rotationId}.${slot}`;
const key = (what: string, rotationId: string, slot: string, at: number) => `oncall-${what}-${rotationId}-${slot}-${at}`;

export function registerHandoffTimers(deps: HandoffDeps): HandoffPlanner {
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

  /** DM targets of a configured person on the platforms this bot runs. */
  async function dmTargets(personId: string): Promise<DeliveryTarget[]> {
    const on = deps.platforms();
    return (await oncall.addressesOf(personId)).filter((t) => on.has(t.platform));
  }

  async function teamTargets(rotationId: string): Promise<DeliveryTarget[]> {
    const team = oncall.team(oncall.entry(rotationId)?.team ?? '');
    const on = deps.platforms();
    if (!team?.channels) return [];
    return [
      ...(on.has('slack') ? team.channels.slack.map((channelId) => ({ platform: 'slack' as const, channelId })) : []),
      ...(on.has('mattermost') ? team.channels.mattermost.map((channelId) => ({ platform: 'mattermost' as const, channelId })) : []),
    ];
  }

  scheduler.handle('oncall-handoff', timerData, async (data, ctx) => {
    const at = new Date(data.at);
    const entry = oncall.entry(data.rotationId);
    if (!entry) return;
    const { segs, handoffs } = await handoffsAround(data.rotationId, at);
    const h = handoffs.find((x) => x.slot === data.slot && x.at.getTime() === data.at);
    if (!h) {
      ctx.log.info({ ...data }, 'on-call handoff no longer planned; re-planning');
    } else {
      const team = oncall.team(entry.team);
      const handed = await deps.support?.handOver(data.rotationId, h.slot, h.to.person, at);
      const listed = (r: { id: string; text: string; createdAt: string; ackedBy?: string | undefined }) => ({ id: r.id, text: r.text, since: new Date(r.createdAt), by: r.ackedBy ? `person:${r.ackedBy}` : null });
      const msgData = {
        team: team?.name ?? entry.team,
        slot: h.slot,
        at,
        until: stretchEnd(segs, h),
        incoming: h.to.person === null ? null : `person:${h.to.person}`,
        outgoing: h.from?.person ? `person:${h.from.person}` : null,
        gap: h.to.gap ?? null,
        cover: h.to.person === null ? `${data.rotationId}|${h.slot}|${h.to.start.getTime()}|${h.to.end.getTime()}` : null,
        // Moved to the incoming person, or (a gap) still waiting for someone to take the duty.
        open: [...(handed?.taken ?? []), ...(handed?.waiting ?? [])].map(listed),
        // Acknowledged: they stay with whoever acknowledged them.
        kept: (handed?.kept ?? []).map(listed),
      };
      const requests: DeliveryRequest[] = [];
      const channelMsg = deps.renderer.render('oncall/handoff-channel', msgData);
      for (const target of await teamTargets(data.rotationId)) requests.push({ key: key('ho', data.rotationId, h.slot, data.at), revision: 1, target, message: channelMsg });
      if (h.to.person) {
        const m = deps.renderer.render('oncall/handoff-incoming', msgData);
        for (const target of await dmTargets(h.to.person)) requests.push({ key: key('in', data.rotationId, h.slot, data.at), revision: 1, target, message: m });
      }
      if (h.from?.person && h.from.person !== h.to.person) {
        const m = deps.renderer.render('oncall/handoff-outgoing', msgData);
        for (const target of await dmTargets(h.from.person)) requests.push({ key: key('out', data.rotationId, h.slot, data.at), revision: 1, target, message: m });
      }
      await deps.deliveries.enqueue(requests);
    }
    await syncGroups(data.rotationId, at);
    // Plan from just after this handoff, whatever the worker's clock says.
    await plan(data.rotationId, new Date(Math.max(deps.clock().getTime(), data.at)));
  });

  scheduler.handle('oncall-reminder', timerData, async (data) => {
    const entry = oncall.entry(data.rotationId);
    if (!entry) return;
    const at = new Date(data.at);
    const { segs, handoffs } = await handoffsAround(data.rotationId, at);
    const h = handoffs.find((x) => x.slot === data.slot && x.at.getTime() === data.at);
    if (!h?.to.person) return;
    const message = deps.renderer.render('oncall/reminder', { team: oncall.team(entry.team)?.name ?? entry.team, slot: h.slot, at, until: stretchEnd(segs, h) });
    await deps.deliveries.enqueue((await dmTargets(h.to.person)).map((target) => ({ key: key('rem', data.rotationId, h.slot, data.at), revision: 1, target, message })));
  });

  scheduler.handle('oncall-replan', z.object({}), async () => {
    await planAll();
  });

  oncall.onChange(async (change, now) => {
    // The change is saved already; a failed re-plan is caught up by the hourly oncall-replan.
    await plan(change.rotationId, now).catch((e: unknown) => deps.log.error({ err: e, ...change }, 'on-call: re-planning handoffs failed'));
    // Who is on duty right now may have changed (an override from now, leave, a swap).
    await syncGroups(change.rotationId, now);
  });

  return { plan, planAll };
}
