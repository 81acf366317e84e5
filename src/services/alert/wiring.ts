/**
 * Builds alert paging: the group and page stores, the ingest (what the webhooks call), paging,
 * escalation timers and the responses to the page's buttons; the app mounts the webhooks.
 */
import type { Platform } from '../../chat/port.js';
import type { Config } from '../../config.js';
import type { AlertsConfig, Integration } from '../../domain/alert/config.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { Renderer } from '../../render/renderer.js';
import { createAlertGroupStore } from '../../store/alert/groups.js';
import { createMaintenanceSilenceStore } from '../../store/alert/maintenance.js';
import { createAlertPageStore, type AlertPage } from '../../store/alert/pages.js';
import type { RedisClient } from '../../store/redis.js';
import type { OncallService } from '../oncall/service.js';
import { createDeclare } from './declare.js';
import { createEscalation } from './escalation.js';
import { createIngest, type Ingest, type IngestResult } from './ingest.js';
import { createHandover } from './handover.js';
import { createHeartbeats } from './heartbeats.js';
import { createMaintenanceSilences, type MaintenanceNotice, type MaintenanceSilences } from './maintenance.js';
import { createAlertMetrics, type AlertMetrics } from './metrics.js';
import { recentPagesWhere } from './page-list.js';
import { createPaging } from './paging.js';
import { createResponses, type Respond } from './responses.js';
import { httpSilencer, type Silencer } from './silences.js';
import type { PagingDeps } from './types.js';

export interface AlertWiring {
  redis: RedisClient;
  renderer: Renderer;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  config: () => Config;
  oncall: OncallService;
  platforms: () => ReadonlySet<Platform>;
  log: Logger;
  metrics: Metrics;
  clock?: () => Date;
  silencer?: Silencer;
  /** Maintenance windows of an environment (the notices feature's), for the page's maintenance line. */
  maintenanceWindows?: PagingDeps['maintenanceWindows'];
  /** The open notices (the notices feature's), for silencing windows confirmed before silences were on. */
  openNotices?: () => Promise<readonly MaintenanceNotice[]>;
}

type Declare = ReturnType<typeof createDeclare>;

export interface AlertFeature {
  /** Apply one validated webhook delivery. */
  ingest: Ingest;
  /** A person's Acknowledge / Resolve / Escalate / Snooze on a page. */
  respondToPage: Respond;
  /** What the webhook endpoints (src/http/integrations/alerts.ts) need from this feature. */
  webhook: { config: () => AlertsConfig; ingest: Ingest; beat: (i: Integration) => Promise<IngestResult>; metrics: AlertMetrics; log: Logger };
  /** Pages changed most recently first, optionally one team's, for `/oncall pages`. */
  recentPages(limit: number, team?: string): Promise<AlertPage[]>;
  /** "Declare outage": the outage notice draft pre-filled from a page's labels. */
  outageDraft: Declare['outageDraft'];
  /** The outage notice declared from a page was confirmed: link it on the page. */
  linkNotice: Declare['linkNotice'];
  /** The on-call handoff hook: open, unacknowledged pages move to the incoming tribute. */
  handOver: ReturnType<typeof createHandover>['handOver'];
  /** The notices feature's `onWindow` hook: silence the environment for a maintenance window. */
  maintenance: Pick<MaintenanceSilences, 'windowChanged'> & {
    /** At start and after a reload: queue a silence for every open window (how many were queued). */
    catchUp(): Promise<number>;
  };
}

export function wireAlerts(w: AlertWiring): AlertFeature {
  const clock = w.clock ?? (() => new Date());
  const log = w.log.child({ feature: 'alerts' });
  const metrics = createAlertMetrics(w.metrics.registry);
  const groups = createAlertGroupStore(w.redis);
  const pages = createAlertPageStore(w.redis);
  const alertsConfig = () => w.config().alerts;
  const silencer = w.silencer ?? httpSilencer();
  const deps: PagingDeps = { config: alertsConfig, groups, pages, oncall: w.oncall, scheduler: w.scheduler, deliveries: w.deliveries, renderer: w.renderer, platforms: w.platforms, silencer, metrics, log, clock, ...(w.maintenanceWindows ? { maintenanceWindows: w.maintenanceWindows } : {}) };
  const maintenance = createMaintenanceSilences({ config: alertsConfig, silencer, store: createMaintenanceSilenceStore(w.redis), scheduler: w.scheduler, log, clock });
  const paging = createPaging(deps);
  const { escalate } = createEscalation(deps, paging);
  const respondToPage = createResponses(deps, paging, escalate);
  const { outageDraft, linkNotice } = createDeclare(deps, paging);
  const { handOver } = createHandover(deps, paging);
  const ingest = createIngest({ config: alertsConfig, groups, metrics, clock, onPage: paging.onPage });
  const beat = createHeartbeats({ scheduler: w.scheduler, ingest, clock, integration: (id) => alertsConfig().integrations.find((i) => i.id === id) });
  const recentPages = (limit: number, team?: string) => recentPagesWhere(deps, team ? limit * 10 : limit, (p) => !team || p.team === team, limit);
  const openNotices = w.openNotices ?? (async () => []);
  const maintenanceHooks = { windowChanged: maintenance.windowChanged, catchUp: () => maintenance.catchUp(openNotices) };
  return { ingest, respondToPage, recentPages, maintenance: maintenanceHooks, outageDraft, linkNotice, handOver, webhook: { config: alertsConfig, ingest, beat, metrics, log } };
}
