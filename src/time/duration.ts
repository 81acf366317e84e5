/**
 * Durations as people type them: "90m", "2h", "1h30m", "3d", "6w", "2mo", "1y", "1d 12h".
 * Used by command arguments and by config sections alike, so it lives with the time helpers.
 */
import type { Duration } from './when.js';

export type ParsedDuration = { ok: true; value: Duration } | { ok: false; problem: string };

const quote = (s: string) => `"${s.length > 60 ? `${s.slice(0, 57)}…` : s}"`;

const UNIT_MS: Record<string, number> = { h: 3_600_000, hr: 3_600_000, m: 60_000, min: 60_000, s: 1000 };

/**
 * "90m", "2h", "1h30m", "3d", "6w", "2mo", "1y", "1d 12h". Hours, minutes and seconds become
 * exact `ms`; days, weeks and months stay calendar units; a year is 12 months.
 */
export function parseDuration(raw: string): ParsedDuration {
  const v = raw.trim().toLowerCase();
  const part = /(\d{1,6})\s*(mo|min|hr|[ywdhms])\s*/y;
  const d: Duration = {};
  let pos = 0;
  let any = false;
  while (pos < v.length) {
    part.lastIndex = pos;
    const m = part.exec(v);
    if (!m) return { ok: false, problem: `${quote(raw)} is not a duration` };
    const n = Number(m[1]);
    const unit = m[2]!;
    if (unit === 'y') d.months = (d.months ?? 0) + 12 * n;
    else if (unit === 'mo') d.months = (d.months ?? 0) + n;
    else if (unit === 'w') d.weeks = (d.weeks ?? 0) + n;
    else if (unit === 'd') d.days = (d.days ?? 0) + n;
    else d.ms = (d.ms ?? 0) + n * UNIT_MS[unit]!;
    pos = part.lastIndex;
    any = true;
  }
  if (!any) return { ok: false, problem: `${quote(raw)} is not a duration` };
  if (!d.ms && !d.days && !d.weeks && !d.months) return { ok: false, problem: 'a duration must be longer than zero' };
  return { ok: true, value: d };
}

/**
 * A duration as a fixed length, for limits and offsets counted back from an instant: calendar
 * days and weeks count as 24 h, a month as 30 days.
 */
export function fixedLengthMs(d: Duration): number {
  return (d.ms ?? 0) + ((d.days ?? 0) + (d.weeks ?? 0) * 7 + (d.months ?? 0) * 30) * 86_400_000;
}
