/**
 * A cadence's schedule as typed ("monthly last fri", "quarterly 2nd tue 2", an RFC 5545 RRULE)
 * turned into one canonical RRULE body. Presets are sugar: every schedule is stored and computed
 * as an RRULE, so there is one evaluation path (occurrences.ts) and the iCal feed can publish it
 * as is.
 *
 * Times of day are not part of the rule: the cadence keeps its wall-clock time and zone apart,
 * and occurrences.ts evaluates the rule on local dates ("floating" time) before placing each one
 * in the zone. That is what keeps 10:00 at 10:00 across DST changes.
 */
import { Frequency, RRule } from '../../time/rrule-lib.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const DAYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'] as const;
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** "mon", "monday", "tue", "thurs" → RRULE day code ("MO"). */
function dayCode(word: string): string | undefined {
  const w = word.toLowerCase();
  if (w.length < 2) return undefined;
  const i = DAY_NAMES.findIndex((d) => d.startsWith(w) && (w.length >= 3 || d.slice(0, 2) === w));
  return i >= 0 ? DAYS[i]!.toUpperCase() : undefined;
}

const ORDINALS: Record<string, number> = {
  '1st': 1, first: 1, '1': 1,
  '2nd': 2, second: 2, '2': 2,
  '3rd': 3, third: 3, '3': 3,
  '4th': 4, fourth: 4, '4': 4,
  '5th': 5, fifth: 5, '5': 5,
  last: -1,
  '2nd-last': -2,
};

/** The largest day-of-month a preset may name; 29–31 clamp to the month's end. */
const MAX_DAY = 31;

/**
 * A schedule as one line of text, to the canonical RRULE body (no DTSTART, no "RRULE:"):
 *
 *   daily                           FREQ=DAILY
 *   weekdays                        FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR
 *   weekly <day>                    FREQ=WEEKLY;BYDAY=<day>
 *   biweekly <day>                  FREQ=WEEKLY;INTERVAL=2;BYDAY=<day>   (every other week from the start)
 *   monthly <nth|last> <day>        FREQ=MONTHLY;BYDAY=<n><day>
 *   monthly <1-31>                  FREQ=MONTHLY;BYMONTHDAY=<d>, or for 29–31 the last of
 *                                   28..d in each month (BYSETPOS=-1), i.e. clamped to month end
 *   quarterly <nth|last> <day> [m]  FREQ=MONTHLY;BYMONTH=<m, m+3, m+6, m+9>;BYDAY=<n><day>
 *                                   (m = month of the quarter, 1–3, default 1)
 *   RRULE:FREQ=…  /  FREQ=…         any RFC 5545 rule (DTSTART and TZID come from the cadence)
 */
