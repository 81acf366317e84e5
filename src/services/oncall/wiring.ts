/**
 * Wires the on-call feature into a bot: the rotation store and service, and `services.oncall`
 * for command handlers. A successful config reload starts new declaration versions at once, so a
 * changed rotation applies from the reload instant on.
 */
import type { ChatAdapter, Platform } from '../../chat/port.js';
import type { Config } from '../../config.js';
import { rotationOverlapWarnings } from '../../domain/oncall/overlap-warnings.js';
import type { Services } from '../../dispatch/services.js';
import { createOncallIcalTokens, mountOncallIcal, type OncallIcalTokens } from '../../http/feeds/oncall.js';
import type { Metrics } from '../../metrics.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../log.js';
import { createRotationStore } from '../../store/oncall/rotation-store.js';
import { createSupportStore } from '../../store/oncall/support-store.js';
import { createTourStore } from '../../store/tour/store.js';
import { createTourService, type TourService } from '../tour/service.js';
import type { DeliveryService } from '../../delivery/service.js';
import { createDutyGroupStore } from '../../store/oncall/duty-group-store.js';
import { createDutyGroups, type DutyGroups } from './duty-groups.js';
import { registerHandoffTimers, type HandoffPlanner } from './handoffs.js';
import { createOncallService, type OncallService } from './service.js';
import { createSupportService, type SupportService } from './support.js';
import type { Scheduler } from '../../delivery/scheduler.js';

declare module '../../dispatch/services.js' {
  interface Services {
    /** Rotations, their resolved schedules and chat changes (commands/oncall.ts). */
    oncall?: OncallService;
    /** Handoff/reminder timer planning for rotations. */
    oncallHandoffs?: HandoffPlanner;
    /** Support requests routed to the current tribute (commands/support.ts). */
    support?: SupportService;
    /** Feed tokens for GET /ical/oncall/<team>.ics. */
    oncallIcalTokens?: OncallIcalTokens;
    /** Tours of duty (commands/tour.ts). */
    tours?: TourService;
    /** On-duty groups kept in sync with the rotations (problems shown by `/oncall who`). */
    oncallDutyGroups?: DutyGroups;
  }
}

export interface OncallWiring {
  services: Services;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  http: HttpServer;
  config: () => Config;
  log: Logger;
  metrics?: Metrics;
  clock?: () => Date;
}

export function wireOncall(ctx: OncallWiring): OncallService {
  const clock = ctx.clock ?? (() => new Date());
  // Overlapping layers are not errors (precedence resolves them) but usually a mistake: say so
  // whenever a declaration is loaded (the log at start-up, the /day2 reload answer).
  const reportOverlaps = (): string[] => {
    const warnings = rotationOverlapWarnings(ctx.config().rotations, ctx.config().timezone, clock());
    for (const w of warnings) ctx.log.warn(`on-call: ${w}`);
    return warnings;
  };
  const oncall = createOncallService({
    store: createRotationStore(ctx.services.redis),
    config: ctx.config,
    userIdOf: async (platform, handle) => ctx.adapters.get(platform)?.userIdOf(handle),
  });
  const reload = ctx.services.reload;
  if (reload) {
    ctx.services.reload = async () => {
      const outcome = await reload();
      if (outcome.ok) {
        await oncall.sync(clock()).catch((e: unknown) => ctx.log.error({ err: e }, 'on-call: syncing rotations after reload failed'));
        const warnings = reportOverlaps();
        // A changed dutyGroup section (another group, another channel) applies at once.
        await dutyGroups.requestAll().catch((e: unknown) => ctx.log.error({ err: e }, 'on-call: syncing on-duty groups after reload failed'));
        if (warnings.length > 0) return { ...outcome, warnings: [...(outcome.warnings ?? []), ...warnings] };
      }
      return outcome;
    };
  }
  const log = ctx.log.child({ feature: 'oncall' });
  const dutyGroups = createDutyGroups({
    oncall,
    scheduler: ctx.scheduler,
    adapters: ctx.adapters,
    renderer: ctx.services.renderer,
    store: createDutyGroupStore(ctx.services.redis),
    config: ctx.config,
    log,
    clock,
    ...(ctx.metrics ? { metrics: ctx.metrics } : {}),
  });
  // What support, handoffs and tours all send through.
  const sending = {
    oncall,
    scheduler: ctx.scheduler,
    deliveries: ctx.deliveries,
    renderer: ctx.services.renderer,
    platforms: () => new Set(ctx.adapters.keys()),
    log,
  };
  const support = createSupportService({
    ...sending,
    store: createSupportStore(ctx.services.redis),
    clock,
    ...(ctx.metrics ? { metrics: ctx.metrics } : {}),
  });
  const handoffs = registerHandoffTimers({
    ...sending,
    clock,
    support,
    dutyGroups,
  });
  // Plan every rotation's next handoff now, and keep an hourly safety net for anything missed.
  void (async () => {
    await ctx.scheduler.every('oncall-replan', { pattern: '7 * * * *', tz: 'UTC' }, 'oncall-replan', {});
    reportOverlaps();
    await handoffs.planAll();
  })().catch((e: unknown) => log.error({ err: e }, 'on-call: planning handoffs at start failed'));
  ctx.services.oncall = oncall;
  ctx.services.oncallHandoffs = handoffs;
  ctx.services.oncallDutyGroups = dutyGroups;
  ctx.services.support = support;
  const tokens = createOncallIcalTokens(ctx.services.redis);
  mountOncallIcal(ctx.http.app, { config: ctx.config, tokens, oncall, log, clock });
  ctx.services.oncallIcalTokens = tokens;
  ctx.services.tours = createTourService({ ...sending, store: createTourStore(ctx.services.redis) });
  return oncall;
}
