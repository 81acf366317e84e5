/**
 * Wall-clock arithmetic in IANA zones: turning "tomorrow 14:00" or "in 3d" into an instant for a
 * given zone. Days, weeks and months are calendar units (a day across a DST change is 23 or 25
 * hours), never fixed seconds: fixed-second durations are how rotations drift by an hour twice a
 * year.
 *
 * DST rules, applied everywhere a local time becomes an instant:
 *   - a local time that does not exist (the spring-forward gap) is read with the offset in force
 *     before the gap, as RFC 5545 says and as rotations do (02:30 on a 02:00→03:00 night gives
 *     03:30; 02:00 gives 03:00);
 *   - a local time that exists twice (the fall-back overlap) resolves to its first occurrence.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays, addMonths } from 'date-fns';

/**
 * A length of time. `ms` is exact elapsed time (hours, minutes, seconds); `days`, `weeks` and
 * `months` move the calendar date and keep the local time of day.
 */
export interface Duration {
  ms?: number;
  days?: number;
  weeks?: number;
  months?: number;
}

/** A calendar date; `month` is 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalTime {
  hour: number;
  minute: number;
}

/**
 * A point in time as the user typed it, not yet tied to a zone. Resolve it with `resolveWhen`
 * in the zone that matters (the caller's, or an environment's), at the moment of use.
 */
export type When =
  | { kind: 'now' }
  | { kind: 'in'; duration: Duration }
  /** An explicit date; the time defaults to 00:00. */
  | { kind: 'date'; date: LocalDate; time?: LocalTime }
  /** `today` (offset 0) or `tomorrow` (offset 1); the time defaults to 00:00. */
  | { kind: 'day'; offset: number; time?: LocalTime }
  /**
   * The next such weekday (0 = Sunday) whose time is still ahead: today counts if it is, unless
   * `afterToday` ("next mon", parsed in relative.ts) asks for a day after today.
   */
  | { kind: 'weekday'; weekday: number; time?: LocalTime; afterToday?: boolean };

const MINUTE = 60_000;
const DAY = 86_400_000;

function offsetMs(zone: string, instant: number): number {
  return tzOffset(zone, new Date(instant)) * MINUTE;
}

/**
 * The instant at which the wall clock in `zone` shows `date` `time` (plus optional seconds/ms),
 * with the gap and overlap rules above.
 */
export function wallClockToInstant(date: LocalDate, time: LocalTime, zone: string, seconds = 0, millis = 0): Date {
  // The wall-clock reading written as if it were UTC; the real instant is this minus the offset.
  const wall = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute, seconds, millis);
  // DST changes are months apart, so the offsets a day either side are the only candidates.
  const before = offsetMs(zone, wall - DAY);
  const after = offsetMs(zone, wall + DAY);
  const valid = [...new Set([before, after])].map((o) => wall - o).filter((u) => offsetMs(zone, u) === wall - u);
  if (valid.length > 0) return new Date(Math.min(...valid));

  // In the gap: no offset makes this wall time real. Read it with the offset in force before the
  // gap (RFC 5545 §3.3.5, and the rotations' rule in wall-clock.ts), so it lands as far after the
  // gap as it was inside it.
  return new Date(wall - before);
}

/** The calendar date, weekday (0 = Sunday) and time of day of `instant` on the wall in `zone`. */
export function localPartsOf(instant: Date, zone: string): LocalDate & LocalTime & { weekday: number; second: number; millisecond: number } {
  const d = new TZDate(instant.getTime(), zone);
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    weekday: d.getDay(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    millisecond: d.getMilliseconds(),
  };
}

/** `date` moved by whole calendar days (pure date arithmetic, no zone involved). */
export function addLocalDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Whether year/month/day name a real calendar date (no 31 April, 29 February only in leap years). */
export function isRealDate(date: LocalDate): boolean {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day));
  return d.getUTCFullYear() === date.year && d.getUTCMonth() === date.month - 1 && d.getUTCDate() === date.day;
}

/**
 * `from` plus `duration` as seen on the wall in `zone`: months, weeks and days move the local
 * date and keep the local time of day (a month after 31 January is the last day of February),
 * then `ms` is added as elapsed time.
 */
export function addDuration(from: Date, duration: Duration, zone: string): Date {
  let result = from;
  const calendarDays = (duration.weeks ?? 0) * 7 + (duration.days ?? 0);
  if ((duration.months ?? 0) !== 0 || calendarDays !== 0) {
    const p = localPartsOf(from, zone);
    // date-fns on a UTC-based date does the month clamping; UTC has no DST to disturb the date.
    const utcDate = addDays(addMonths(new TZDate(Date.UTC(p.year, p.month - 1, p.day), 'UTC'), duration.months ?? 0), calendarDays);
    const target = { year: utcDate.getFullYear(), month: utcDate.getMonth() + 1, day: utcDate.getDate() };
    result = wallClockToInstant(target, p, zone, p.second, p.millisecond);
  }
  return new Date(result.getTime() + (duration.ms ?? 0));
}

/** Resolve a `When` to an instant for a reader in `zone`, relative to `now`. */
export function resolveWhen(when: When, zone: string, now: Date): Date {
  const midnight: LocalTime = { hour: 0, minute: 0 };
  switch (when.kind) {
    case 'now':
      return new Date(now.getTime());
    case 'in':
      return addDuration(now, when.duration, zone);
    case 'date':
      return wallClockToInstant(when.date, when.time ?? midnight, zone);
    case 'day':
      return wallClockToInstant(addLocalDays(localPartsOf(now, zone), when.offset), when.time ?? midnight, zone);
    case 'weekday': {
      const today = localPartsOf(now, zone);
      const ahead = (when.weekday - today.weekday + 7) % 7 || (when.afterToday ? 7 : 0);
      const candidate = wallClockToInstant(addLocalDays(today, ahead), when.time ?? midnight, zone);
      // Today's (or this week's) slot has passed: the same weekday next week.
      if (candidate.getTime() > now.getTime()) return candidate;
      return wallClockToInstant(addLocalDays(today, ahead + 7), when.time ?? midnight, zone);
    }
  }
}

/** "1w 2d 3h 30m" — for confirmations and audit-friendly display. */
export function formatDuration(d: Duration): string {
  const parts: string[] = [];
  if (d.months) parts.push(`${d.months}mo`);
  if (d.weeks) parts.push(`${d.weeks}w`);
  if (d.days) parts.push(`${d.days}d`);
  let ms = d.ms ?? 0;
  for (const [unit, size] of [['h', 3_600_000], ['m', MINUTE], ['s', 1000]] as const) {
    if (ms >= size) {
      parts.push(`${Math.floor(ms / size)}${unit}`);
      ms %= size;
    }
  }
  if (ms > 0) parts.push(`${ms}ms`);
  return parts.length > 0 ? parts.join(' ') : '0m';
}
