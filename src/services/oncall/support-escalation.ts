/**
 * The SLA timer (`oncall-support-sla`, id = request id, one pending stage). Not acknowledged
 * within the rotation's `supportSla`, whoever is on duty then is re-notified (and holds it);
 * after another SLA it escalates to the next layer's holder, or to the team's managers when there
 * is none. Each stage edits the channel post and adds a thread reply and DMs.
 */
import type { DeliveryRequest } from '../../delivery/service.js';
import type { SupportRequest } from '../../store/oncall/support-store.js';
import type { SupportShared } from './support-shared.js';
import { postKey, SLA_TIMER, slaData, type SlaTimer, type SupportDeps } from './support-types.js';

export function registerSupportEscalation(deps: SupportDeps, shared: SupportShared): void {
  const { store, oncall } = deps;
  const { supportTargets, dms, view, postRequests, slaMs, firstSlot, moveTo } = shared;

  /** Stage 1: the request, moved to whoever is on duty now, and who to re-notify. */
  const renotify = async (r: SupportRequest, now: Date): Promise<{ r: SupportRequest; targets: string[] }> => {
    // Whoever is on duty now, not whoever was when it was asked: a handoff (or a cover) since
    // then makes it theirs, as the handoff itself does.
    const onDuty = (await firstSlot(r.rotationId, now))?.current?.person;
    const moved = onDuty ? await moveTo(r, onDuty, now) : r;
    return { r: moved, targets: moved.assignee ? [moved.assignee] : [] };
  };

  /** Stage 2: who to escalate to. */
  const escalateTo = async (r: SupportRequest, now: Date): Promise<string[]> => {
    // Escalate: whoever holds the next slot now, else the team's managers.
    const duty = await oncall.duty(r.rotationId, now);
    const next = duty.slice(1).map((d) => d.current?.person).find((p): p is string => !!p && p !== r.assignee);
    return next ? [next] : (oncall.team(r.team)?.managers ?? []);
  };

  /** The edited channel post, the thread reply and the DMs of a stage. */
  const stageRequests = async (updated: SupportRequest, stage: SlaTimer['stage'], targets: string[]): Promise<DeliveryRequest[]> => {
    const reply = deps.renderer.render(stage === 1 ? 'support/renotify' : 'support/escalated', { ...view(updated), to: targets.map((p) => `person:${p}`) });
    const requests: DeliveryRequest[] = [...postRequests(updated)];
    for (const target of supportTargets(updated.team)) requests.push({ key: `${postKey(updated.id)}-s${stage}`, revision: 1, target, parentKey: postKey(updated.id), message: reply });
    for (const p of targets) for (const target of await dms(p)) requests.push({ key: `${postKey(updated.id)}-s${stage}-dm`, revision: 1, target, message: reply });
    return requests;
  };

  deps.scheduler.handle(SLA_TIMER, slaData, async (data) => {
    const stored = await store.get(data.id);
    if (!stored || stored.ackedAt || stored.resolvedAt || stored.stage >= data.stage) return;
    const now = deps.clock();
    const { r, targets } = data.stage === 1 ? await renotify(stored, now) : { r: stored, targets: await escalateTo(stored, now) };
    const updated = await store.update(r.id, (x) => ({ ...x, stage: data.stage, escalatedTo: data.stage === 2 ? targets : x.escalatedTo, revision: x.revision + 1 }));
    await deps.deliveries.enqueue(await stageRequests(updated, data.stage, targets));
    if (data.stage === 1) await deps.scheduler.at(SLA_TIMER, r.id, new Date(now.getTime() + slaMs(r)), { id: r.id, stage: 2 });
  });
}
