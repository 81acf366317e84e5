/**
 * Assembles one Day2 bot from settings: Redis connections, renderer, chat adapters, the delivery
 * and timer workers, the dispatcher and the HTTP server. `main.ts` calls it with the real
 * environment; end-to-end tests call it with fake platforms on loopback.
 *
 * Start order matters: workers and the dispatcher exist before any adapter takes a request, and
 * stop runs in reverse: stop intake, let in-flight jobs finish, then close connections.
 */
import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { allFamilies } from '../commands/index.js';
import { ConsoleAdapter } from './chat/console/adapter.js';
import { createMattermostAdapter } from './chat/mattermost/adapter.js';
import type { ChatAdapter, Platform, UserRef } from './chat/port.js';
import { createSlackAdapter } from './chat/slack/adapter.js';
import { loadConfig, type Config } from './config.js';
import { Directory } from './directory.js';
import { createDispatcher } from './dispatch/dispatcher.js';
import type { ReloadOutcome, Services } from '../commands/services.js';
import type { FamilyDecl } from './dispatch/types.js';
import type { Env } from './env.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createDeliveryService, startDeliveryWorker, type DeliveryService } from './delivery/service.js';
import { createScheduler, startTimerWorker, type Scheduler } from './delivery/scheduler.js';
import { wireCadence } from './services/cadence/wiring.js';
import { wireNotices } from './services/notice/wiring.js';
import { wireOncall } from './services/oncall/wiring.js';
import { wireReleases } from './services/release/wiring.js';
import { wireTours } from './services/tour/wiring.js';
import { mountFeeds } from './http/feeds/index.js';
import { routeConversations, wireOnboarding } from './services/onboard/wiring.js';
import { createQueueDepthProbe, recordQueueDepths } from './delivery/queue-depths.js';
import type { Logger } from './log.js';
import { createRenderer } from './render/renderer.js';
import { createAuditLog } from './store/audit.js';
import { connectRedis, queuePrefix, type RedisClient } from './store/redis.js';

export interface BotOptions {
  env: Env;
  config: Config;
  /** Where the config came from, for reloads. Without it `/day2 reload` is refused. */
  configFile?: string;
  redisUrl: string;
  log: Logger;
  /** Console I/O; when absent the console adapter is not started. */
  console?: { input: Readable; output: Writable; interactive: boolean; userId: string; onClose?: () => void };
  /** Override the command families (tests). */
  families?: readonly FamilyDecl[];
  clock?: () => Date;
  /** Worker tuning (tests shorten locks so a killed bot's jobs come back quickly). */
  worker?: { lockDurationMs?: number; stalledIntervalMs?: number; concurrency?: number };
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
}

