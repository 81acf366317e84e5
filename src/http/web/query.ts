/**
 * The web pages' query strings, checked before anything is read: only the parameters a page
 * knows, each once, short, of the right form; anything else is a 400 that says which one and
 * what it may be. A zone the browser or a person typed that does not exist is not an error: the
 * page falls back to the default zone and says so.
 */
import { z } from 'zod';
import { wallOfIsoDate } from '../../domain/web/days.js';
import { zoneSpelling } from '../../time/zone.js';

export const MAX_QUERY_LENGTH = 1024;

const param = {
  tz: z.string().max(64),
  link: z.string().max(200),
  token: z.string().max(128),
  view: z.enum(['month', 'week'], { error: 'view is "month" or "week"' }),
  // Years before 1970 are out (Date.UTC reads 0000–0099 as 1900–1999), and the last one leaves
  // room for the page's "next" link.
  date: z.string().refine((d) => wallOfIsoDate(d) !== undefined && Number(d.slice(0, 4)) >= 1970 && Number(d.slice(0, 4)) <= 9998, { error: 'date is a day such as 2026-12-07, in a year from 1970 to 9998' }),
};

export type WebQuery = { [K in keyof typeof param]?: z.infer<(typeof param)[K]> };
export type QueryCheck = { ok: true; query: WebQuery } | { ok: false; problem: string };

/** Parse the raw query (after `?`) allowing `allowed` parameters. */
export function parseWebQuery(raw: string, allowed: readonly (keyof typeof param)[]): QueryCheck {
  if (raw.length > MAX_QUERY_LENGTH) return { ok: false, problem: `the query string is longer than ${MAX_QUERY_LENGTH} characters` };
  const out: Record<string, string> = {};
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(raw);
  } catch {
    return { ok: false, problem: 'the query string cannot be read' };
  }
  for (const [key, value] of params) {
    if (!(allowed as readonly string[]).includes(key)) return { ok: false, problem: `unknown parameter "${key.slice(0, 40)}" (this page takes ${allowed.join(', ')})` };
    if (key in out) return { ok: false, problem: `"${key}" is given twice` };
    const checked = param[key as keyof typeof param].safeParse(value);
    if (!checked.success) return { ok: false, problem: `${key}: ${checked.error.issues[0]?.message ?? 'not valid'}` };
    out[key] = checked.data;
  }
  return { ok: true, query: out as WebQuery };
}

/** The zone to show: `?tz=` when it is a real zone, else the fallback (and a note that `?tz=` was not). */
export function viewerZone(q: WebQuery, fallback: string): { zone: string; badZone?: string } {
  if (q.tz === undefined || q.tz === '') return { zone: fallback };
  // One spelling per zone (src/time/zone.ts): "europe/berlin" must not be a zone of its own.
  const zone = zoneSpelling(q.tz);
  return zone !== undefined ? { zone } : { zone: fallback, badZone: q.tz };
}
