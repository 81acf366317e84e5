/**
 * What every part of support routing shares: the time-to-ack and time-to-resolve histograms,
 * where a team's requests and a person's DMs go, the request's channel post (one delivery key
 * edited by revision, so every platform copy shows the state), its SLA, the first slot's holder,
 * and `moveTo`, which addresses an open request to someone else.
 */
import { Histogram } from 'prom-client';
import { durationMs } from '../../domain/oncall/config.js';
import type { SupportRequest } from '../../store/oncall/support-store.js';
import type { DeliveryRequest, DeliveryTarget } from '../../delivery/service.js';
import { oncallTargets } from './targets.js';
import { postKey, type SupportDeps } from './support-types.js';

export type SupportShared = ReturnType<typeof supportShared>;

export function supportShared(deps: SupportDeps) {
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

  return { toAck, toResolve, since, supportTargets, dms, view, postRequests, slaMs, firstSlot, moveTo };
}
