/**
 * An environment's release hours: the weekdays and the time-of-day window, read on the wall
 * clock of the environment's zone, in which releases may run. A slot must start and end inside
 * one day's window; the window is turned into instants per day, so DST days are handled by the
 * zone arithmetic in src/time/when.ts rather than by fixed offsets.
 */
import { localPartsOf, wallClockToInstant, type LocalDate, type LocalTime } from '../../time/when.js';
import type { Interval } from './blockers.js';

export interface ReleaseHours {
  /** Allowed weekdays of the start, 0 = Sunday. */
  weekdays: number[];
  from: LocalTime;
  /** Exclusive end of the window; later than `from` on the same day. */
  to: LocalTime;
}

export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** The window of `date` as instants, or undefined when releases do not run that weekday. */
export function windowOn(date: LocalDate, hours: ReleaseHours, zone: string): Interval | undefined {
  if (!hours.weekdays.includes(weekdayOf(date))) return undefined;
  return { start: wallClockToInstant(date, hours.from, zone), end: wallClockToInstant(date, hours.to, zone) };
}

/** Whether the whole slot lies inside the release window of the local day it starts on. */
export function withinReleaseHours(slot: Interval, hours: ReleaseHours, zone: string): boolean {
  const w = windowOn(localPartsOf(slot.start, zone), hours, zone);
  return !!w && slot.start.getTime() >= w.start.getTime() && slot.end.getTime() <= w.end.getTime();
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const hhmm = (t: LocalTime) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;

/** "Mon, Tue, Wed, Thu 09:00–16:00" for messages. */
export function describeHours(hours: ReleaseHours): string {
  const days = [...hours.weekdays].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => DAY_NAMES[d]);
  return `${days.join(', ')} ${hhmm(hours.from)}–${hhmm(hours.to)}`;
}
