/**
 * Wires release coordination into a bot: store, coordinator (reading the platform calendar through
 * the PlatformCalendar port), countdown timers and announcements. `releaseCalendar` in the
 * sources may be set by anyone to replace the calendar (tests do); otherwise the notices and
 * cadence features are read when they are there. The app mounts the iCal feed on the result.
 */
import type { Platform } from '../../chat/port.js';
import type { Config } from '../../config.js';
import type { DeployNoticePort, PlatformCalendar } from '../../domain/release/calendar-port.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { RedisClient } from '../../store/redis.js';
import { createReleaseCoordinator, type ReleaseCoordinator } from './coordinator.js';
import { createReleaseStore, type ReleaseStore } from '../../store/release/store.js';
import type { DeliveryService } from '../../delivery/service.js';
import { calendarFromServices, deployNoticesFrom, type CalendarSources, type NoticeCreatorLike } from './calendar-adapters.js';
import { createReleaseCountdown, type ReleaseCountdown } from './countdown.js';
import type { Scheduler } from '../../delivery/scheduler.js';

export interface ReleaseServices {
  coordinator: ReleaseCoordinator;
  store: ReleaseStore;
  countdown: ReleaseCountdown;
  /** Day2's public base URL, for feed addresses. */
  publicUrl: string;
}

/**
 * Where release coordination finds the other features, looked up on each use so a feature wired
 * later (or replaced in a test) is seen: the handlers' services container fits this shape.
 */
export interface ReleaseSources extends CalendarSources {
  /** Overrides where maintenance windows and blocking events come from (default: notices and cadence). */
  releaseCalendar?: PlatformCalendar;
  /** Overrides where release-day deploy notices go (default: the notices feature, when present). */
  releaseDeployNotices?: DeployNoticePort;
  notices?: NoticeCreatorLike;
}

export interface ReleaseWiring {
  redis: RedisClient;
  renderer: Renderer;
  sources: () => ReleaseSources;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  config: () => Config;
  platforms: () => ReadonlySet<Platform>;
  /** The platform user id behind a configured handle (ChatAdapter.userIdOf). */
  userIdOf?: (platform: Platform, handle: string) => Promise<string | undefined>;
  /** DAY2_PUBLIC_URL (or http://localhost:<PORT>). */
  publicUrl: string;
  log: Logger;
  clock?: () => Date;
}

export function wireReleases(ctx: ReleaseWiring): ReleaseServices {
  const store = createReleaseStore(ctx.redis);
  const fromServices = calendarFromServices(ctx.sources);
  let countdown: ReleaseCountdown | undefined;
  const coordinator = createReleaseCoordinator({
    store,
    config: ctx.config,
    calendar: () => ctx.sources().releaseCalendar ?? fromServices,
    changed: (r, kind, now) => countdown?.changed(r, kind, now) ?? Promise.resolve(),
  });
  countdown = createReleaseCountdown({
    config: ctx.config,
    store,
    coordinator,
    scheduler: ctx.scheduler,
    deliveries: ctx.deliveries,
    renderer: ctx.renderer,
    platforms: ctx.platforms,
    ...(ctx.userIdOf ? { userIdOf: ctx.userIdOf } : {}),
    deployNotices: () => {
      const sources = ctx.sources();
      if (sources.releaseDeployNotices) return sources.releaseDeployNotices;
      return sources.notices ? deployNoticesFrom(sources.notices, ctx.redis) : undefined;
    },
    log: ctx.log.child({ feature: 'releases' }),
  });
  countdown.register();
  return { coordinator, store, countdown, publicUrl: ctx.publicUrl };
}
