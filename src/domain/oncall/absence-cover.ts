/**
 * Cover for the hours someone is away during a turn they keep (plan-layer.ts: away for less than
 * half of a turn). Asked for when the absence is recorded, not at the last minute, and offered
 * first to the next available person: whoever holds the turns after it, in order, then the rest of
 * the layer's queue, skipping anyone away during those hours. The team channel still hears of the
 * gap at its start (the handoff post) if nobody has taken it by then.
 */
import { queueAt } from './edit-preview.js';
import type { ScheduleInput } from './resolve.js';
import type { Segment } from './types.js';

export interface AbsenceCover {
  slot: string;
  layer: string;
  start: Date;
  end: Date;
  /** Who keeps the turn and is away for these hours. */
  absentee: string;
  /** Who is asked first; undefined when everyone else is away then too. */
  offerTo?: string;
}

/** The `absent` gaps in `segments` still ahead of `now`, each with who to ask first. */
export function absenceCovers(segments: readonly Segment[], input: ScheduleInput, now: Date): AbsenceCover[] {
  const out: AbsenceCover[] = [];
  for (const g of segments) {
    if (g.gap !== 'absent' || !g.absentee || g.end.getTime() <= now.getTime()) continue;
    const away = (p: string) => input.changes.absences.some((a) => a.person === p && a.from.getTime() < g.end.getTime() && a.to.getTime() > g.start.getTime());
    const later = segments.filter((s) => s.slot === g.slot && s.start.getTime() >= g.end.getTime() && s.person !== null).sort((a, b) => a.start.getTime() - b.start.getTime());
    const candidates = [...later.map((s) => s.person!), ...queueAt(input, g.layer, g.start)];
    const offerTo = candidates.find((p) => p !== g.absentee && !away(p));
    out.push({ slot: g.slot, layer: g.layer, start: g.start, end: g.end, absentee: g.absentee, ...(offerTo ? { offerTo } : {}) });
  }
  return out;
}
