/**
 * Support routing: a request goes to the team's channels addressed to the current tribute, with
 * Ack / Resolve buttons. Not acknowledged within the rotation's `supportSla`, whoever is on duty
 * then is re-notified (and holds it); after another SLA it escalates to the next layer's holder,
 * or to the team's managers when there is none. Timers: `oncall-support-sla`, id = request id
 * (one pending stage). The channel post is one delivery key edited by revision, so every platform
 * copy shows the state.
 *
 * Hand-over: at each handoff of the rotation's first slot, open requests nobody has acknowledged
 * move to the incoming tribute (kept in `holders`). An acknowledged request stays with whoever
 * acknowledged it: they said "I have it" and carry its context; moving it would silently hand
 * half-done work to someone who never saw it.
 */
import { randomUUID } from 'node:crypto';
import { Histogram } from 'prom-client';
import { z } from 'zod';
import type { Platform } from '../../chat/port.js';
import { durationMs } from '../../domain/oncall/config.js';
import { supportStats, type SupportStats } from '../../domain/oncall/support-stats.js';
import type { Metrics } from '../../metrics.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { SupportRequest, SupportStore } from '../../store/oncall/support-store.js';
import type { DeliveryRequest, DeliveryService, DeliveryTarget } from '../../delivery/service.js';
import type { OncallService } from './service.js';
import { oncallTargets } from './targets.js';
import type { Scheduler } from '../../delivery/scheduler.js';

export interface SupportDeps {
  store: SupportStore;
  oncall: OncallService;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  platforms: () => ReadonlySet<Platform>;
  log: Logger;
  clock: () => Date;
  metrics?: Metrics;
}

export interface SupportService {
  create(input: { team: string; text: string; asker: SupportRequest['asker'] }, now: Date): Promise<SupportRequest>;
  ack(id: string, person: string, now: Date): Promise<SupportRequest>;
  resolve(id: string, person: string, now: Date): Promise<SupportRequest>;
  get(id: string): Promise<SupportRequest | undefined>;
  open(team: string): Promise<SupportRequest[]>;
  /**
   * The handoff of `slot` in `rotationId` to `to` (null: a gap) at `at`. Idempotent: running it
   * again moves nothing more and reports the same requests, so a doubled handoff timer is harmless.
   */
  handOver(rotationId: string, slot: string, to: string | null, at: Date): Promise<HandOver>;
  /** Time to ack and to resolve of a team's requests created in `[from, to)`, for `/oncall stats`. */
  stats(team: string, from: Date, to: Date): Promise<SupportStats>;
}

export interface HandOver {
  /** Open, unacknowledged requests the incoming tribute holds now (moved now or before). */
  taken: SupportRequest[];
  /** Open, unacknowledged requests left where they were because nobody comes on duty (a gap). */
  waiting: SupportRequest[];
  /** Open requests acknowledged by someone: they stay with whoever acknowledged them. */
  kept: SupportRequest[];
}

const slaData = z.object({ id: z.string(), stage: z.int().min(1).max(2) });
const postKey = (id: string) => `oncall-sup-${id}`;

