/**
 * Timer kinds of the notices feature. Each payload carries ids only; the handler reloads the
 * notice and does nothing when it is gone or already past that step, so a timer that fires twice
 * (a restart, a second process) changes nothing the second time.
 */
import { z } from 'zod';
import type { NoticeService } from './service.js';
import { TIMER } from './service.js';
import type { Scheduler } from '../../delivery/scheduler.js';

const id = z.string().regex(/^[0-9]{1,12}$/);

export function registerNoticeTimers(scheduler: Scheduler, notices: NoticeService): void {
  scheduler.handle(TIMER.fanout, z.object({ id, fromUpdate: z.int().min(1) }), (d) => notices.fanOut(d.id, d.fromUpdate));
  scheduler.handle(TIMER.report, z.object({ id, n: z.int().min(1), since: z.number() }), (d) => notices.onReport(d.id, d.n, d.since));
  scheduler.handle(TIMER.reminder, z.object({ id, offsetMs: z.int().min(1) }), (d) => notices.onReminder(d.id, d.offsetMs));
  scheduler.handle(TIMER.start, z.object({ id }), (d) => notices.onStart(d.id));
  scheduler.handle(TIMER.end, z.object({ id }), (d) => notices.onEnd(d.id));
}
