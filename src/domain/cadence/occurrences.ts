/**
 * When a cadence happens. One place decides it, by explicit precedence:
 *
 *   1. the RRULE, evaluated on *local* dates and times ("floating": the library never sees a
 *      zone, so DST cannot bend it);
 *   2. each local slot placed in the cadence's IANA zone by wallClockToInstant: a time that does
 *      not exist (spring-forward gap) is read with the offset before the gap, an ambiguous one
 *      (fall-back overlap) its first instant, so it fires once;
 *   3. a single-occurrence skip removes it; a single-occurrence move replaces its instant;
 *   4. otherwise a holiday on its local date either drops it (skip) or moves it to the next
 *      working day at the same local time (shift);
 *   5. two occurrences landing on one instant (a shift onto the next regular slot, two hourly
 *      slots folding in a DST gap) fire once: the regular one is kept.
 *
 * An occurrence is named by its nominal local slot (`20260317T1000`): stable whatever holidays
 * or moves do later, and safe inside BullMQ job ids. Everything here is pure.
 */
import { RRule, type RRuleInstance } from '../../time/rrule-lib.js';
import { addLocalDays, localPartsOf, wallClockToInstant, type LocalDate, type LocalTime } from '../../time/when.js';

export type HolidayPolicy = 'skip' | 'shift';

export interface Holiday {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  name: string;
}

export interface CadenceTiming {
  /** Canonical RRULE body (see schedule.ts). */
  rule: string;
  /** Wall-clock time of each occurrence in `zone`. */
  time: LocalTime;
  zone: string;
  /** First local date the rule may produce (`YYYY-MM-DD`); anchors biweekly and INTERVAL rules. */
  start: string;
  /** Holidays of the cadence's calendar, and what to do on them. */
  holidays?: { dates: readonly Holiday[]; policy: HolidayPolicy };
  /** Occurrence ids not to hold. */
  skips?: readonly string[];
  /** Occurrence id → ISO instant it was moved to. */
  moves?: Readonly<Record<string, string>>;
}

export interface Occurrence {
  /** Nominal local slot, `YYYYMMDDTHHmm`. */
  id: string;
  /** When it happens (UTC instant). */
  at: Date;
  /** Where the rule alone would have put it. */
  nominal: Date;
  /** Why `at` differs from `nominal`, when it does. */
  change?: 'shifted' | 'moved';
  /** The holiday that shifted it. */
  holiday?: string;
}

const DAY_MS = 86_400_000;
/** Holiday shifts move an occurrence forward by at most this many days (long holiday runs included). */
const MAX_SHIFT_DAYS = 21;
/** How far `next` looks before deciding a rule has no more occurrences. */
const HORIZON_YEARS = 10;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function isoDate(d: LocalDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

export function parseIsoDate(s: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${s}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** `20260317T1000` for a local slot. */
export function occurrenceId(d: LocalDate, t: LocalTime): string {
  return `${pad(d.year, 4)}${pad(d.month)}${pad(d.day)}T${pad(t.hour)}${pad(t.minute)}`;
}

export function parseOccurrenceId(id: string): { date: LocalDate; time: LocalTime } | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})$/.exec(id);
  if (!m) return undefined;
  return { date: { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, time: { hour: Number(m[4]), minute: Number(m[5]) } };
}

/**
 * The single-occurrence skips and moves of a cadence whose time of day changed: each names the
 * same local day at the new time, so a skipped day stays skipped and a moved one does not come
 * back at its old date (a cadence holds one occurrence a day, so the day identifies it).
 */
export function retimed(t: { skips: readonly string[]; moves: Readonly<Record<string, string>> }, time: LocalTime): { skips: string[]; moves: Record<string, string> } {
  const at = (id: string) => {
    const slot = parseOccurrenceId(id);
    return slot ? occurrenceId(slot.date, time) : id;
  };
  return { skips: [...new Set(t.skips.map(at))], moves: Object.fromEntries(Object.entries(t.moves).map(([id, iso]) => [at(id), iso])) };
}