export function createSupportService(deps: SupportDeps): SupportService {
  const { store, oncall } = deps;
  const buckets = [60, 300, 900, 1800, 3600, 4 * 3600, 24 * 3600];
  const registers = deps.metrics ? [deps.metrics.registry] : [];
  const toAck = new Histogram({ name: 'day2_support_time_to_ack_seconds', help: 'Support requests: time from creation to acknowledgement', labelNames: ['team'], buckets, registers });
  const toResolve = new Histogram({ name: 'day2_support_time_to_resolve_seconds', help: 'Support requests: time from creation to resolution', labelNames: ['team'], buckets, registers });
  const since = (r: SupportRequest, at: Date) => Math.max(0, (at.getTime() - Date.parse(r.createdAt)) / 1000);

  const targets = oncallTargets(oncall, deps.platforms);
  const supportTargets = (teamId: string): DeliveryTarget[] => targets.support(teamId);
  const dms = (person: string) => targets.person(person);
  const view = (r: SupportRequest) => ({
    id: r.id,
    team: oncall.team(r.team)?.name ?? r.team,
    text: r.text,
    asker: r.asker.personId ? `person:${r.asker.personId}` : `${r.asker.platform}:${r.asker.userId}`,
    assignee: r.assignee ? `person:${r.assignee}` : null,
    createdAt: new Date(r.createdAt),
    acked: r.ackedBy ? { by: `person:${r.ackedBy}`, at: new Date(r.ackedAt!) } : null,
    resolved: r.resolvedBy ? { by: `person:${r.resolvedBy}`, at: new Date(r.resolvedAt!) } : null,
    escalated: r.escalatedTo.map((p) => `person:${p}`),
  });
  const postRequests = (r: SupportRequest): DeliveryRequest[] => {
    const message = deps.renderer.render('support/request', view(r));
    return supportTargets(r.team).map((target) => ({ key: postKey(r.id), revision: r.revision, target, message }));
  };
  const slaMs = (r: SupportRequest) => durationMs(oncall.entry(r.rotationId)?.supportSla ?? '15m');
  /** The holder of the first slot at `at`: who new requests go to and who takes open ones over. */
  const firstSlot = async (rotationId: string, at: Date) => (await oncall.duty(rotationId, at))[0];
  /** Address an open, unacknowledged request to `to`; a request already theirs is left as it is. */
  const moveTo = async (r: SupportRequest, to: string, at: Date): Promise<SupportRequest> => {
    const stays = (x: SupportRequest) => x.assignee === to || !!x.ackedAt || !!x.resolvedAt;
    if (stays(r)) return r;
    return store.update(r.id, (x) => (stays(x) ? x : { ...x, assignee: to, holders: [...x.holders, { person: to, from: at.toISOString() }], revision: x.revision + 1 }));
  };

  deps.scheduler.handle('oncall-support-sla', slaData, async (data) => {
    const stored = await store.get(data.id);
    if (!stored || stored.ackedAt || stored.resolvedAt || stored.stage >= data.stage) return;
    let r = stored;
    const now = deps.clock();
    let targets: string[] = [];
    if (data.stage === 1) {
      // Whoever is on duty now, not whoever was when it was asked: a handoff (or a cover) since
      // then makes it theirs, as the handoff itself does.
      const onDuty = (await firstSlot(r.rotationId, now))?.current?.person;
      if (onDuty) r = await moveTo(r, onDuty, now);
      targets = r.assignee ? [r.assignee] : [];
    } else {
      // Escalate: whoever holds the next slot now, else the team's managers.
      const duty = await oncall.duty(r.rotationId, now);
      const next = duty.slice(1).map((d) => d.current?.person).find((p): p is string => !!p && p !== stored.assignee);
      targets = next ? [next] : (oncall.team(r.team)?.managers ?? []);
    }
    const updated = await store.update(r.id, (x) => ({ ...x, stage: data.stage, escalatedTo: data.stage === 2 ? targets : x.escalatedTo, revision: x.revision + 1 }));
    const reply = deps.renderer.render(data.stage === 1 ? 'support/renotify' : 'support/escalated', { ...view(updated), to: targets.map((p) => `person:${p}`) });
    const requests: DeliveryRequest[] = [...postRequests(updated)];
    for (const target of supportTargets(r.team)) requests.push({ key: `${postKey(r.id)}-s${data.stage}`, revision: 1, target, parentKey: postKey(r.id), message: reply });
    for (const p of targets) for (const target of await dms(p)) requests.push({ key: `${postKey(r.id)}-s${data.stage}-dm`, revision: 1, target, message: reply });
    await deps.deliveries.enqueue(requests);
    if (data.stage === 1) await deps.scheduler.at('oncall-support-sla', r.id, new Date(now.getTime() + slaMs(r)), { id: r.id, stage: 2 });
  });

  return {
    async create(input, now) {
      const entry = oncall.entryForTeam(input.team);
      if (!entry) throw new Error(`team ${input.team} has no rotation`);
      const assignee = (await firstSlot(entry.id, now))?.current?.person ?? null;
      const createdAt = now.toISOString();
      const r: SupportRequest = { id: randomUUID().slice(0, 8), team: input.team, rotationId: entry.id, text: input.text, asker: input.asker, createdAt, assignee, holders: [{ person: assignee, from: createdAt }], stage: 0, escalatedTo: [], revision: 1 };
      await store.create(r);
      const requests = postRequests(r);
      if (assignee) {
        const dm = deps.renderer.render('support/assigned', view(r));
        for (const target of await dms(assignee)) requests.push({ key: `${postKey(r.id)}-dm`, revision: 1, target, message: dm });
      }
      await deps.deliveries.enqueue(requests);
      await deps.scheduler.at('oncall-support-sla', r.id, new Date(now.getTime() + slaMs(r)), { id: r.id, stage: 1 });
      return r;
    },
    async ack(id, person, now) {
      const before = await store.get(id);
      const r = await store.update(id, (x) => (x.ackedAt ? x : { ...x, ackedAt: now.toISOString(), ackedBy: person, revision: x.revision + 1 }));
      await deps.scheduler.cancel('oncall-support-sla', id);
      if (before && !before.ackedAt) toAck.observe({ team: r.team }, since(r, now));
      await deps.deliveries.enqueue(postRequests(r));
      return r;
    },
    async resolve(id, person, now) {
      const before = await store.get(id);
      const r = await store.update(id, (x) => (x.resolvedAt ? x : { ...x, ackedAt: x.ackedAt ?? now.toISOString(), ackedBy: x.ackedBy ?? person, resolvedAt: now.toISOString(), resolvedBy: person, revision: x.revision + 1 }));
      await deps.scheduler.cancel('oncall-support-sla', id);
      if (before && !before.ackedAt) toAck.observe({ team: r.team }, since(r, now));
      if (before && !before.resolvedAt) toResolve.observe({ team: r.team }, since(r, now));
      const requests = postRequests(r);
      if (r.asker.platform !== 'console') {
        const message = deps.renderer.render('support/resolved', view(r));
        requests.push({ key: `${postKey(r.id)}-done`, revision: 1, target: { platform: r.asker.platform, userId: r.asker.userId }, message });
      }
      await deps.deliveries.enqueue(requests);
      return r;
    },
    get: (id) => store.get(id),
    open: (team) => store.open(team),
    async handOver(rotationId, slot, to, at) {
      const entry = oncall.entry(rotationId);
      const out: HandOver = { taken: [], waiting: [], kept: [] };
      // Requests are addressed to the first slot only; a secondary's handoff moves nothing.
      if (!entry || (await firstSlot(rotationId, at))?.slot !== slot) return out;
      for (const r of await store.open(entry.team)) {
        if (r.ackedAt) out.kept.push(r);
        else if (to === null) out.waiting.push(r);
        else out.taken.push(await moveTo(r, to, at));
      }
      // The channel post names the holder: edit it. Delivered revisions are skipped, so a second
      // run (or a request moved by an earlier run) sends nothing twice.
      if (out.taken.length > 0) await deps.deliveries.enqueue(out.taken.flatMap(postRequests));
      return out;
    },
    async stats(team, from, to) {
      const samples = (await store.createdIn(team, from, to)).map((r) => ({
        createdAt: new Date(r.createdAt),
        assignee: r.assignee,
        ...(r.ackedAt ? { ackedAt: new Date(r.ackedAt) } : {}),
        ...(r.resolvedAt ? { resolvedAt: new Date(r.resolvedAt) } : {}),
      }));
      return supportStats(samples, from, to);
    },
  };
}
