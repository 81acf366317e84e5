/**
 * Wires release coordination into a bot: store, coordinator (reading the platform calendar through
 * the PlatformCalendar port), countdown timers and announcements, and the iCal feed. Adds
 * `services.releases`; `services.releaseCalendar` may be set by anyone to replace the calendar
 * (tests do), otherwise the notices and cadence services are read when they are there.
 */
import type { Platform } from '../../chat/port.js';
import type { Config } from '../../config.js';
import type { Services } from '../../dispatch/services.js';
import type { DeployNoticePort, PlatformCalendar } from '../../domain/release/calendar-port.js';
import { mountReleaseIcal } from '../../http/feeds/release.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../log.js';
import { createReleaseCoordinator, type ReleaseCoordinator } from '../../store/release/coordinator.js';
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

declare module '../../dispatch/services.js' {
  interface Services {
    /** Release-date coordination (commands/release.ts). */
    releases?: ReleaseServices;
    /** Overrides where maintenance windows and blocking events come from (default: notices and cadence). */
    releaseCalendar?: PlatformCalendar;
    /** Overrides where release-day deploy notices go (default: the notices feature, when present). */
    releaseDeployNotices?: DeployNoticePort;
  }
}

export interface ReleaseWiring {
  services: Services;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  http: HttpServer;
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
  const { services } = ctx;
  const store = createReleaseStore(services.redis);
  const fromServices = calendarFromServices(() => services as CalendarSources);
  let countdown: ReleaseCountdown | undefined;
  const coordinator = createReleaseCoordinator({
    store,
    config: ctx.config,
    calendar: () => services.releaseCalendar ?? fromServices,
    changed: (r, kind, now) => countdown?.changed(r, kind, now) ?? Promise.resolve(),
  });
  countdown = createReleaseCountdown({
    config: ctx.config,
    store,
    coordinator,
    scheduler: ctx.scheduler,
    deliveries: ctx.deliveries,
    renderer: services.renderer,
    platforms: ctx.platforms,
    ...(ctx.userIdOf ? { userIdOf: ctx.userIdOf } : {}),
    deployNotices: () => {
      if (services.releaseDeployNotices) return services.releaseDeployNotices;
      const notices = (services as { notices?: NoticeCreatorLike }).notices;
      return notices ? deployNoticesFrom(notices, services.redis) : undefined;
    },
    log: ctx.log.child({ feature: 'releases' }),
  });
  countdown.register();
  mountReleaseIcal(ctx.http.app, { store, coordinator, clock: ctx.clock ?? (() => new Date()), log: ctx.log });
  const wired = { coordinator, store, countdown, publicUrl: ctx.publicUrl };
  services.releases = wired;
  return wired;
}
