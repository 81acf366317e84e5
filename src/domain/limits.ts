/**
 * Sanity limits on what people type: a tour of duty or a leave far longer than anyone takes is
 * almost always a typo (2027 for 2026, weeks for days). Refused with both dates shown, so the
 * typo is plain; teams with longer tours raise the limit under `limits:` in the config.
 */
import { z } from 'zod';
import { InputError, dated } from '../errors.js';
import { count } from './wording.js';
import { parseDuration } from '../time/duration.js';
import { addDuration, type Duration } from '../time/when.js';

const limit = z.string().refine((s) => parseDuration(s).ok, { error: (iss) => `"${String(iss.input)}" is not a length such as 26w, 90d or 1y` });

export const limitsConfig = z
  .strictObject({
    /** Longest tour of duty `/tour assign` and `/tour extend` accept. */
    tour: limit.default('26w'),
    /** Longest single leave `/oncall leave` accepts. */
    leave: limit.default('1y'),
  })
  .prefault({});

export type LimitsConfig = z.infer<typeof limitsConfig>;

const WHAT = { tour: 'A tour of duty', leave: 'A leave' } as const;

/** "26 weeks", "1 year", "18 months", "90 days" — the limit as people say it. */
export function lengthWords(d: Duration): string {
  const parts: string[] = [];
  const unit = (n: number, one: string) => parts.push(count(n, one));
  if (d.months) {
    if (d.months % 12 === 0) unit(d.months / 12, 'year');
    else unit(d.months, 'month');
  }
  if (d.weeks) unit(d.weeks, 'week');
  if (d.days) unit(d.days, 'day');
  if (d.ms) unit(Math.round(d.ms / 3_600_000), 'hour');
  return parts.join(' ') || '0 days';
}

/** Refuses `from`–`to` when it runs past `from` + the limit (calendar arithmetic in `zone`). */
export function checkLength(what: keyof typeof WHAT, from: Date, to: Date, limits: LimitsConfig, zone: string): void {
  const d = parseDuration(limits[what]);
  if (!d.ok) return;
  if (to.getTime() <= addDuration(from, d.value, zone).getTime()) return;
  throw new InputError(dated`${WHAT[what]} lasts at most ${lengthWords(d.value)} (limits.${what} in the config); this one runs from ${from} to ${to}. Check the dates, or ask an admin to raise the limit.`);
}
