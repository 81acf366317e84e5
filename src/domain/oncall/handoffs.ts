/**
 * Handoffs read from the resolved schedule: the instants where duty in a slot passes to someone
 * else (or to a gap). A restricted rotation going off duty overnight and the same person coming
 * back in the morning is not a handoff, so people are not told twice a day what they know.
 */
import type { Segment } from './types.js';

export interface Handoff {
  slot: string;
  at: Date;
  /** The last segment before, if any (it may have ended earlier, outside active hours). */
  from?: Segment;
  to: Segment;
}

const holder = (s: Segment) => (s.person === null ? `gap:${s.gap ?? ''}` : `person:${s.person}`);

/** Handoffs in `segments` (one slot or many), in time order per slot. */
export function handoffsOf(segments: readonly Segment[]): Handoff[] {
  const out: Handoff[] = [];
  const bySlot = new Map<string, Segment[]>();
  for (const s of segments) bySlot.set(s.slot, [...(bySlot.get(s.slot) ?? []), s]);
  for (const [slot, list] of bySlot) {
    list.sort((a, b) => a.start.getTime() - b.start.getTime());
    let prev: Segment | undefined;
    for (const s of list) {
      if (!prev || holder(prev) !== holder(s)) out.push({ slot, at: s.start, ...(prev ? { from: prev } : {}), to: s });
      prev = s;
    }
  }
  return out;
}

/** When the holder of `h.to` hands over next (their consecutive segments count as one stretch). */
export function stretchEnd(segments: readonly Segment[], h: Handoff): Date {
  let end = h.to.end;
  for (const s of segments) {
    if (s.slot !== h.slot || s.start.getTime() < end.getTime()) continue;
    if (s.start.getTime() === end.getTime() && holder(s) === holder(h.to)) end = s.end;
    else if (s.start.getTime() >= end.getTime()) break;
  }
  return end;
}
