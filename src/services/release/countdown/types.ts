/**
 * What the release countdown needs, and the names of its timer kinds.
 */
import type { Platform } from '../../../chat/port.js';
import type { Config } from '../../../config.js';
import type { DeployNoticePort } from '../../../domain/release/calendar-port.js';
import type { Logger } from '../../../log.js';
import type { Renderer } from '../../../render/renderer.js';
import type { ReleaseCoordinator } from '../coordinator.js';
import type { ReleaseStore } from '../../../store/release/store.js';
import type { DeliveryService } from '../../../delivery/service.js';
import type { Scheduler } from '../../../delivery/scheduler.js';

export const REMINDER_KIND = 'release-reminder';
export const DAY_KIND = 'release-day';

export interface CountdownDeps {
  config(): Config;
  store: ReleaseStore;
  coordinator: ReleaseCoordinator;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  /** Platforms with a running adapter; channels and DMs elsewhere are skipped. */
  platforms(): ReadonlySet<Platform>;
  /** The platform user id behind a configured handle (ChatAdapter.userIdOf), for DMs to people Day2 has not seen yet. */
  userIdOf?(platform: Platform, handle: string): Promise<string | undefined>;
  deployNotices?(): DeployNoticePort | undefined;
  log: Logger;
}
