/**
 * Wires the notices feature into a bot: its store and service, its timer kinds and the feed
 * tokens. What it returns is what handlers and other features use (release coordination reads
 * maintenance windows to find conflicts); the app mounts the iCal feed on it.
 */
import type { Config } from '../../config.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import { createIcalTokens, type IcalTokens } from '../../store/notice/feed-tokens.js';
import { createNoticeStore, type MaintenanceWindow } from '../../store/notice/store.js';
import type { RedisClient } from '../../store/redis.js';
import { createNoticeService, type NoticeService, type NoticeServiceDeps } from './service.js';
import { registerNoticeTimers } from './timers.js';

export type { MaintenanceWindow } from '../../store/notice/store.js';

export interface NoticeWiring {
  redis: RedisClient;
  renderer: Renderer;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  config: () => Config;
  log: Logger;
  /** See NoticeServiceDeps.onWindow: alert paging silences the environment for each window. */
  onWindow?: NoticeServiceDeps['onWindow'];
}

export interface NoticeFeature {
  /** Outage, maintenance and deploy notices (commands/notice/). */
  notices: NoticeService;
  /** Non-cancelled maintenance windows of an environment overlapping [from, to). */
  maintenanceWindows: (env: string, from: Date, to: Date) => Promise<MaintenanceWindow[]>;
  /** Feed tokens for GET /ical/maintenance/<env>.ics. */
  icalTokens: IcalTokens;
}

export function wireNotices(ctx: NoticeWiring): NoticeFeature {
  const notices = createNoticeService({
    store: createNoticeStore(ctx.redis),
    deliveries: ctx.deliveries,
    scheduler: ctx.scheduler,
    renderer: ctx.renderer,
    config: ctx.config,
    log: ctx.log.child({ feature: 'notices' }),
    ...(ctx.onWindow ? { onWindow: ctx.onWindow } : {}),
  });
  registerNoticeTimers(ctx.scheduler, notices);
  return { notices, maintenanceWindows: notices.maintenanceWindows, icalTokens: createIcalTokens(ctx.redis, ctx.config) };
}
