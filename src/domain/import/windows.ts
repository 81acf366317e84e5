/**
 * Weekly on-duty windows, as every source states them in its own way (Opsgenie's time-of-day and
 * weekday restrictions, PagerDuty's daily and weekly restrictions), turned into Day2 restrictions.
 *
 * A Day2 restriction is one window (`from`–`to`, past midnight when `to` <= `from`) on a set of
 * start days. A source rotation whose windows differ in their times becomes several layers of one
 * slot, one per distinct window, sharing the queue, anchor and turn: that keeps every window exact
 * instead of stretching one over the others.
 */
import type { RestrictionText } from './model.js';

const DAY_MIN = 1440;
const WEEK_MIN = 7 * DAY_MIN;
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** A window starting on `day` (0 = Sunday) at `start` minutes after local midnight, `length` minutes long. */
export interface WeeklyWindow {
  day: number;
  start: number;
  length: number;
}

const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * Day-sized pieces of the windows: a window of a day or less stays whole (it may run past
 * midnight); a longer one is cut at each local midnight.
 */
function pieces(windows: readonly WeeklyWindow[]): { day: number; from: number; to: number }[] {
  const out: { day: number; from: number; to: number }[] = [];
  for (const w of windows) {
    if (w.length <= DAY_MIN) {
      out.push({ day: w.day, from: w.start, to: (w.start + w.length) % DAY_MIN });
      continue;
    }
    let at = w.day * DAY_MIN + w.start;
    const end = at + w.length;
    while (at < end) {
      const dayStart = Math.floor(at / DAY_MIN) * DAY_MIN;
      const stop = Math.min(end, dayStart + DAY_MIN);
      out.push({ day: (dayStart / DAY_MIN) % 7, from: at - dayStart, to: (stop - dayStart) % DAY_MIN });
      at = stop;
    }
  }
  return out;
}

/** Day2 restrictions covering exactly these windows, one per distinct local time span. */
export function restrictionsOf(windows: readonly WeeklyWindow[]): RestrictionText[] {
  const groups = new Map<string, Set<number>>();
  for (const p of pieces(windows)) {
    const key = `${hhmm(p.from)}-${hhmm(p.to)}`;
    const days = groups.get(key) ?? new Set<number>();
    days.add(p.day);
    groups.set(key, days);
  }
  return [...groups.entries()].map(([key, days]) => ({
    days: [...days].sort((a, b) => a - b).map((d) => DAY_NAMES[d]!),
    from: key.slice(0, 5),
    to: key.slice(6),
  }));
}

/** The minutes of the week (Sunday 00:00 = 0) the windows cover, as sorted intervals; none = always. */
export function weekIntervals(windows: readonly WeeklyWindow[] | undefined): [number, number][] {
  if (!windows) return [[0, WEEK_MIN]];
  const out: [number, number][] = [];
  for (const w of windows) {
    const s = w.day * DAY_MIN + w.start;
    const e = s + Math.min(w.length, WEEK_MIN);
    if (e <= WEEK_MIN) out.push([s, e]);
    else out.push([s, WEEK_MIN], [0, e - WEEK_MIN]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** Whether two sets of weekly windows share any minute. */
export function overlapsWeekly(a: readonly [number, number][], b: readonly [number, number][]): boolean {
  return a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
}

export const WEEKDAY_INDEX: Record<string, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };

/** The length in minutes from (day, minute) to (endDay, endMinute), a whole week when they meet. */
export function spanMinutes(day: number, start: number, endDay: number, end: number): number {
  const len = (((endDay - day) * DAY_MIN + end - start) % WEEK_MIN + WEEK_MIN) % WEEK_MIN;
  return len === 0 ? WEEK_MIN : len;
}
