/**
 * Local date-times as plain values, and the rotation rule for turning one into an instant.
 *
 * Rotations hand off at wall-clock times, so their arithmetic happens on the wall reading (a
 * local date-time with no zone) and only the result becomes an instant. The reading is carried as
 * "wall milliseconds": the local date-time written as if it were UTC. Adding 24 h of wall time is
 * then "same time tomorrow", whatever the zone did overnight.
 *
 * DST rule, the same as src/time/when.ts uses for typed times, cadences and freezes:
 *   - a local time that does not exist (spring forward) is read with the offset in force before
 *     the gap, which lands it as far after the gap as it was inside it: 02:30 on a 02:00→03:00
 *     night is 03:30, and a 02:00 handoff is 03:00;
 *   - a local time that exists twice (fall back) is its first occurrence.
 */
import { tzOffset } from '@date-fns/tz';
import type { LocalDate, LocalTime } from './when.js';

export interface LocalDateTime extends LocalDate, LocalTime {}

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * Zone offsets, cached per zone and quarter hour. Every offset in use is a whole number of
 * quarter hours and clocks change at whole local minutes on the quarter hour, so a change of
 * offset always falls on a quarter-hour boundary in UTC and the offset at a quarter hour's start
 * holds for all of it. (Intl, behind tzOffset, costs microseconds per call; a year of turns asks
 * thousands of times.)
 */
const QUARTER = 15 * MINUTE;
const offsets = new Map<string, Map<number, number>>();
const MAX_CACHED = 200_000;
let cached = 0;

function offsetMs(zone: string, instant: number): number {
  let byZone = offsets.get(zone);
  if (!byZone) offsets.set(zone, (byZone = new Map()));
  const bucket = Math.floor(instant / QUARTER);
  let o = byZone.get(bucket);
  if (o === undefined) {
    o = tzOffset(zone, new Date(bucket * QUARTER)) * MINUTE;
    if (++cached > MAX_CACHED) {
      offsets.clear();
      cached = 0;
      offsets.set(zone, byZone = new Map());
    }
    byZone.set(bucket, o);
  }
  return o;
}

/** The wall reading written as if it were UTC (milliseconds). */
export function wallMsOf(dt: LocalDateTime): number {
  return Date.UTC(dt.year, dt.month - 1, dt.day, dt.hour, dt.minute);
}

/** Inverse of wallMsOf (seconds dropped). */
export function localDateTimeOfWallMs(ms: number): LocalDateTime {
  const d = new Date(ms);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

/** The wall reading (as wall ms) of an instant in `zone`. */
export function wallMsAt(instant: number, zone: string): number {
  return instant + offsetMs(zone, instant);
}

/**
 * The instant whose wall reading in `zone` is `wall` (wall ms), with the rotation DST rule above.
 */
export function instantOfWallMs(wall: number, zone: string): number {
  // DST changes are months apart, so the offsets a day either side are the only candidates.
  const before = offsetMs(zone, wall - DAY);
  const after = before === offsetMs(zone, wall + DAY) ? before : offsetMs(zone, wall + DAY);
  let best = Number.POSITIVE_INFINITY;
  for (const o of before === after ? [before] : [before, after]) {
    const u = wall - o;
    if (offsetMs(zone, u) === o && u < best) best = u; // the first occurrence wins an overlap
  }
  if (best !== Number.POSITIVE_INFINITY) return best;
  // In the gap: read it with the offset before the gap (the smaller one when clocks spring forward).
  return wall - Math.min(before, after);
}

/** `instantOfWallMs` for a LocalDateTime, as a Date. */
export function wallToInstant(dt: LocalDateTime, zone: string): Date {
  return new Date(instantOfWallMs(wallMsOf(dt), zone));
}

/** Days in a month (month 1–12), leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
