/**
 * Assembles one Day2 bot from settings: Redis connections, renderer, chat adapters, the delivery
 * and timer workers, the dispatcher and the HTTP server. `main.ts` calls it with the real
 * environment; end-to-end tests call it with fake platforms on loopback.
 *
 * Start order matters: workers and the dispatcher exist before any adapter takes a request, and
 * stop runs in reverse: stop intake, let in-flight jobs finish, then close connections.
 */
import { allFamilies } from '../commands/index.js';
import type { ChatAdapter, Platform, UserRef } from './chat/port.js';
import type { Config } from './config.js';
import { Directory } from './directory.js';
import { createDispatcher } from './dispatch/dispatcher.js';
import type { ReloadOutcome, Services } from '../commands/services.js';
import type { FamilyDecl } from './dispatch/types.js';
import type { Env } from './env.js';
import { createHttpServer, type HttpServer, type HttpTimeouts } from './http/server.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createDeliveryService, startDeliveryWorker, type DeliveryService } from './delivery/service.js';
import { createScheduler, startTimerWorker, type Scheduler } from './delivery/scheduler.js';
import { routeConversations } from './services/onboard/wiring.js';
import { createAdapters, type ConsoleIo } from './boot/adapters.js';
import { wireFeatures } from './boot/features.js';
import { profileZones } from './boot/profile-zones.js';
import { withReaderZones } from './boot/reader-zones.js';
import { createConfigHolder } from './boot/reload.js';
import { consoleRouting } from './boot/console-routing.js';
import { createStartupGate, type StartupGate } from './boot/startup-gate.js';
import { createQueueDepthProbe, startQueueDepthRefresh } from './delivery/queue-depths.js';
import type { Logger } from './log.js';
import { createRenderer } from './render/renderer.js';
import { createWebRenderer } from './render/web.js';
import { createAuditLog } from './store/audit.js';
import { connectRedis, pingMasters, queuePrefix } from './store/redis.js';

export interface BotOptions {
  env: Env;
  config: Config;
  /** Where the config came from, for reloads. Without it `/day2 reload` is refused. */
  configFile?: string;
  redisUrl: string;
  log: Logger;
  /** Console I/O; when absent the console adapter is not started. */
  console?: ConsoleIo;
  /** Override the command families (tests). */
  families?: readonly FamilyDecl[];
  clock?: () => Date;
  /** Worker tuning (tests shorten locks so a killed bot's jobs come back quickly). */
  worker?: { lockDurationMs?: number; stalledIntervalMs?: number; concurrency?: number };
  /**
   * Listen here as soon as the HTTP server exists, before anything waits on Redis or a
   * platform, so /healthz and /metrics answer while Redis is still away; platform requests get
   * 503 until `start`. `start` then keeps this port.
   */
  listenEarly?: { port: number; host?: string };
}

export interface Bot {
  http: HttpServer;
  adapters: Map<Platform, ChatAdapter>;
  deliveries: DeliveryService;
  scheduler: Scheduler;
  metrics: Metrics;
  services: Services;
  /** Listen on `port` (0 = any) and start every adapter; resolves with the bound port. */
  start(port: number, host?: string): Promise<number>;
  /** Graceful stop; bounded by `timeoutMs` for in-flight jobs. Idempotent. */
  stop(timeoutMs?: number): Promise<void>;
  reload(): Promise<ReloadOutcome>;
  /** With a console: timer and console deliveries running, waiting or due within `horizonMs`. */
  pendingWork?(horizonMs: number): Promise<number>;
}

