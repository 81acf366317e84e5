/**
 * What the notices service offers and needs: its interface, its inputs and answers, and the
 * names of its timer kinds.
 */
import type { Config, Environment } from '../../config.js';
import type { OutboxEntry } from '../../delivery/outbox.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { DeclaredFrom, Notice, NoticeAuthor, NoticeDraft, NoticeKind, NoticeTarget, Severity } from '../../domain/notice/notice.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { MaintenanceWindow, NoticeStore } from '../../store/notice/store.js';
import type { Duration } from '../../time/when.js';

export const TIMER = {
  fanout: 'notice-fanout',
  report: 'notice-report',
  reminder: 'notice-reminder',
  start: 'notice-start',
  end: 'notice-end',
} as const;

export interface DraftInput {
  env: string;
  kind: NoticeKind;
  summary: string;
  components: string[];
  severity?: Severity;
  service?: string;
  version?: string;
  notes?: string;
  start?: Date;
  end?: Date;
  author: NoticeAuthor;
  /** The alert page an outage is declared from (its "Declare outage" button). */
  alertPage?: string;
  /** That page's title and team name, which the notice's messages show. */
  declaredFrom?: DeclaredFrom;
}

export interface LedgerRow {
  target: NoticeTarget;
  state: OutboxEntry['state'] | 'not queued';
  deliveredRevision?: number;
  error?: string;
  /** Thread replies this channel shows, of `updates`. */
  repliesDelivered: number;
  repliesFailed: number;
}

export interface FanoutReport {
  total: number;
  delivered: number;
  pending: number;
  failed: { target: NoticeTarget; error: string }[];
}

export interface NoticeService {
  readonly store: NoticeStore;
  environment(env: string): Environment;
  audience(env: string, kind: NoticeKind, components: readonly string[]): Promise<NoticeTarget[]>;
  /** Validate and keep a draft; nothing is sent until `confirm`. */
  draft(input: DraftInput, now?: Date): Promise<{ draft: NoticeDraft; audience: NoticeTarget[]; counts: { slack: number; mattermost: number; total: number } }>;
  /** Turn a draft into a notice and start its fan-out. Pressing confirm twice gives one notice. */
  confirm(draftId: string, now?: Date): Promise<Notice>;
  /** Draft and confirm in one step (for code that has no one to ask). */
  create(input: DraftInput, now?: Date): Promise<Notice>;
  /** `/notice update`: status and text, posted to every thread and shown on every root. */
  update(id: string, input: { status: string; text: string; by: string; impact?: string; postmortem?: string }, now?: Date): Promise<Notice>;
  /** Impact and postmortem of a resolved outage, added after the fact: a reply and every root edited. */
  resolution(id: string, input: { impact?: string; postmortem?: string; by: string }, now?: Date): Promise<Notice>;
  extend(id: string, by: Duration, who: string, now?: Date): Promise<Notice>;
  complete(id: string, who: string, now?: Date): Promise<Notice>;
  cancel(id: string, reason: string, who: string, now?: Date): Promise<Notice>;
  /** Queue the root at its current revision and replies from `fromUpdate` on, to the whole audience. Idempotent. */
  fanOut(id: string, fromUpdate: number): Promise<void>;
  /** Ask again for every copy that failed (and anything not yet queued); a new completion report follows. */
  retry(id: string, now?: Date): Promise<Notice>;
  report(id: string): Promise<FanoutReport>;
  ledger(id: string): Promise<LedgerRow[]>;
  maintenanceWindows(env: string, from: Date, to: Date): Promise<MaintenanceWindow[]>;
  /** Timer entry points (registered in notice-timers.ts). */
  onReminder(id: string, offsetMs: number, now?: Date): Promise<void>;
  onStart(id: string, now?: Date): Promise<void>;
  onEnd(id: string, now?: Date): Promise<void>;
  onReport(id: string, n: number, since: number, now?: Date): Promise<void>;
}

export interface NoticeServiceDeps {
  store: NoticeStore;
  deliveries: DeliveryService;
  scheduler: Scheduler;
  renderer: Renderer;
  config(): Config;
  log: Logger;
  /**
   * Told of each maintenance window set (confirmed), moved (extended) or stopped (completed,
   * cancelled, ended), with the notice as it is now; alert paging silences the environment for
   * it. A failure is logged and never fails the notice's change.
   */
  onWindow?: (notice: Notice) => Promise<void>;
}
