/**
 * A support request's own life: created and addressed to the first slot's holder (with a DM and
 * the SLA timer), acknowledged, resolved (the asker is told), and read back: one request, a
 * team's open ones, and the time-to-ack and time-to-resolve stats.
 */
import { randomUUID } from 'node:crypto';
import { supportStats } from '../../domain/oncall/support-stats.js';
import type { SupportRequest } from '../../store/oncall/support-store.js';
import type { SupportShared } from './support-shared.js';
import { postKey, SLA_TIMER, type SupportDeps, type SupportService } from './support-types.js';

type RequestOps = Pick<SupportService, 'create' | 'ack' | 'resolve' | 'get' | 'open' | 'stats'>;

export function requestOps(deps: SupportDeps, shared: SupportShared): RequestOps {
  const { store, oncall } = deps;
  const { toAck, toResolve, since, dms, view, postRequests, slaMs, firstSlot } = shared;
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
      await deps.scheduler.at(SLA_TIMER, r.id, new Date(now.getTime() + slaMs(r)), { id: r.id, stage: 1 });
      return r;
    },
    async ack(id, person, now) {
      const before = await store.get(id);
      const r = await store.update(id, (x) => (x.ackedAt ? x : { ...x, ackedAt: now.toISOString(), ackedBy: person, revision: x.revision + 1 }));
      await deps.scheduler.cancel(SLA_TIMER, id);
      if (before && !before.ackedAt) toAck.observe({ team: r.team }, since(r, now));
      await deps.deliveries.enqueue(postRequests(r));
      return r;
    },
    async resolve(id, person, now) {
      const before = await store.get(id);
      const r = await store.update(id, (x) => (x.resolvedAt ? x : { ...x, ackedAt: x.ackedAt ?? now.toISOString(), ackedBy: x.ackedBy ?? person, resolvedAt: now.toISOString(), resolvedBy: person, revision: x.revision + 1 }));
      await deps.scheduler.cancel(SLA_TIMER, id);
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
    async stats(team, from, to) {
      // Day buckets kept as requests change: one read per day of the range, not every request.
      const samples = await store.samples(team, from, to);
      return supportStats(samples, from, to);
    },
  };
}
