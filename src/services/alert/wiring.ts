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
import { createAlertPageStore, type AlertPage } from '../../store/alert/pages.js';
import type { RedisClient } from '../../store/redis.js';
import type { OncallService } from '../oncall/service.js';
import { createEscalation } from './escalation.js';
import { createIngest, type Ingest, type IngestResult } from './ingest.js';
import { createHeartbeats } from './heartbeats.js';
import { createAlertMetrics, type AlertMetrics } from './metrics.js';
import { createPaging } from './paging.js';
import { createResponses, type Respond } from './responses.js';
import { httpSilencer, type Silencer } from './silences.js';

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
}

export interface AlertFeature {
  /** Apply one validated webhook delivery. */
  ingest: Ingest;
  /** A person's Acknowledge / Resolve / Escalate / Snooze on a page. */
  respondToPage: Respond;
  /** What the webhook endpoints (src/http/integrations/alerts.ts) need from this feature. */
  webhook: { config: () => AlertsConfig; ingest: Ingest; beat: (i: Integration) => Promise<IngestResult>; metrics: AlertMetrics; log: Logger };
  /** Pages changed most recently first, optionally one team's, for `/oncall pages`. */
  recentPages(limit: number, team?: string): Promise<AlertPage[]>;
}

export function wireAlerts(w: AlertWiring): AlertFeature {
  const clock = w.clock ?? (() => new Date());
  const log = w.log.child({ feature: 'alerts' });
  const metrics = createAlertMetrics(w.metrics.registry);
  const groups = createAlertGroupStore(w.redis);
  const pages = createAlertPageStore(w.redis);
  const alertsConfig = () => w.config().alerts;
  const deps = { config: alertsConfig, groups, pages, oncall: w.oncall, scheduler: w.scheduler, deliveries: w.deliveries, renderer: w.renderer, platforms: w.platforms, silencer: w.silencer ?? httpSilencer(), metrics, log, clock };
  const paging = createPaging(deps);
  const { escalate } = createEscalation(deps, paging);
  const respondToPage = createResponses(deps, paging, escalate);
  const ingest = createIngest({ config: alertsConfig, groups, metrics, clock, onPage: paging.onPage });
  const beat = createHeartbeats({ scheduler: w.scheduler, ingest, clock, integration: (id) => alertsConfig().integrations.find((i) => i.id === id) });
  const recentPages = async (limit: number, team?: string) => {
    const out: AlertPage[] = [];
    for (const { pageId } of await groups.recentPages(team ? limit * 10 : limit)) {
      const p = (await pages.get(pageId))?.value;
      if (p && (!team || p.team === team)) out.push(p);
      if (out.length >= limit) break;
    }
    return out;
  };
  return { ingest, respondToPage, recentPages, webhook: { config: alertsConfig, ingest, beat, metrics, log } };
}