export async function createBot(opts: BotOptions): Promise<Bot> {
  const { env, log } = opts;
  let config = opts.config;
  let directory = new Directory(config);
  const prefix = config.redisPrefix;
  const redis = connectRedis(opts.redisUrl, { keyPrefix: `${prefix}:` });
  const bullConnection = connectRedis(opts.redisUrl, { blocking: true });
  const metrics = createMetrics();
  // Notification text (the summary) shows times in the team's zone; each platform's own
  // rendering shows readers their own zone where it can.
  const renderer = await createRenderer({ overlayDir: env.DAY2_TEMPLATES_DIR, zone: () => config.timezone });
  const adapters = new Map<Platform, ChatAdapter>();
  const deliveries = createDeliveryService({ connection: bullConnection, redis, prefix: queuePrefix(prefix) });
  const scheduler = createScheduler({ connection: bullConnection, redis, prefix: queuePrefix(prefix) });
  const depthProbe = createQueueDepthProbe({ connection: bullConnection, prefix: queuePrefix(prefix) });

  const publicUrl = env.DAY2_PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const mentions = () => directory.resolveMention;
  const zone = () => config.timezone;

  const http = createHttpServer({
    metrics,
    log,
    checks: () => [
      { name: 'redis', check: async () => void (await redis.ping()) },
      ...[...adapters.values()].map((a) => ({ name: a.platform, check: () => a.ping() })),
    ],
    beforeScrape: async () => recordQueueDepths(metrics, await depthProbe.queueDepths()),
  });

  if (env.SLACK_BOT_TOKEN) {
    adapters.set(
      'slack',
      await createSlackAdapter({
        token: env.SLACK_BOT_TOKEN,
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        appToken: env.SLACK_APP_TOKEN,
        apiUrl: env.SLACK_API_URL,
        mountRaw: http.mountRaw,
        mentions,
        zone,
        log: log.child({ platform: 'slack' }),
        metrics,
      }),
    );
  }
  if (env.MATTERMOST_URL && env.MATTERMOST_TOKEN) {
    adapters.set(
      'mattermost',
      await createMattermostAdapter({
        url: env.MATTERMOST_URL,
        token: env.MATTERMOST_TOKEN,
        commandTokens: env.MATTERMOST_COMMAND_TOKENS,
        // Mattermost does not sign button clicks; this key signs what we put in their context.
        actionSecret: env.DAY2_ACTION_SECRET ?? createHash('sha256').update(`day2-actions:${env.MATTERMOST_TOKEN}`).digest('hex'),
        publicUrl,
        router: http.platformRouter,
        websocket: env.MATTERMOST_WEBSOCKET === 'true',
        mentions,
        zone,
        log: log.child({ platform: 'mattermost' }),
        metrics,
      }),
    );
  }
  if (opts.console) {
    const c = opts.console;
    adapters.set(
      'console',
      new ConsoleAdapter({ input: c.input, output: c.output, interactive: c.interactive, userId: c.userId, mentions, zone, onClose: c.onClose }),
    );
  }

  const readConfig = async (): Promise<ReloadOutcome> => {
    if (!opts.configFile) return { ok: false, problems: [{ path: '(config)', message: 'this bot was started without a config file, so there is nothing to reload' }] };
    const result = await loadConfig(opts.configFile);
    if (!result.ok) {
      log.warn({ problems: result.problems }, 'config reload refused; keeping the old config');
      return result;
    }
    if (result.config.redisPrefix !== config.redisPrefix) {
      return { ok: false, problems: [{ path: 'redisPrefix', message: 'cannot change while running: restart Day2 to move to another prefix' }] };
    }
    config = result.config;
    directory = new Directory(config);
    log.info({ file: opts.configFile }, 'config reloaded');
    return { ok: true, people: config.people.length, teams: config.teams.length, environments: config.environments.length };
  };

  // /day2 reload and SIGHUP take the same path: read the file, then let the features that keep
  // derived state catch up (on-call re-syncs rotations and on-duty groups, and warns of overlaps).
  async function reload(): Promise<ReloadOutcome> {
    const outcome = await readConfig();
    if (!outcome.ok) return outcome;
    const warnings = await oncall.afterReload();
    return warnings.length > 0 ? { ...outcome, warnings: [...(outcome.warnings ?? []), ...warnings] } : outcome;
  }

  const services: Services = {
    config: () => config,
    directory: () => directory,
    redis,
    renderer,
    audit: createAuditLog(redis),
    reload,
    deliveries,
    scheduler,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    openForm: async (event, form) => {
      const adapter = adapters.get(event.platform);
      if (!adapter || !event.triggerId) throw new Error(`cannot open a form on ${event.platform} without a trigger id`);
      await adapter.openForm(event.triggerId, form, { channelId: event.channel.id, userId: event.user.id });
    },
  };

  const groupsOf = async (user: UserRef): Promise<string[]> => {
    if (!directory.usesGroups) return [];
    return (await adapters.get(user.platform)?.groupsOf(user.id)) ?? [];
  };
  // Plain DMs from someone answering the onboarding questionnaire go on as `/onboard answer …`.
  const dispatch = routeConversations(createDispatcher({ families: opts.families ?? allFamilies, services, metrics, log, groupsOf, clock: opts.clock }), services);

  const clock = opts.clock ?? (() => new Date());
  const core = { redis, renderer, scheduler, deliveries, config: () => config, log };
  const notices = wireNotices(core);
  const oncall = wireOncall({ ...core, adapters, metrics, clock: opts.clock });
  const tours = wireTours({ redis, oncall: oncall.oncall, scheduler, deliveries, renderer, platforms: () => new Set(adapters.keys()), log: log.child({ feature: 'oncall' }) });
  const onboarding = wireOnboarding({ services, scheduler, adapters, metrics, log, clock: opts.clock });
  const cadence = wireCadence({ ...core, clock: opts.clock });
  Object.assign(services, notices, oncall, cadence, { tours, onboarding });
  const releases = wireReleases({ ...core, sources: () => services, platforms: () => new Set(adapters.keys()), userIdOf: async (platform, handle) => adapters.get(platform)?.userIdOf(handle), publicUrl, clock: opts.clock });
  services.releases = releases;
  mountFeeds(http.app, { config: () => config, log, clock, notices, oncall, cadence, releases });

  const delivery = await startDeliveryWorker({
    connection: bullConnection,
    redis,
    prefix: queuePrefix(prefix),
    adapters,
    metrics,
    log: log.child({ worker: 'delivery' }),
    perChannelIntervalMs: config.delivery.perChannelIntervalMs,
    perPlatformPerSecond: config.delivery.platformRates,
    burst: config.delivery.burst,
    attempts: config.delivery.attempts,
    ...opts.worker,
  });
  const timers = await startTimerWorker({ connection: bullConnection, redis, prefix: queuePrefix(prefix), scheduler, log: log.child({ worker: 'timers' }), ...opts.worker });

  let stopping: Promise<void> | undefined;
  return {
    http,
    adapters,
    deliveries,
    scheduler,
    metrics,
    services,
    reload,
    async start(port, host) {
      const bound = await http.listen(port, host);
      for (const a of adapters.values()) await a.start(dispatch);
      log.info({ port: bound, platforms: [...adapters.keys()] }, 'Day2 ready');
      return bound;
    },
    stop(timeoutMs = 10_000) {
      stopping ??= (async () => {
        http.draining = true;
        await Promise.allSettled([...adapters.values()].map((a) => a.stop()));
        await http.close();
        // In-flight jobs finish (bounded); whatever is still queued stays in Redis for next time.
        const bounded = (p: Promise<void>) => Promise.race([p, new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]);
        await bounded(Promise.allSettled([delivery.close(), timers.close()]).then(() => undefined));
        await Promise.allSettled([deliveries.close(), scheduler.close(), depthProbe.close()]);
        await Promise.allSettled([redis.quit(), bullConnection.quit()]);
        log.info('Day2 stopped');
      })();
      return stopping;
    },
  };
}
