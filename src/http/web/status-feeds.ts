/**
 * The status page's machine-readable twins, shaped from the same view as the page: JSON in the
 * shape of the widely consumed status-page summary (page, status, components, incidents,
 * scheduled_maintenances — what Statuspage's /api/v2/summary.json returns, so existing
 * dashboards and bots read it as is) and an Atom feed of the environment's notices.
 */
import type { Environment } from '../../config.js';
import type { StatusNotice, StatusView } from '../../domain/web/status.js';

const MAINTENANCE_STATUS: Record<string, string> = { scheduled: 'scheduled', 'in-progress': 'in_progress', completed: 'completed', cancelled: 'completed' };

const iso = (d: Date | undefined) => (d ? d.toISOString() : null);

function updates(n: StatusNotice, status: (s: string) => string) {
  return n.updates.map((u, i) => ({
    id: `${n.id}-${n.updates.length - i}`,
    status: status(u.status),
    body: u.text,
    incident_id: n.id,
    created_at: iso(u.at),
    updated_at: iso(u.at),
    display_at: iso(u.at),
  }));
}

function incident(n: StatusNotice, pageId: string, url: string) {
  const resolved = n.final ? n.updatedAt : undefined;
  const monitoring = n.updates.find((u) => u.status === 'monitoring')?.at;
  return {
    id: n.id,
    name: n.summary,
    status: n.status,
    created_at: iso(n.createdAt),
    updated_at: iso(n.updatedAt),
    monitoring_at: iso(monitoring),
    resolved_at: iso(resolved),
    impact: n.impact,
    shortlink: url,
    started_at: iso(n.createdAt),
    page_id: pageId,
    incident_updates: updates(n, (s) => s),
    components: n.components.map((c) => ({ id: c, name: c })),
  };
}

function maintenance(n: StatusNotice, pageId: string, url: string) {
  return {
    ...incident(n, pageId, url),
    status: MAINTENANCE_STATUS[n.status] ?? n.status,
    incident_updates: updates(n, (s) => MAINTENANCE_STATUS[s] ?? s),
    scheduled_for: iso(n.start),
    scheduled_until: iso(n.end),
  };
}

export function statusSummary(env: Environment, view: StatusView, pageUrl: string, description: string) {
  return {
    page: { id: env.id, name: env.name, url: pageUrl, time_zone: 'Etc/UTC', updated_at: iso(view.updatedAt) },
    status: { indicator: view.indicator, description },
    components: view.components.map((c, i) => ({
      id: c.name,
      name: c.name,
      status: c.status,
      created_at: null,
      updated_at: iso(view.updatedAt),
      position: i + 1,
      description: null,
      showcase: true,
      start_date: null,
      group_id: null,
      page_id: env.id,
      group: false,
      only_show_if_degraded: false,
    })),
    incidents: view.outages.map((n) => incident(n, env.id, pageUrl)),
    scheduled_maintenances: [...view.maintenanceNow, ...view.maintenanceNext].map((n) => maintenance(n, env.id, pageUrl)),
  };
}