export async function createBot(opts: BotOptions): Promise<Bot> {
  const { env, log } = opts;
  let directory = new Directory(opts.config);
  const metrics = createMetrics();
  const settings = createConfigHolder({ initial: opts.config, file: opts.configFile, log, metrics, onChange: (c) => (directory = new Directory(c)) });
  const config = settings.current;
  const { redis, bullConnection, prefix, deliveries: queue, scheduler, depthProbe, routing, idle } = openRedis(opts);
  // Every queued message is shown in its reader's zone (a DM's person, a channel's audience).
  const deliveries = withReaderZones(queue, config);
  // Notification text (the summary) shows times in the team's zone; each platform's own
  // rendering shows readers their own zone where it can.
  const renderer = await createRenderer({ overlayDir: env.DAY2_TEMPLATES_DIR, zone: () => config().timezone });
  const web = await createWebRenderer({ overlayDir: env.DAY2_TEMPLATES_DIR });
  const publicUrl = env.DAY2_PUBLIC_URL ?? `http://localhost:${env.PORT}`;

  const adapters = new Map<Platform, ChatAdapter>();
  // Not ready until the config's cadences and rotations are loaded and planned (features.started).
  const planning = createStartupGate("loading and planning the config's cadences and rotations");
  const http = createHttp({ redis, adapters, metrics, log, planning, timeouts: { headersMs: env.DAY2_HTTP_HEADERS_TIMEOUT_MS, bodyMs: env.DAY2_HTTP_BODY_TIMEOUT_MS } });
  // Queue depths for /metrics are read here in the background; a scrape never touches Redis.
  const depthRefresh = startQueueDepthRefresh({ probe: depthProbe, metrics, log, intervalMs: env.DAY2_QUEUE_DEPTH_INTERVAL_MS });
  const early = opts.listenEarly ? await http.listen(opts.listenEarly.port, opts.listenEarly.host) : undefined;
  const chosen = await createAdapters({ env, http, publicUrl, mentions: () => directory.resolveMention, zone: () => config().timezone, log, metrics, console: opts.console });
  for (const [platform, adapter] of chosen) adapters.set(platform, adapter);

  // /day2 reload and SIGHUP take the same path: read the file, then let the features that keep
  // derived state catch up (on-call re-syncs rotations and on-duty groups, and warns of overlaps).
  const reload = () => reloadThen(settings.reload, () => features.afterReload());
  const services = servicesFor({ config, directory: () => directory, redis, renderer, reload, deliveries, scheduler, publicUrl, adapters });
  const groupsOf = async (user: UserRef): Promise<string[]> => {
    if (!directory.usesGroups) return [];
    return (await adapters.get(user.platform)?.groupsOf(user.id)) ?? [];
  };
  // Plain DMs from someone answering the onboarding questionnaire go on as `/onboard answer …`.
  const dispatch = routeConversations(createDispatcher({ families: opts.families ?? allFamilies, services, metrics, log, groupsOf, profileZoneOf: profileZones(adapters), clock: opts.clock }), services);
  const features = wireFeatures({ redis, renderer, web, scheduler, deliveries, config, log, metrics, adapters, http, publicUrl, clock: opts.clock }, services);
  planning.watch(features.started);

  const workers = await startWorkers(opts, { bullConnection, redis, prefix, adapters, metrics, scheduler, routing });

  const stop = stopOnce(async (timeoutMs) => {
    http.draining = true;
    await Promise.allSettled([...adapters.values()].map((a) => a.stop()));
    await http.close();
    // In-flight jobs finish (bounded); whatever is still queued stays in Redis for next time.
    await withinMs(timeoutMs, workers.close());
    depthRefresh.stop();
    await Promise.allSettled([deliveries.close(), scheduler.close(), depthProbe.close(), idle?.close()]);
    await Promise.allSettled([redis.quit(), bullConnection.quit()]);
    log.info('Day2 stopped');
  });
  return {
    http,
    adapters,
    deliveries,
    scheduler,
    metrics,
    services,
    reload,
    stop,
    ...(idle ? { pendingWork: (horizonMs: number) => idle.due(horizonMs) } : {}),
    async start(port, host) {
      const bound = early ?? (await http.listen(port, host));
      for (const a of adapters.values()) await a.start(dispatch);
      log.info({ port: bound, platforms: [...adapters.keys()] }, 'Day2 ready');
      return bound;
    },
  };
}

/** The services container's core: what every command may use besides its family's service. */
function servicesFor(ctx: Pick<Services, 'config' | 'directory' | 'redis' | 'renderer' | 'reload' | 'deliveries' | 'scheduler'> & { publicUrl: string; adapters: Map<Platform, ChatAdapter> }): Services {
  const { adapters, publicUrl, ...core } = ctx;
  return {
    ...core,
    audit: createAuditLog(core.redis),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    channelName: async (platform, channelId) => (await adapters.get(platform as Platform)?.channelName?.(channelId).catch(() => undefined)) ?? channelId,
    openForm: async (event, form) => {
      const adapter = adapters.get(event.platform);
      if (!adapter || !event.triggerId) throw new Error(`cannot open a form on ${event.platform} without a trigger id`);
      await adapter.openForm(event.triggerId, form, { channelId: event.channel.id, userId: event.user.id });
    },
  };
}