export function parseSchedule(raw: string): Parsed<string> {
  const text = raw.trim().replace(/\s+/g, ' ');
  const words = text.toLowerCase().split(' ');
  const bad = (why: string): Parsed<string> => ({ ok: false, problem: `"${text}" ${why}` });
  const head = words[0] ?? '';

  if (/^(rrule:)?freq=/i.test(text)) return parseRRuleBody(text.replace(/^rrule:/i, ''));

  switch (head) {
    case 'daily':
      return words.length === 1 ? { ok: true, value: 'FREQ=DAILY' } : bad('has extra words after "daily"');
    case 'weekdays':
      return words.length === 1 ? { ok: true, value: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR' } : bad('has extra words after "weekdays"');
    case 'weekly':
    case 'biweekly': {
      if (words.length !== 2) return bad(`needs exactly one weekday: "${head} mon"`);
      const d = dayCode(words[1]!);
      if (!d) return bad(`: "${words[1]}" is not a weekday (mon … sun)`);
      return { ok: true, value: head === 'weekly' ? `FREQ=WEEKLY;BYDAY=${d}` : `FREQ=WEEKLY;INTERVAL=2;BYDAY=${d}` };
    }
    case 'monthly': {
      if (words.length === 2 && /^\d{1,2}(st|nd|rd|th)?$/.test(words[1]!)) {
        const day = Number.parseInt(words[1]!, 10);
        if (day < 1 || day > MAX_DAY) return bad(`: day of month must be 1 to ${MAX_DAY}`);
        if (day <= 28) return { ok: true, value: `FREQ=MONTHLY;BYMONTHDAY=${day}` };
        // 29–31: take the last existing day among 28..day, so short months get their last day.
        const candidates = Array.from({ length: day - 27 }, (_, i) => 28 + i).join(',');
        return { ok: true, value: `FREQ=MONTHLY;BYMONTHDAY=${candidates};BYSETPOS=-1` };
      }
      if (words.length !== 3) return bad('needs "monthly <1st|2nd|3rd|4th|last> <weekday>" or "monthly <day of month>"');
      const n = ORDINALS[words[1]!];
      const d = dayCode(words[2]!);
      if (n === undefined || n === 5 || n === -2) return bad(`: "${words[1]}" is not one of 1st, 2nd, 3rd, 4th, last`);
      if (!d) return bad(`: "${words[2]}" is not a weekday (mon … sun)`);
      return { ok: true, value: `FREQ=MONTHLY;BYDAY=${n}${d}` };
    }
    case 'quarterly': {
      if (words.length !== 3 && words.length !== 4) return bad('needs "quarterly <1st|2nd|3rd|4th|last> <weekday> [month of quarter 1-3]"');
      const n = ORDINALS[words[1]!];
      const d = dayCode(words[2]!);
      if (n === undefined || n === 5 || n === -2) return bad(`: "${words[1]}" is not one of 1st, 2nd, 3rd, 4th, last`);
      if (!d) return bad(`: "${words[2]}" is not a weekday (mon … sun)`);
      const m = words.length === 4 ? ORDINALS[words[3]!] : 1;
      if (m === undefined || m < 1 || m > 3) return bad(`: month of quarter must be 1, 2 or 3, not "${words[3]}"`);
      const months = [m, m + 3, m + 6, m + 9].join(',');
      return { ok: true, value: `FREQ=MONTHLY;BYMONTH=${months};BYDAY=${n}${d}` };
    }
    default:
      return bad('is not a schedule: use daily, weekdays, weekly <day>, biweekly <day>, monthly <nth> <day>, monthly <day of month>, quarterly <nth> <day> [month], or an RRULE');
  }
}

/** Frequencies finer than this would flood a channel; cadences are hourly at most. */
const FINEST = Frequency.HOURLY;

/**
 * Check an RRULE body with the rrule library and return it canonical. DTSTART/TZID are refused
 * because the cadence owns its start, time and zone; BYSECOND and sub-hourly rules because a
 * cadence is not a ticker.
 */
export function parseRRuleBody(body: string): Parsed<string> {
  const text = body.trim();
  if (/(^|[;\n])\s*(DTSTART|TZID)/i.test(text) || /\n/.test(text)) {
    return { ok: false, problem: `RRULE "${text}": leave out DTSTART/TZID; give the time and zone as their own arguments` };
  }
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(text);
  } catch (e) {
    return { ok: false, problem: `RRULE "${text}" does not parse: ${(e as Error).message}` };
  }
  if (options.freq === undefined) return { ok: false, problem: `RRULE "${text}" has no FREQ` };
  if (options.freq > FINEST) return { ok: false, problem: `RRULE "${text}": a cadence repeats hourly at most (FREQ=MINUTELY/SECONDLY is refused)` };
  if (options.bysecond !== undefined && options.bysecond !== null) return { ok: false, problem: `RRULE "${text}": BYSECOND is not supported` };
  // Several minutes per hour would make an hourly rule fire more often than hourly.
  const minutes = options.byminute;
  if (Array.isArray(minutes) && minutes.length > 1) return { ok: false, problem: `RRULE "${text}": a cadence repeats hourly at most, so BYMINUTE takes one value (the time argument is usually enough)` };
  if (options.interval !== undefined && (options.interval < 1 || !Number.isInteger(options.interval))) {
    return { ok: false, problem: `RRULE "${text}": INTERVAL must be a whole number of at least 1` };
  }
  try {
    const canonical = RRule.optionsToString(options).replace(/^RRULE:/, '');
    // Round-trip once more so anything the library would reject later is rejected now.
    new RRule(RRule.parseString(canonical));
    return { ok: true, value: canonical };
  } catch (e) {
    return { ok: false, problem: `RRULE "${text}" is not valid: ${(e as Error).message}` };
  }
}

/** "09:00", "9:30" → { hour, minute }; 24:00, 25:00 or 9:60 are refused. */
export function parseTimeOfDay(raw: string): Parsed<{ hour: number; minute: number }> {
  const m = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  if (!m) return { ok: false, problem: `"${raw}" is not a time of day (use 24-hour HH:MM, e.g. 09:30)` };
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23) return { ok: false, problem: `"${raw}" is not a time of day: hours go from 00 to 23` };
  if (minute > 59) return { ok: false, problem: `"${raw}" is not a time of day: minutes go from 00 to 59` };
  return { ok: true, value: { hour, minute } };
}
