/**
 * The rules of a notice's life, as pure functions: what may change, and into what. Every
 * refusal is an InputError with a message that says why, so the command answers it and nothing
 * is stored or sent.
 */
import { InputError, dated } from '../../errors.js';
import { withArticle } from '../wording.js';
import { STATUSES, isFinal, type Notice, type NoticeKind, type TimelineEntry } from './notice.js';
import { count } from '../wording.js';

export interface Change {
  at: Date;
  by: string;
  event: string;
  status?: string;
  text: string;
  /** Post this change as a thread reply (default true). */
  reply?: boolean;
  /** Idempotency: a change whose source is already in the timeline is not applied twice. */
  source?: string;
  patch?: Partial<Pick<Notice, 'impact' | 'postmortem' | 'end' | 'start'>>;
}

/** The status a notice of `kind` starts in. */
export function initialStatus(kind: NoticeKind): string {
  return STATUSES[kind][0];
}

/** Check a status typed for an update of this notice. */
export function checkStatus(notice: Pick<Notice, 'kind' | 'id' | 'status'>, status: string): void {
  const allowed: readonly string[] = STATUSES[notice.kind];
  if (!allowed.includes(status)) throw new InputError(`"${status}" is not a status of ${withArticle(notice.kind)} notice: use one of ${allowed.join(', ')}`);
}

/** Refuse changes to a notice that is over. */
export function checkOpen(notice: Pick<Notice, 'id' | 'status' | 'kind'>): void {
  if (isFinal(notice)) throw new InputError(`notice ${notice.id} is ${notice.status}; a ${notice.status} notice cannot change. Post a new notice instead.`);
}

/** Whether a change from `source` has been applied already. */
export function hasSource(notice: Pick<Notice, 'timeline'>, source: string | undefined): boolean {
  return source !== undefined && notice.timeline.some((e) => e.source === source);
}

/**
 * Apply a change: new status and fields, a timeline entry, the root revision bumped (its status
 * or last-update time changes), and a reply number when it is posted to threads.
 */
export function applyChange(notice: Notice, change: Change): Notice {
  if (hasSource(notice, change.source)) return notice;
  const status = change.status ?? notice.status;
  const reply = change.reply ?? true;
  const updates = reply ? notice.updates + 1 : notice.updates;
  const entry: TimelineEntry = { at: change.at.toISOString(), by: change.by, event: change.event, status, text: change.text };
  if (reply) entry.update = updates;
  if (change.source) entry.source = change.source;
  return {
    ...notice,
    ...change.patch,
    status,
    updates,
    rootRevision: notice.rootRevision + 1,
    updatedAt: change.at.toISOString(),
    timeline: [...notice.timeline, entry],
  };
}

/** Default longest maintenance window: two weeks; a longer one is almost always a typo. */
export const MAX_WINDOW_MS = 14 * 86_400_000;

/** A maintenance window must end after it starts, must not be over already, and must not be absurdly long. */
export function checkWindow(start: Date, end: Date, now: Date, maxMs = MAX_WINDOW_MS): void {
  if (end.getTime() <= start.getTime()) throw new InputError(dated`the end (${end}) is not after the start (${start})`);
  if (end.getTime() <= now.getTime()) throw new InputError(dated`that maintenance window is in the past (it ended ${end})`);
  if (end.getTime() - start.getTime() > maxMs) {
    const days = (ms: number) => {
      const n = Math.round((ms / 86_400_000) * 10) / 10;
      return count(n, 'day');
    };
    throw new InputError(`that maintenance window lasts ${days(end.getTime() - start.getTime())}, longer than the ${days(maxMs)} allowed (notices.maxWindow in the config); check the end or the duration`);
  }
}

/** Reminder instants for a window starting at `start`: one per offset, only those still ahead. */
export function reminderTimes(start: Date, offsetsMs: readonly number[], now: Date): { offsetMs: number; at: Date }[] {
  return [...new Set(offsetsMs)]
    .map((offsetMs) => ({ offsetMs, at: new Date(start.getTime() - offsetMs) }))
    .filter((r) => r.at.getTime() > now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Whether [start, end) overlaps [from, to). */
export function overlaps(start: Date, end: Date, from: Date, to: Date): boolean {
  return start.getTime() < to.getTime() && end.getTime() > from.getTime();
}

/** "1 h", "24 h", "30 min", "1 d 2 h" for reminder texts. */
export function describeOffset(ms: number): string {
  const d = Math.floor(ms / 86_400_000);
  const h = Math.floor((ms % 86_400_000) / 3_600_000);
  const m = Math.round((ms % 3_600_000) / 60_000);
  return [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ') || 'moments';
}
