/**
 * A page's one message and where its copies go: the team's channels and the DM of everyone it
 * was sent to, all under one delivery key, so each change (an alert joining, an ack, an
 * escalation, the resolve) edits every copy on every platform.
 */
import type { NormalizedAlert } from '../../domain/alert/model.js';
import type { DeliveryRequest, DeliveryTarget } from '../../delivery/service.js';
import { channelTargets } from '../../domain/channels.js';
import type { AlertPage } from '../../store/alert/pages.js';
import { pageKey, type PagingDeps } from './types.js';

/** Alerts shown in full on a page; the rest are counted. */
const SHOWN = 10;

export function pageTitle(alerts: readonly NormalizedAlert[]): string {
  const a = alerts.find((x) => x.status === 'firing') ?? alerts[0];
  return a?.labels.alertname ?? a?.annotations.summary ?? 'Alert';
}

/** The page's team as the page names it: the configured name, else the id of a team since removed. */
export function pageTeamName(deps: Pick<PagingDeps, 'oncall'>, page: Pick<AlertPage, 'team'>): string {
  return deps.oncall.team(page.team)?.name ?? page.team;
}

export function pageView(deps: Pick<PagingDeps, 'oncall' | 'config'>, page: AlertPage, alerts: readonly NormalizedAlert[]) {
  const firing = alerts.filter((a) => a.status === 'firing');
  const person = (p: string) => `person:${p}`;
  const last = page.steps[page.steps.length - 1];
  const handover = page.handovers.at(-1);
  return {
    id: page.id,
    title: pageTitle(alerts),
    team: pageTeamName(deps, page),
    urgency: page.urgency,
    firing: firing.length,
    resolvedCount: alerts.length - firing.length,
    alerts: alerts.slice(0, SHOWN).map((a) => ({
      firing: a.status === 'firing',
      summary: a.annotations.summary ?? a.annotations.description ?? '',
      labels: Object.entries(a.labels).map(([name, value]) => ({ name, value })),
      url: a.url ?? null,
    })),
    more: Math.max(0, alerts.length - SHOWN),
    assignee: page.assignee ? person(page.assignee) : null,
    nobodyOnDuty: page.steps[0]?.layer === 'managers',
    unmatched: page.unmatched,
    escalated: page.steps.length > 1 ? { to: (last?.to ?? []).map(person), managers: last?.layer === 'managers' } : null,
    createdAt: new Date(page.createdAt),
    acked: page.ackedBy ? { by: person(page.ackedBy), at: new Date(page.ackedAt!) } : null,
    snoozedUntil: page.snoozedUntil && !page.resolvedAt ? new Date(page.snoozedUntil) : null,
    resolved: page.resolvedAt ? { bySource: page.resolvedBy === 'source', by: page.resolvedBy === 'source' ? null : person(page.resolvedBy!), at: new Date(page.resolvedAt) } : null,
    previous: page.previousPageId ?? null,
    maintenance: page.maintenance ? { notice: page.maintenance.noticeId, env: page.maintenance.envName ?? page.maintenance.env, end: new Date(page.maintenance.end) } : null,
    outage: page.outageNoticeId ?? null,
    handedOver: handover && !page.resolvedAt ? { from: handover.from ? person(handover.from) : null, to: person(handover.to), at: new Date(handover.at) } : null,
    open: !page.resolvedAt,
  };
}

export async function pageTargets(deps: Pick<PagingDeps, 'oncall' | 'platforms'>, page: AlertPage): Promise<DeliveryTarget[]> {
  const on = deps.platforms();
  const channels = channelTargets(deps.oncall.team(page.team)?.channels, on);
  const dms: DeliveryTarget[] = [];
  for (const p of page.notified) dms.push(...(await deps.oncall.addressesOf(p)).filter((t) => on.has(t.platform)));
  return [...channels, ...dms];
}

export async function pageRequests(deps: Pick<PagingDeps, 'oncall' | 'config' | 'platforms' | 'renderer' | 'groups'>, page: AlertPage): Promise<DeliveryRequest[]> {
  const alerts = await deps.groups.alerts(page.groupId);
  const message = deps.renderer.render('alerts/page', pageView(deps, page, alerts));
  return (await pageTargets(deps, page)).map((target) => ({ key: pageKey(page.id), revision: page.revision, target, message }));
}
