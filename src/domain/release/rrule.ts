/**
 * Recurrence rules for recurring freezes: a shorthand or an RFC 5545 RRULE, expanded over
 * floating dates (see recurring-freezes.ts). Kept apart from config.ts so the config schema can
 * check rules without an import cycle.
 */
import * as rruleNamespace from 'rrule';

// rrule ships CommonJS as `main` and no `exports` map: under plain node the classes sit on the
// default export, under bundlers on the namespace. Take whichever is there.
type RRuleModule = typeof rruleNamespace;
const ns = rruleNamespace as RRuleModule & { default?: RRuleModule };
const { RRule } = ns.RRule ? ns : (ns.default as RRuleModule);

export const FREEZE_SHORTHANDS: Record<string, string> = {
  'last-week-of-quarter': 'FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-7',
  'last-week-of-month': 'FREQ=MONTHLY;BYMONTHDAY=-7',
};

/** Parse a rule (throws with a readable message when it is not an RRULE). */
export function ruleOf(f: { every?: string | undefined; rrule?: string | undefined }): rruleNamespace.RRule {
  const text = f.every ? FREEZE_SHORTHANDS[f.every] : f.rrule;
  if (!text) throw new Error('a recurring freeze needs "every" or "rrule"');
  let options: Partial<rruleNamespace.Options>;
  try {
    options = RRule.parseString(text.replace(/^RRULE:/i, ''));
  } catch (e) {
    throw new Error(`"${text}" is not an RRULE (${(e as Error).message})`, { cause: e });
  }
  if (options.freq === undefined) throw new Error(`"${text}" has no FREQ (e.g. "FREQ=WEEKLY;BYDAY=FR")`);
  // The rule only picks dates ("start" and "duration" give the times), and it is expanded over
  // 400+ days at every release check: a sub-daily rule repeats each date and, at MINUTELY or
  // SECONDLY, takes the process down with millions of occurrences.
  if (options.freq > RRule.DAILY) throw new Error(`"${text}": a freeze recurs at most daily — use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY, and "start"/"duration" for the times`);
  for (const part of ['byhour', 'byminute', 'bysecond'] as const) {
    const v = options[part];
    if (v !== undefined && v !== null) throw new Error(`"${text}": ${part.toUpperCase()} is not allowed in a freeze rule (it picks dates only) — use "start" and "duration" for the times`);
  }
  // Floating dates: the anchor's UTC fields are read as a local date; no TZID is involved.
  return new RRule({ ...options, dtstart: new Date(Date.UTC(2000, 0, 1)), tzid: null });
}
