/**
 * Wires the on-call feature into a bot: the rotation store and service, support routing, handoff
 * timers and on-duty groups. What it returns is what command handlers use; the app mounts the
 * iCal feed on it and runs `afterReload` after each successful reload.
 */
import type { ChatAdapter, Platform } from '../../chat/port.js';
import type { Config } from '../../config.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import { rotationOverlapWarnings } from '../../domain/oncall/overlap-warnings.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { Renderer } from '../../render/renderer.js';
import { createDutyGroupStore } from '../../store/oncall/duty-group-store.js';
import { createOncallIcalTokens, type OncallIcalTokens } from '../../store/oncall/feed-tokens.js';
import { createRotationStore } from '../../store/oncall/rotation-store.js';
import { createSupportStore } from '../../store/oncall/support-store.js';
import type { RedisClient } from '../../store/redis.js';
import { registerAbsenceCover } from './absence-cover.js';
import { createDutyGroups, type DutyGroups } from './duty-groups.js';
import { registerHandoffTimers, type HandoffDeps, type HandoffPlanner } from './handoffs.js';
import { createOncallService, type OncallService } from './service.js';
import { createSupportService, type SupportService } from './support.js';

export interface OncallWiring {
  redis: RedisClient;
  renderer: Renderer;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  config: () => Config;
  log: Logger;
  metrics?: Metrics;
  clock?: () => Date;
  /** Open alert pages move to the incoming tribute at a handoff (see HandoffDeps.pages). */
  pages?: HandoffDeps['pages'];
}

export interface OncallFeature {
  /** Rotations, their resolved schedules and chat changes (commands/oncall/). */
  oncall: OncallService;
  /** Handoff/reminder timer planning for rotations. */
  oncallHandoffs: HandoffPlanner;
  /** Support requests routed to the current tribute (commands/oncall/support.ts). */
  support: SupportService;
  /** Feed tokens for GET /ical/oncall/<team>.ics. */
  oncallIcalTokens: OncallIcalTokens;
  /** On-duty groups kept in sync with the rotations (problems shown by `/oncall who`). */
  oncallDutyGroups: DutyGroups;
  /**
   * Run after a successful config reload: a changed rotation applies from the reload instant
   * on, a changed dutyGroup section at once. Answers the overlap warnings of the new rotations.
   */
  afterReload(): Promise<string[]>;
  /** What on-call messages go out through; tours send through the same (a guest joins a rotation). */
  sending: OncallSending;
  /** Settles when every rotation is loaded from the config and its next handoff planned (readiness waits for it). */
  started: Promise<void>;
}

export type OncallSending = ReturnType<typeof oncallSending>;

export function wireOncall(ctx: OncallWiring): OncallFeature {
  const clock = ctx.clock ?? (() => new Date());
  const log = ctx.log.child({ feature: 'oncall' });
  // Overlapping layers are not errors (precedence resolves them) but usually a mistake: say so
  // whenever a declaration is loaded (the log at start-up, the /day2 reload answer).
  const reportOverlaps = (): string[] => {
    const warnings = rotationOverlapWarnings(ctx.config().rotations, ctx.config().timezone, clock());
    for (const w of warnings) ctx.log.warn(`on-call: ${w}`);
    return warnings;
  };
  const oncall = createOncallService({
    store: createRotationStore(ctx.redis),
    config: ctx.config,
    userIdOf: async (platform, handle) => ctx.adapters.get(platform)?.userIdOf(handle),
  });
  const dutyGroups = createDutyGroups({
    oncall,
    scheduler: ctx.scheduler,
    adapters: ctx.adapters,
    renderer: ctx.renderer,
    store: createDutyGroupStore(ctx.redis),
    config: ctx.config,
    log,
    clock,
    ...(ctx.metrics ? { metrics: ctx.metrics } : {}),
  });
  const sending = oncallSending(ctx, oncall, log);
  const supportStore = createSupportStore(ctx.redis);
  const support = createSupportService({
    ...sending,
    store: supportStore,
    clock,
    ...(ctx.metrics ? { metrics: ctx.metrics } : {}),
  });
  const handoffs = registerHandoffTimers({ ...sending, clock, support, dutyGroups, ...(ctx.pages ? { pages: ctx.pages } : {}) });
  // Hours someone keeping a turn is away become cover requests when the absence is recorded.
  registerAbsenceCover(sending);
  // Plan every rotation's next handoff now, and keep an hourly safety net for anything missed.
  const started = (async () => {
    // Data from before one-item-per-override storage moves first (reads merge both layouts
    // meanwhile, so nothing waits on it); a no-op once done.
    const moved = await oncall.migrate();
    if (moved.rotations + moved.people > 0) log.info({ moved }, 'on-call: moved overrides, swaps and absences to one record each');
    // `/oncall stats` reads day buckets; requests stored before them get their entries once.
    const backfilled = await supportStore.backfillDays();
    if (backfilled > 0) log.info({ requests: backfilled }, 'on-call: support stats day buckets backfilled');
    await ctx.scheduler.every('oncall-replan', { pattern: '7 * * * *', tz: 'UTC' }, 'oncall-replan', {});
    reportOverlaps();
    await handoffs.planAll();
  })();
  started.catch((e: unknown) => log.error({ err: e }, 'on-call: planning handoffs at start failed'));
  const afterReload = async (): Promise<string[]> => {
    await oncall.sync(clock()).catch((e: unknown) => ctx.log.error({ err: e }, 'on-call: syncing rotations after reload failed'));
    const warnings = reportOverlaps();
    await dutyGroups.requestAll().catch((e: unknown) => ctx.log.error({ err: e }, 'on-call: syncing on-duty groups after reload failed'));
    return warnings;
  };
  return { oncall, oncallHandoffs: handoffs, support, oncallIcalTokens: createOncallIcalTokens(ctx.redis), oncallDutyGroups: dutyGroups, afterReload, sending, started };
}

/** What support and handoffs both send through. */
function oncallSending(ctx: Pick<OncallWiring, 'scheduler' | 'deliveries' | 'renderer' | 'adapters'>, oncall: OncallService, log: Logger) {
  return {
    oncall,
    scheduler: ctx.scheduler,
    deliveries: ctx.deliveries,
    renderer: ctx.renderer,
    platforms: () => new Set(ctx.adapters.keys()),
    log,
  };
}
