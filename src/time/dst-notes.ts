/**
 * Whether a typed local time is one the clock skips or shows twice, so the answer can say which
 * instant was used. The instant itself always comes from the one DST rule (when.ts
 * `wallClockToInstant`): a skipped time is read with the offset before the gap (02:30 on a
 * 02:00→03:00 night is 03:30), a repeated one is its first occurrence.
 */
import { tzOffset } from '@date-fns/tz';
import { localPartsOf, resolveWhen, wallClockToInstant, type LocalDate, type LocalTime, type When } from './when.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface WallTimeNote {
  /** `gap`: the clock skips this time that day; `overlap`: it shows it twice. */
  kind: 'gap' | 'overlap';
  date: LocalDate;
  time: LocalTime;
  zone: string;
  /** The instant the time was read as. */
  used: Date;
  /** Overlap only: the second occurrence, which was not used. */
  other?: Date;
}

const offsetAt = (zone: string, instant: number) => tzOffset(zone, new Date(instant)) * MINUTE;

/** The note for `date` `time` in `zone`, or undefined for a time that exists once. */
export function wallTimeNote(date: LocalDate, time: LocalTime, zone: string): WallTimeNote | undefined {
  const wall = Date.UTC(date.year, date.month - 1, date.day, time.hour, time.minute);
  // DST changes are months apart, so the offsets a day either side are the only candidates.
  const before = offsetAt(zone, wall - DAY);
  const after = offsetAt(zone, wall + DAY);
  if (before === after) return undefined;
  const valid = [wall - before, wall - after].filter((u) => offsetAt(zone, u) === wall - u).sort((a, b) => a - b);
  const used = wallClockToInstant(date, time, zone);
  if (valid.length === 0) return { kind: 'gap', date, time, zone, used };
  if (valid.length === 2) return { kind: 'overlap', date, time, zone, used, other: new Date(valid[1]!) };
  return undefined;
}

/** The note for a typed `When` read in `zone` at `now`; only times on a calendar date can have one. */
export function typedTimeNote(when: When, zone: string, now: Date): WallTimeNote | undefined {
  if (when.kind === 'now' || when.kind === 'in') return undefined;
  const time = when.time ?? { hour: 0, minute: 0 };
  if (when.kind === 'date') return wallTimeNote(when.date, time, zone);
  // A relative day ("tomorrow 02:30"): the local date it landed on (a skipped time lands later
  // the same night).
  const p = localPartsOf(resolveWhen(when, zone, now), zone);
  return wallTimeNote({ year: p.year, month: p.month, day: p.day }, time, zone);
}

/** A typed time as people write it: "02:30". */
export function timeText(t: LocalTime): string {
  return `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}

/** The place a zone names, for a sentence: "America/New_York" → "New York". */
export function zonePlace(zone: string): string {
  return zone.split('/').pop()?.replaceAll('_', ' ') ?? zone;
}
