/**
 * Restricted rotations are on duty only in their active windows (say Monday–Friday 09:00–17:00
 * local). A turn keeps its declared boundaries; only the stretches inside active windows are duty.
 * Outside the windows nobody is on duty, and that is not a gap.
 */
import { instantOfWallMs, wallMsAt } from '../../time/wall-clock.js';
import type { Restriction } from './types.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface Interval {
  start: number;
  end: number;
}

/** The parts of `[start, end)` that fall in the restriction's windows, in order, merged where they touch. */
export function activePieces(start: number, end: number, restriction: Restriction | undefined, zone: string): Interval[] {
  if (end <= start) return [];
  if (!restriction) return [{ start, end }];
  const fromMin = restriction.from.hour * 60 + restriction.from.minute;
  const toMin = restriction.to.hour * 60 + restriction.to.minute;
  // A window ends the same day, or the next when `to` is at or before `from` (past midnight).
  const lengthMin = toMin > fromMin ? toMin - fromMin : toMin + 24 * 60 - fromMin;
  const days = new Set(restriction.weekdays);
  const out: Interval[] = [];
  // Local midnights from the day before `start` (a window may run over from it) to the day of `end`.
  const firstDay = Math.floor(wallMsAt(start, zone) / DAY) * DAY - DAY;
  const lastDay = Math.floor(wallMsAt(end, zone) / DAY) * DAY;
  for (let day = firstDay; day <= lastDay; day += DAY) {
    if (!days.has(new Date(day).getUTCDay())) continue;
    const ws = instantOfWallMs(day + fromMin * MINUTE, zone);
    const we = instantOfWallMs(day + (fromMin + lengthMin) * MINUTE, zone);
    const s = Math.max(ws, start);
    const e = Math.min(we, end);
    if (e <= s) continue;
    const last = out[out.length - 1];
    if (last && last.end >= s) last.end = Math.max(last.end, e);
    else out.push({ start: s, end: e });
  }
  return out;
}