/** A local slot written as if it were UTC: the rrule library's "floating" time. */
const floating = (d: LocalDate, t: LocalTime) => new Date(Date.UTC(d.year, d.month - 1, d.day, t.hour, t.minute));
const floatingOf = (instant: Date, zone: string) => {
  const p = localPartsOf(instant, zone);
  return floating(p, p);
};

const HOUR_MS = 3_600_000;

/**
 * The rule, with its start moved forward by whole periods to just before `lo` when that cannot
 * change what it produces: the library walks every period from DTSTART, so a daily cadence
 * started years ago would cost thousands of steps per question. Moving by whole periods keeps
 * INTERVAL phases, week/month alignment and what the rule inherits from DTSTART (weekday, day
 * of month), except where that day may not exist (29–31, 29 Feb) or COUNT counts from the start.
 */
function buildRule(t: CadenceTiming, lo?: Date): RRuleInstance {
  const options = RRule.parseString(t.rule);
  const startDate = parseIsoDate(t.start);
  let dtstart = floating(startDate, t.time);
  if (lo && options.count == null && lo.getTime() > dtstart.getTime()) {
    const interval = options.interval ?? 1;
    const freq = options.freq;
    const gap = lo.getTime() - dtstart.getTime();
    if (freq === RRule.DAILY || freq === RRule.WEEKLY || freq === RRule.HOURLY) {
      const period = (freq === RRule.HOURLY ? HOUR_MS : freq === RRule.DAILY ? DAY_MS : 7 * DAY_MS) * interval;
      // One period of margin: occurrences of the period that holds `lo` start before `lo`.
      const steps = Math.floor(gap / period) - 1;
      if (steps > 0) dtstart = new Date(dtstart.getTime() + steps * period);
    } else if ((freq === RRule.MONTHLY || freq === RRule.YEARLY) && startDate.day <= 28) {
      const months = (freq === RRule.MONTHLY ? 1 : 12) * interval;
      const loDate = new Date(lo.getTime());
      const monthGap = (loDate.getUTCFullYear() - startDate.year) * 12 + (loDate.getUTCMonth() + 1 - startDate.month);
      const steps = Math.floor(monthGap / months) - 1;
      if (steps > 0) {
        const m = startDate.month - 1 + steps * months;
        dtstart = new Date(Date.UTC(startDate.year + Math.floor(m / 12), m % 12, startDate.day, t.time.hour, t.time.minute));
      }
    }
  }
  return new RRule({ ...options, dtstart });
}

function isWorkingDay(d: LocalDate, holidays: ReadonlySet<string>): boolean {
  const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(isoDate(d));
}

/** The first working day (Mon–Fri, not a holiday) after `d`, within MAX_SHIFT_DAYS. */
export function nextWorkingDay(d: LocalDate, holidays: ReadonlySet<string>): LocalDate | undefined {
  for (let i = 1; i <= MAX_SHIFT_DAYS; i++) {
    const c = addLocalDays(d, i);
    if (isWorkingDay(c, holidays)) return c;
  }
  return undefined;
}

/**
 * Occurrences with `from <= at < to`, in order. `walkFromStart` turns off the re-anchoring in
 * buildRule (tests compare the two).
 */
