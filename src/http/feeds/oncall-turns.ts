/**
 * The on-call feed's events: every stretch of every turn that touches the window, whole. The
 * resolver clips segments to the range it is asked for, so a turn crossing the window's edge
 * would show a made-up start or end (and a UID built from it would change at every fetch);
 * asking again over the span of the turns found gives their real handoffs.
 */
import type { Segment } from '../../domain/oncall/types.js';
import type { OncallService } from '../../services/oncall/service.js';

export async function wholeTurns(oncall: Pick<OncallService, 'segments'>, rotationId: string, from: Date, to: Date, now: Date): Promise<Segment[]> {
  const inWindow = await oncall.segments(rotationId, from, to, now);
  if (inWindow.length === 0) return [];
  let lo = from.getTime();
  let hi = to.getTime();
  for (const s of inWindow) {
    lo = Math.min(lo, s.turnStart.getTime(), s.start.getTime());
    hi = Math.max(hi, s.turnEnd.getTime(), s.end.getTime());
  }
  if (lo === from.getTime() && hi === to.getTime()) return inWindow;
  const wide = await oncall.segments(rotationId, new Date(lo), new Date(hi), now);
  // The wider range also holds other slots' turns that end before the window or start after it.
  const touches = (start: Date, end: Date) => start.getTime() < to.getTime() && end.getTime() > from.getTime();
  return wide.filter((s) => touches(s.start, s.end) || touches(s.turnStart, s.turnEnd));
}

/** A segment's UID: its slot and real start name it whatever window it was asked in. */
export const segmentUid = (rotationId: string, teamId: string, s: Pick<Segment, 'slot' | 'start'>) => `day2-oncall-${rotationId}-${s.slot}-${s.start.getTime()}@${teamId}`;
