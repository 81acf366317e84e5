/**
 * One webhook delivery, after it was authenticated and validated: its alerts are split by group,
 * each group routed to a team and applied to the group store (which opens, updates or resolves
 * the group's single page), and each page that changed is handed to `onPage` to be posted or
 * edited. A retried delivery changes nothing and so pages nobody twice.
 */
import type { AlertsConfig, Integration } from '../../domain/alert/config.js';
import type { AlertBatch, NormalizedAlert } from '../../domain/alert/model.js';
import { routeAlert, type RouteDecision } from '../../domain/alert/routing.js';
import type { AlertGroupStore, GroupChange } from '../../store/alert/groups.js';
import type { AlertMetrics } from './metrics.js';

export interface PageEvent {
  integration: Integration;
  change: GroupChange;
  route: RouteDecision;
  sourceUrl?: string;
}

export interface IngestDeps {
  config: () => AlertsConfig;
  groups: AlertGroupStore;
  metrics: AlertMetrics;
  clock: () => Date;
  /** Posts or edits the page; called once per group that changed. */
  onPage: (event: PageEvent) => Promise<void>;
}

export interface IngestResult {
  groups: number;
  opened: number;
  unchanged: number;
}

export function createIngest(deps: IngestDeps) {
  return async function ingest(integration: Integration, batch: AlertBatch): Promise<IngestResult> {
    const byGroup = new Map<string, NormalizedAlert[]>();
    for (const a of batch.alerts) byGroup.set(a.groupKey, [...(byGroup.get(a.groupKey) ?? []), a]);
    const result: IngestResult = { groups: byGroup.size, opened: 0, unchanged: 0 };
    for (const [groupKey, alerts] of byGroup) {
      // The group routes by its first alert: Alertmanager groups by the labels routing reads.
      // A heartbeat belongs to its team; anything else is routed by its labels.
      const hbTeam = integration.kind === 'heartbeat' ? (integration.teams[0] ?? deps.config().defaultTeam) : undefined;
      const route = hbTeam ? { team: hbTeam, urgency: 'high' as const, unmatched: false } : routeAlert(deps.config(), alerts[0]!.labels, integration.teams);
      const change = await deps.groups.apply(integration.id, groupKey, alerts, deps.clock());
      const outcome = !change.changed && !change.opened && !change.resolved ? 'duplicate' : route.unmatched ? 'unmatched' : 'routed';
      deps.metrics.alerts.inc({ kind: integration.kind, outcome }, alerts.length);
      // Alerts that only ever arrived resolved have no page to edit.
      if (outcome === 'duplicate' || !change.pageId) {
        result.unchanged++;
        continue;
      }
      if (change.opened) result.opened++;
      deps.metrics.pages.inc({ team: route.team || '(none)', event: change.opened ? 'opened' : change.resolved ? 'resolved' : 'updated' });
      await deps.onPage({ integration, change, route, ...(batch.sourceUrl ? { sourceUrl: batch.sourceUrl } : {}) });
    }
    return result;
  };
}

export type Ingest = ReturnType<typeof createIngest>;