/** Day2's own connection (key-prefixed), BullMQ's, and the queues on it. */
function openRedis(opts: BotOptions) {
  const prefix = queuePrefix(opts.config.redisPrefix);
  const redisLog = opts.log.child({ component: 'redis' });
  const redis = connectRedis(opts.redisUrl, { keyPrefix: `${opts.config.redisPrefix}:`, log: redisLog, name: 'day2' });
  const bullConnection = connectRedis(opts.redisUrl, { blocking: true, log: redisLog, name: 'bullmq' });
  const { routing, idle } = consoleRouting(opts.env, Boolean(opts.console), { connection: bullConnection, prefix });
  return {
    redis,
    bullConnection,
    prefix,
    routing,
    idle,
    deliveries: createDeliveryService({ connection: bullConnection, redis, prefix, routing }),
    scheduler: createScheduler({ connection: bullConnection, redis, prefix }),
    depthProbe: createQueueDepthProbe({ connection: bullConnection, prefix }),
  };
}

type Opened = ReturnType<typeof openRedis>;

/** The HTTP server; ready only when Redis and every adapter answer and start-up planning is done. */
function createHttp(ctx: Pick<Opened, 'redis'> & { adapters: Map<Platform, ChatAdapter>; metrics: Metrics; log: Logger; planning: StartupGate; timeouts: Partial<HttpTimeouts> }): HttpServer {
  const { redis, adapters, metrics } = ctx;
  return createHttpServer({
    metrics,
    log: ctx.log,
    checks: () => [
      // Every master: on a cluster one master down loses its slots; on Sentinel, the current master.
      { name: 'redis', check: () => pingMasters(redis) },
      ctx.planning.check,
      ...[...adapters.values()].map((a) => ({ name: a.platform, check: () => a.ping() })),
    ],
    timeouts: ctx.timeouts,
  });
}

/** The delivery and timer workers; `close` lets in-flight jobs finish. */
async function startWorkers(
  opts: BotOptions,
  ctx: Pick<Opened, 'bullConnection' | 'redis' | 'prefix' | 'scheduler' | 'routing'> & { adapters: Map<Platform, ChatAdapter>; metrics: Metrics },
): Promise<{ close(): Promise<unknown> }> {
  const { bullConnection: connection, redis, prefix } = ctx;
  const log = opts.log;
  const d = opts.config.delivery;
  const delivery = await startDeliveryWorker({
    connection,
    redis,
    prefix,
    adapters: ctx.adapters,
    metrics: ctx.metrics,
    log: log.child({ worker: 'delivery' }),
    perChannelIntervalMs: d.perChannelIntervalMs,
    perPlatformPerSecond: d.platformRates,
    burst: d.burst,
    attempts: d.attempts,
    routing: ctx.routing,
    ...opts.worker,
  });
  const timers = await startTimerWorker({ connection, redis, prefix, scheduler: ctx.scheduler, log: log.child({ worker: 'timers' }), ...opts.worker });
  return { close: () => Promise.allSettled([delivery.close(), timers.close()]) };
}

/** Reload, and on success let `after` add its warnings to the answer. */
async function reloadThen(load: () => Promise<ReloadOutcome>, after: () => Promise<string[]>): Promise<ReloadOutcome> {
  const outcome = await load();
  if (!outcome.ok) return outcome;
  const warnings = await after();
  return warnings.length > 0 ? { ...outcome, warnings: [...(outcome.warnings ?? []), ...warnings] } : outcome;
}

/** The first call runs `fn`; every later call answers the same promise. */
function stopOnce(fn: (timeoutMs: number) => Promise<void>): (timeoutMs?: number) => Promise<void> {
  let stopping: Promise<void> | undefined;
  return (timeoutMs = 10_000) => (stopping ??= fn(timeoutMs));
}

async function withinMs(ms: number, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((r) => (timer = setTimeout(r, ms).unref()))]);
  clearTimeout(timer);
}
