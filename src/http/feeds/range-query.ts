/**
 * The optional `from` / `to` of a feed's query, checked strictly: a day that does not exist
 * (2026-02-30) is refused with the reason, never rolled over into the next month the way
 * `new Date()` does, and a date-time must say its offset (the server's zone is nobody's).
 */
import { z } from 'zod';

const DAY = 86_400_000;
export const MAX_RANGE_DAYS = 400;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Why the calendar date is not one, or undefined when it is. */
function badDay(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  const last = daysIn(year, month);
  if (day < 1 || day > last) return `${MONTHS[month - 1]} ${year} has ${last} days`;
  return undefined;
}

/** The instant `raw` names, or why it names none. */
export function parseInstant(raw: string): Date | string {
  const d = DATE.exec(raw);
  const t = d ? undefined : DATE_TIME.exec(raw);
  const m = d ?? t;
  if (!m) return `${JSON.stringify(raw.slice(0, 40))} is not a date (2026-12-01) or a date-time with its offset (2026-12-01T09:00:00Z)`;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dayProblem = badDay(year, month, day);
  if (dayProblem) return `${raw} is not a date: ${dayProblem}`;
  if (t && (Number(t[4]) > 23 || Number(t[5]) > 59 || Number(t[6] ?? 0) > 59)) return `${raw} is not a time of day: hours go to 23, minutes and seconds to 59`;
  if (t?.[8] && t[8] !== 'Z' && (Number(t[8].slice(1, 3)) > 14 || Number(t[8].slice(4)) > 59)) return `${raw} has an offset no zone uses (${t[8]})`;
  return new Date(d ? `${raw}T00:00:00Z` : raw);
}

const instant = (name: string) =>
  z
    .string({ error: `give ${name} once, as one value` })
    .transform((raw, ctx) => {
      const parsed = parseInstant(raw);
      if (typeof parsed !== 'string') return parsed;
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    });

/** `from` and `to` as typed in a feed URL; other query parameters (the token, a client's own) pass. */
export const rangeQuerySchema = z
  .looseObject({ from: instant('from').optional(), to: instant('to').optional() })
  .superRefine((q, ctx) => {
    if (!q.from || !q.to) return;
    if (q.to.getTime() <= q.from.getTime()) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (q.to.getTime() - q.from.getTime() > MAX_RANGE_DAYS * DAY) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${MAX_RANGE_DAYS} days after from` });
  });

/** The query's range, or the reasons it is refused as one line each (`from: …`). */
export function parseRange(query: unknown): { ok: true; from?: Date; to?: Date } | { ok: false; problems: string[] } {
  const parsed = rangeQuerySchema.safeParse(query);
  if (parsed.success) return { ok: true, ...(parsed.data.from ? { from: parsed.data.from } : {}), ...(parsed.data.to ? { to: parsed.data.to } : {}) };
  return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`) };
}
