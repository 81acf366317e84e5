/**
 * Relative dates as people type them, so examples and scripts never go stale:
 *
 *   today, tomorrow, yesterday            (optionally followed by HH:MM)
 *   mon, tuesday, this fri                the next such day whose time is still ahead (today counts)
 *   next mon, next friday                 the next such day after today (never today)
 *   in 3d, in 2h, in 1w 2d, in 90m        calendar days/weeks/months, elapsed hours/minutes
 *
 * Zone-free like every `When`: resolveWhen reads them in the zone that matters, at the moment of
 * use. Unknown text gives undefined, so callers fall through to their own formats.
 */
import { parseDuration } from './duration.js';
import { addLocalDays, localPartsOf, resolveWhen, type LocalDate, type LocalTime, type When } from './when.js';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const DAY_OFFSETS: Record<string, number> = { yesterday: -1, today: 0, tomorrow: 1 };

/** "09:00" / "9:30" → a time of day; undefined for anything else (24-hour clock only). */
export function parseTimeOfDay(s: string): LocalTime | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

/** The weekday (0 = Sunday) a word names: any prefix of three letters or more ("tue", "thurs"). */
export function weekdayOf(word: string): number | undefined {
  if (word.length < 3) return undefined;
  const i = WEEKDAYS.findIndex((d) => d.startsWith(word));
  return i >= 0 ? i : undefined;
}

/** A relative date or time, or undefined when `raw` is not one. */
export function parseRelative(raw: string): When | undefined {
  const v = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const inMatch = /^in (.+)$/.exec(v);
  if (inMatch) {
    const d = parseDuration(inMatch[1]!.replace(/ /g, ''));
    return d.ok ? { kind: 'in', duration: d.value } : undefined;
  }
  const m = /^(?:(next|this) )?([a-z]+)(?: (\S+))?$/.exec(v);
  if (!m) return undefined;
  const [, which, word, clock] = m;
  const time = clock === undefined ? undefined : parseTimeOfDay(clock);
  if (clock !== undefined && !time) return undefined;
  const withTime = <T extends When>(w: T): T => (time ? { ...w, time } : w);
  if (!which && word! in DAY_OFFSETS) return withTime({ kind: 'day', offset: DAY_OFFSETS[word!]! });
  const weekday = weekdayOf(word!);
  if (weekday === undefined) return undefined;
  return withTime(which === 'next' ? { kind: 'weekday', weekday, afterToday: true } : { kind: 'weekday', weekday });
}

/**
 * A calendar date typed as "2026-12-08" or relatively ("tomorrow", "next tue", "in 3d"), read
 * on the wall in `zone` at `now`. Undefined when it is neither, or not a real date.
 */
export function parseLocalDate(raw: string, zone: string, now: Date): LocalDate | undefined {
  const v = raw.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (iso) {
    const date = { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
    const real = addLocalDays(date, 0);
    return real.year === date.year && real.month === date.month && real.day === date.day ? date : undefined;
  }
  const when = parseRelative(v);
  if (!when || ('time' in when && when.time)) return undefined;
  const p = localPartsOf(resolveWhen(when, zone, now), zone);
  return { year: p.year, month: p.month, day: p.day };
}
