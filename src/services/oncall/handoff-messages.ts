/**
 * What a firing handoff or reminder timer sends. A handoff re-reads the resolved schedule, hands
 * open support requests and unacknowledged alert pages over (first slot only, see
 * support-handover.ts and src/services/alert/handover.ts), and posts to the team's
 * channels and DMs the incoming and outgoing people; a reminder DMs the incoming person. Keys are
 * built from the rotation, slot and instant, so a retried or doubled timer never posts twice.
 */
import type { RotationEntry } from '../../domain/oncall/config.js';
import { stretchEnd, type Handoff } from '../../domain/oncall/handoffs.js';
import type { Segment } from '../../domain/oncall/types.js';
import type { DeliveryRequest } from '../../delivery/service.js';
import type { Logger } from '../../log.js';
import type { HandoffPlanning } from './handoff-planning.js';
import { key, timerData, type HandoffDeps, type HandoffTimer } from './handoff-types.js';
import type { HandOver } from './support.js';
import { oncallTargets } from './targets.js';

type Listed = { id: string; text: string; createdAt: string; ackedBy?: string | undefined };
const listed = (r: Listed) => ({ id: r.id, text: r.text, since: new Date(r.createdAt), by: r.ackedBy ? `person:${r.ackedBy}` : null });

export function registerHandoffMessages(deps: HandoffDeps, planning: HandoffPlanning): void {
  const { oncall, scheduler } = deps;
  const { handoffsAround, plan, syncGroups } = planning;
  const targets = oncallTargets(oncall, deps.platforms);

  /** What the handoff templates get. */
  const messageData = (entry: RotationEntry, data: HandoffTimer, segs: Segment[], h: Handoff, handed: HandOver | undefined) => ({
    team: oncall.team(entry.team)?.name ?? entry.team,
    slot: h.slot,
    at: new Date(data.at),
    until: stretchEnd(segs, h),
    incoming: h.to.person === null ? null : `person:${h.to.person}`,
    outgoing: h.from?.person ? `person:${h.from.person}` : null,
    gap: h.to.gap ?? null,
    cover: h.to.person === null ? `${data.rotationId}|${h.slot}|${h.to.start.getTime()}|${h.to.end.getTime()}` : null,
    // Moved to the incoming person, or (a gap) still waiting for someone to take the duty.
    open: [...(handed?.taken ?? []), ...(handed?.waiting ?? [])].map(listed),
    // Acknowledged: they stay with whoever acknowledged them.
    kept: (handed?.kept ?? []).map(listed),
  });

  /** The channel post and the incoming and outgoing DMs of a handoff. */
  const handoffRequests = async (entry: RotationEntry, data: HandoffTimer, h: Handoff, msgData: ReturnType<typeof messageData>): Promise<DeliveryRequest[]> => {
    const requests: DeliveryRequest[] = [];
    const channelMsg = deps.renderer.render('oncall/handoff-channel', msgData);
    for (const target of targets.team(entry.team)) requests.push({ key: key('ho', data.rotationId, h.slot, data.at), revision: 1, target, message: channelMsg });
    if (h.to.person) {
      const m = deps.renderer.render('oncall/handoff-incoming', msgData);
      for (const target of await targets.person(h.to.person)) requests.push({ key: key('in', data.rotationId, h.slot, data.at), revision: 1, target, message: m });
    }
    if (h.from?.person && h.from.person !== h.to.person) {
      const m = deps.renderer.render('oncall/handoff-outgoing', msgData);
      for (const target of await targets.person(h.from.person)) requests.push({ key: key('out', data.rotationId, h.slot, data.at), revision: 1, target, message: m });
    }
    return requests;
  };

  /** Pages go to the first layer's holder, so only that slot's handoff moves them; a failure is logged, the handoff goes on. */
  const handOverPages = async (entry: RotationEntry, h: Handoff, at: Date, log: Logger) => {
    if (!deps.pages || !h.to.person || (await oncall.duty(entry.id, at))[0]?.slot !== h.slot) return;
    await deps.pages.handOver(entry.id, entry.team, h.to.person, at).catch((err: unknown) => log.warn({ err, rotation: entry.id }, 'on-call: moving open alert pages at the handoff failed'));
  };

  scheduler.handle('oncall-handoff', timerData, async (data, ctx) => {
    const at = new Date(data.at);
    const entry = oncall.entry(data.rotationId);
    if (!entry) return;
    const { segs, handoffs } = await handoffsAround(data.rotationId, at);
    const h = handoffs.find((x) => x.slot === data.slot && x.at.getTime() === data.at);
    if (!h) {
      ctx.log.info({ ...data }, 'on-call handoff no longer planned; re-planning');
    } else {
      const handed = await deps.support?.handOver(data.rotationId, h.slot, h.to.person, at);
      await handOverPages(entry, h, at, ctx.log);
      await deps.deliveries.enqueue(await handoffRequests(entry, data, h, messageData(entry, data, segs, h, handed)));
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
    await deps.deliveries.enqueue((await targets.person(h.to.person)).map((target) => ({ key: key('rem', data.rotationId, h.slot, data.at), revision: 1, target, message })));
  });
}
