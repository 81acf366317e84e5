/**
 * What alert paging needs and offers: its deps, the escalation timer kind and payload, and the
 * delivery keys of a page's copies (one key for every channel and DM copy, edited by revision).
 */
import { z } from 'zod';
import type { Platform } from '../../chat/port.js';
import type { AlertsConfig } from '../../domain/alert/config.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { AlertGroupStore } from '../../store/alert/groups.js';
import type { AlertPageStore } from '../../store/alert/pages.js';
import type { OncallService } from '../oncall/service.js';
import type { AlertMetrics } from './metrics.js';
import type { Silencer } from './silences.js';

export interface PagingDeps {
  config: () => AlertsConfig;
  groups: AlertGroupStore;
  pages: AlertPageStore;
  oncall: Pick<OncallService, 'entryForTeam' | 'team' | 'duty' | 'addressesOf'>;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  platforms: () => ReadonlySet<Platform>;
  silencer: Silencer;
  metrics: AlertMetrics;
  log: Logger;
  clock: () => Date;
  /** Maintenance windows of an environment overlapping [from, to) (the notices feature's). */
  maintenanceWindows?: (env: string, from: Date, to: Date) => Promise<{ noticeId: string; envName?: string; start: Date; end: Date; status: string }[]>;
}

export const ESCALATE_TIMER = 'alert-escalate';
/** `steps`: how many steps the page had when the timer was set; a later step makes it stale. */
export const escalateData = z.object({ id: z.string(), steps: z.int().min(1) });

/**
 * Edits of a page as alerts join or change its group go out from this timer, not inside the
 * webhook's request: the request stores the change and answers. `revision`: the page's revision
 * the timer was set for; a later revision has a timer (or a publish) of its own, so this one
 * stands down.
 */
export const PUBLISH_TIMER = 'alert-publish';
export const publishData = z.object({ id: z.string(), revision: z.int().min(1) });

export const pageKey = (id: string) => `alert-page-${id}`;
