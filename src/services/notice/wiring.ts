/**
 * Wires the notices feature into a bot: its store and service, its timer kinds, the iCal feed
 * route, and `services.notices` / `services.maintenanceWindows` for handlers and other features
 * (release coordination reads maintenance windows to find conflicts).
 */
import type { Config } from '../../config.js';
import type { Services } from '../../dispatch/services.js';
import { createIcalTokens, mountMaintenanceIcal, type IcalTokens } from '../../http/feeds/notice.js';
import type { HttpServer } from '../../http/server.js';
import type { Logger } from '../../log.js';
import { createNoticeStore, type MaintenanceWindow } from '../../store/notice/store.js';
import type { DeliveryService } from '../../delivery/service.js';
import { createNoticeService, type NoticeService } from './service.js';
import { registerNoticeTimers } from './timers.js';
import type { Scheduler } from '../../delivery/scheduler.js';

export type { MaintenanceWindow } from '../../store/notice/store.js';

declare module '../../dispatch/services.js' {
  interface Services {
    /** Outage, maintenance and deploy notices (commands/notice.ts). */
    notices?: NoticeService;
    /** Non-cancelled maintenance windows of an environment overlapping [from, to). */
    maintenanceWindows?: (env: string, from: Date, to: Date) => Promise<MaintenanceWindow[]>;
    /** Feed tokens for GET /ical/maintenance/<env>.ics. */
    icalTokens?: IcalTokens;
  }
}

export interface NoticeWiring {
  services: Services;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  http: HttpServer;
  config: () => Config;
  log: Logger;
}

export function wireNotices(ctx: NoticeWiring): NoticeService {
  const store = createNoticeStore(ctx.services.redis);
  const notices = createNoticeService({
    store,
    deliveries: ctx.deliveries,
    scheduler: ctx.scheduler,
    renderer: ctx.services.renderer,
    config: ctx.config,
    log: ctx.log.child({ feature: 'notices' }),
  });
  registerNoticeTimers(ctx.scheduler, notices);
  const tokens = createIcalTokens(ctx.services.redis, ctx.config);
  mountMaintenanceIcal(ctx.http.app, { config: ctx.config, tokens, windows: notices.maintenanceWindows, log: ctx.log });
  ctx.services.notices = notices;
  ctx.services.maintenanceWindows = notices.maintenanceWindows;
  ctx.services.icalTokens = tokens;
  return notices;
}
