/**
 * Wires every feature (notices, on-call, tours, onboarding, cadence, releases) into the services
 * container the command handlers see, and mounts their feeds on the HTTP server.
 */
import type { Services } from '../../commands/services.js';
import { mountFeeds } from '../http/feeds/index.js';
import type { HttpServer } from '../http/server.js';
import type { Metrics } from '../metrics.js';
import { wireCadence } from '../services/cadence/wiring.js';
import { wireNotices } from '../services/notice/wiring.js';
import { wireOnboarding } from '../services/onboard/wiring.js';
import { wireOncall, type OncallWiring } from '../services/oncall/wiring.js';
import { wireReleases } from '../services/release/wiring.js';
import { wireTours } from '../services/tour/wiring.js';
import { wireAlerts } from '../services/alert/wiring.js';
import { mountAlertWebhooks } from '../http/integrations/alerts.js';
import { mountWeb } from '../http/web/index.js';
import type { WebRenderer } from '../render/web.js';
import { wireWeb } from '../services/web/wiring.js';

/** What on-call's wiring needs is what every feature needs; the app adds its HTTP server. */
export interface FeatureContext extends OncallWiring {
  metrics: Metrics;
  http: HttpServer;
  publicUrl: string;
  /** The web pages' renderer (templates/web/). */
  web: WebRenderer;
}

export interface WiredFeatures {
  /** Run after each good reload; answers warnings about the new declarations. */
  afterReload(): Promise<string[]>;
  /** Settles when the config's cadences and rotations are loaded and planned (readiness waits for it). */
  started: Promise<void>;
}

/** Adds each feature's members to `services` (see commands/services.ts) and mounts the feeds. */
export function wireFeatures(ctx: FeatureContext, services: Services): WiredFeatures {
  const { redis, renderer, scheduler, deliveries, config, log, adapters, metrics, clock } = ctx;
  const core = { redis, renderer, scheduler, deliveries, config, log };
  const platforms = () => new Set(adapters.keys());
  // Alert paging is wired below; the hook reads it when a window changes.
  const notices = wireNotices({ ...core, onWindow: (n) => services.alerts?.maintenance.windowChanged(n) ?? Promise.resolve() });
  // Pages move at handoffs; alert paging is wired below, the hook finds it then.
  const pages = { handOver: async (rotationId: string, team: string, to: string, at: Date) => services.alerts?.handOver(rotationId, team, to, at) };
  const { afterReload, sending, started: oncallStarted, ...oncall } = wireOncall({ ...core, adapters, metrics, clock, pages });
  const tours = wireTours({ redis, ...sending });
  const onboarding = wireOnboarding({ services, scheduler, adapters, metrics, log, clock });
  const { started: cadenceStarted, ...cadence } = wireCadence({ ...core, clock });
  Object.assign(services, notices, oncall, cadence, { tours, onboarding });
  const releases = wireReleases({
    ...core,
    sources: () => services,
    platforms,
    userIdOf: async (platform, handle) => adapters.get(platform)?.userIdOf(handle),
    publicUrl: ctx.publicUrl,
    clock,
  });
  services.releases = releases;
  services.alerts = wireAlerts({
    ...core,
    oncall: oncall.oncall,
    platforms,
    metrics,
    maintenanceWindows: notices.maintenanceWindows,
    openNotices: () => notices.notices.store.open(),
    ...(clock ? { clock } : {}),
  });
  // Windows confirmed before an Alertmanager had maintenance silences on (or while Day2 was down)
  // get theirs now, and again after every reload that may have switched them on.
  const alerts = services.alerts;
  const silenceOpenWindows = () =>
    alerts.maintenance.catchUp().then(
      (n) => void (n > 0 && log.info({ windows: n }, 'queued maintenance silences for open windows')),
      (err: unknown) => log.warn({ err }, 'could not queue maintenance silences for open windows'),
    );
  void silenceOpenWindows();
  mountAlertWebhooks(ctx.http.app, { ...services.alerts.webhook, secret: (name) => process.env[name] });
  mountFeeds(ctx.http.app, { config, redis, log, clock: clock ?? (() => new Date()), notices, oncall, cadence, releases });
  const web = wireWeb({ redis, config, notices: notices.notices, oncall: oncall.oncall, releases });
  Object.assign(services, web);
  mountWeb(ctx.http.app, {
    pages: web.webPages,
    links: web.webLinks,
    config,
    web: ctx.web,
    log,
    clock: clock ?? (() => new Date()),
    publicUrl: ctx.publicUrl,
    envToken: (env) => notices.icalTokens.tokenFor(env),
    teamToken: (team) => oncall.oncallIcalTokens.tokenFor(team),
  });
  const afterEveryReload = async () => {
    const warnings = await afterReload();
    await silenceOpenWindows();
    return warnings;
  };
  return { afterReload: afterEveryReload, started: Promise.all([oncallStarted, cadenceStarted]).then(() => undefined) };
}