export function occurrencesBetween(t: CadenceTiming, from: Date, to: Date, walkFromStart = false): Occurrence[] {
  if (to.getTime() <= from.getTime()) return [];
  const skips = new Set(t.skips ?? []);
  const moves = t.moves ?? {};
  const holidayNames = new Map((t.holidays?.dates ?? []).map((h) => [h.date, h.name]));
  const holidaySet = new Set(holidayNames.keys());

  // Local slots that could land in [from, to): a day either side covers any zone offset, and a
  // shift can carry a slot from up to MAX_SHIFT_DAYS before `from` into the window.
  const lo = new Date(floatingOf(from, t.zone).getTime() - (1 + (t.holidays?.policy === 'shift' ? MAX_SHIFT_DAYS : 0)) * DAY_MS);
  const hi = new Date(floatingOf(to, t.zone).getTime() + DAY_MS);
  const rule = buildRule(t, walkFromStart ? undefined : lo);

  const out: Occurrence[] = [];
  for (const f of rule.between(lo, hi, true)) {
    const date = { year: f.getUTCFullYear(), month: f.getUTCMonth() + 1, day: f.getUTCDate() };
    const time = { hour: f.getUTCHours(), minute: f.getUTCMinutes() };
    const id = occurrenceId(date, time);
    if (skips.has(id) || Object.hasOwn(moves, id)) continue;
    const nominal = wallClockToInstant(date, time, t.zone);
    const holiday = holidayNames.get(isoDate(date));
    if (holiday === undefined || !t.holidays) {
      out.push({ id, at: nominal, nominal });
      continue;
    }
    if (t.holidays.policy === 'skip') continue;
    const shiftedTo = nextWorkingDay(date, holidaySet);
    if (!shiftedTo) continue;
    out.push({ id, at: wallClockToInstant(shiftedTo, time, t.zone), nominal, change: 'shifted', holiday });
  }
  for (const [id, iso] of Object.entries(moves)) {
    if (skips.has(id)) continue;
    const slot = parseOccurrenceId(id);
    if (!slot) continue;
    out.push({ id, at: new Date(iso), nominal: wallClockToInstant(slot.date, slot.time, t.zone), change: 'moved' });
  }

  // Regular occurrences sort before changed ones at the same instant, so a collision keeps them.
  const rank = (o: Occurrence) => (o.change === undefined ? 0 : 1);
  out.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a) - rank(b) || a.nominal.getTime() - b.nominal.getTime());
  const seenAt = new Set<number>();
  return out.filter((o) => {
    const ms = o.at.getTime();
    if (ms < from.getTime() || ms >= to.getTime() || seenAt.has(ms)) return false;
    seenAt.add(ms);
    return true;
  });
}

/** The next `count` occurrences strictly after `after` (fewer when the rule ends). */
export function nextOccurrences(t: CadenceTiming, after: Date, count: number): Occurrence[] {
  const out: Occurrence[] = [];
  const start = after.getTime() + 1;
  // Windows grow so a daily rule costs one small window and a yearly one a handful.
  let windowDays = 32;
  let lo = start;
  const end = start + HORIZON_YEARS * 366 * DAY_MS;
  while (out.length < count && lo < end) {
    const hi = Math.min(end, lo + windowDays * DAY_MS);
    for (const o of occurrencesBetween(t, new Date(lo), new Date(hi))) {
      out.push(o);
      if (out.length === count) break;
    }
    lo = hi;
    windowDays = Math.min(windowDays * 2, 2 * 366);
  }
  return out;
}

/** The occurrence (by actual or nominal local date) on `date` in the cadence's zone, if any. */
export function occurrenceOnDate(t: CadenceTiming, date: LocalDate): Occurrence | undefined {
  const dayStart = wallClockToInstant(date, { hour: 0, minute: 0 }, t.zone);
  const dayEnd = wallClockToInstant(addLocalDays(date, 1), { hour: 0, minute: 0 }, t.zone);
  const onDay = occurrencesBetween(t, dayStart, dayEnd);
  if (onDay[0]) return onDay[0];
  // A shifted or moved occurrence can also be named by the day the rule gave it.
  const prefix = `${pad(date.year, 4)}${pad(date.month)}${pad(date.day)}T`;
  const around = occurrencesBetween(t, new Date(dayStart.getTime() - 2 * DAY_MS), new Date(dayEnd.getTime() + (MAX_SHIFT_DAYS + 2) * DAY_MS));
  return around.find((o) => o.id.startsWith(prefix));
}

/** Whether the rule (with the cadence's exceptions) occurs at all after `after`. */
export function occursAfter(t: CadenceTiming, after: Date): boolean {
  return nextOccurrences(t, after, 1).length > 0;
}
