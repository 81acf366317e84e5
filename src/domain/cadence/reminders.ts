/**
 * Reminder offsets ("1d", "1h", "30m") and where they fall. Days are calendar days in the
 * cadence's zone (a reminder "1d before" a 10:00 meeting is at 10:00 the day before, DST or not);
 * hours and minutes are elapsed time.
 */
import { addDuration, type Duration } from '../../time/when.js';
import type { Parsed } from './schedule.js';

export function parseReminder(raw: string): Parsed<Duration> {
  const m = /^(\d{1,3})(d|h|m)$/.exec(raw.trim().toLowerCase());
  if (!m) return { ok: false, problem: `"${raw}" is not a reminder offset such as 1d, 1h or 30m` };
  const n = Number(m[1]);
  if (n === 0) return { ok: false, problem: 'a reminder offset must be longer than zero' };
  if (m[2] === 'd') return n > 60 ? { ok: false, problem: 'reminders go at most 60 days ahead' } : { ok: true, value: { days: n } };
  return { ok: true, value: { ms: n * (m[2] === 'h' ? 3_600_000 : 60_000) } };
}

/** The instant `offset` before `at`, counted on the wall clock of `zone`. */
export function reminderAt(at: Date, offset: string, zone: string): Date {
  const d = parseReminder(offset);
  if (!d.ok) throw new Error(d.problem);
  const back: Duration = {};
  if (d.value.days) back.days = -d.value.days;
  if (d.value.ms) back.ms = -d.value.ms;
  return addDuration(at, back, zone);
}

/** Length in milliseconds of a duration string used as an occurrence length ("1h", "90m", "1d" = 24 h). */
export function lengthMs(raw: string): number {
  const d = parseReminder(raw);
  if (!d.ok) throw new Error(d.problem);
  return (d.value.ms ?? 0) + (d.value.days ?? 0) * 86_400_000;
}
