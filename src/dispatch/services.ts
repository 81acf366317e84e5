/**
 * What command handlers may use besides their arguments: the dispatcher's own part of the
 * services container. Each feature's part (notices, on-call, releases…) is added in
 * commands/services.ts, which joins the features to the handlers, so the dispatcher knows no
 * feature and no feature knows the dispatcher. The app (src/app.ts) fills it in; handlers never
 * build their own connections or see a chat adapter.
 */
import type { InboundEvent } from '../chat/port.js';
import type { FormSpec } from '../chat/message.js';
import type { Config, ConfigProblem } from '../config.js';
import type { Directory } from '../directory.js';
import type { DeliveryService } from '../delivery/service.js';
import type { Scheduler } from '../delivery/scheduler.js';
import type { Renderer } from '../render/renderer.js';
import type { AuditLog } from '../store/audit.js';
import type { RedisClient } from '../store/redis.js';

/**
 * What a config reload did: either the new counts (and warnings about things that load but look
 * wrong, such as overlapping rotation layers), or every problem that made it refuse.
 */
export type ReloadOutcome =
  | { ok: true; people: number; teams: number; environments: number; warnings?: string[] }
  | { ok: false; problems: ConfigProblem[] };

export interface Services {
  /** The config in force now (it changes on reload: call it, do not keep the result). */
  config(): Config;
  /** The directory for the config in force now. */
  directory(): Directory;
  /** Day2's own Redis connection, already key-prefixed (`<redisPrefix>:`). */
  redis: RedisClient;
  renderer: Renderer;
  audit: AuditLog;
  /** Idempotent outbound delivery (posts and updates to channels and DMs), paced per channel. */
  deliveries?: DeliveryService;
  /** Timers and recurring schedules (reminders, rotations, handoffs). */
  scheduler?: Scheduler;
  /** Re-read the config file; keeps the old config when the new one has problems. */
  reload?(): Promise<ReloadOutcome>;
  /** Where people and platforms reach Day2 over HTTP (DAY2_PUBLIC_URL), without a trailing slash. */
  publicUrl?: string;
  /** Open a form (Slack modal / Mattermost dialog) in answer to `event`, using its trigger id. */
  openForm(event: InboundEvent, form: FormSpec): Promise<void>;
  /** A channel by the name people know it by, for answers that list channels; its id when no name can be had. */
  channelName?(platform: string, channelId: string): Promise<string>;
}
