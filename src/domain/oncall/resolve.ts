/**
 * The final schedule: the one place that decides who is on duty, and the single source for every
 * answer, message, handoff, group update and feed. Never read the raw rotation elsewhere.
 *
 * Precedence, from the bottom up (each step says why it sits where it does):
 *   1. Versions: a config reload starts a new declaration at the reload instant; earlier stretches
 *      keep their old declaration, so a reload never rewrites past turns.
 *   2. The queue rule per layer (plan-layer.ts), with absences, member edits and guests on tour
 *      applied (guests join the main layer: the one `/oncall add` uses without `layer=`).
 *   3. Swaps exchange the people of two whole turns; boundaries never move, the queue is untouched.
 *   4. Layers of one slot are merged: where several have someone, the lowest `precedence` wins;
 *      a layer's gap only shows where no other layer of the slot has anyone (it is still a gap).
 *   5. Overrides replace whatever they overlap, even outside restricted windows (someone asked for
 *      that cover explicitly); between overlapping overrides the one created later wins.
 */
import { planLayer } from './plan-layer.js';
import type { GapReason, LayerDecl, Override, RotationChanges, RotationDecl, RotationVersion, Segment, Turn } from './types.js';

export interface ScheduleInput {
  /** Declarations in order of `from`; the first one applies from the beginning of time. */
  versions: readonly RotationVersion[];
  changes: RotationChanges;
}

interface Piece {
  start: number;
  end: number;
  person: string | null;
  gap?: GapReason;
  absentee?: string;
  swapped: boolean;
  precedence: number;
  layer: string;
  turnStart: Date;
  turnEnd: Date;
}

/** The slots of a declaration, most important first (by the best precedence of their layers). */
export function slotsOf(decl: RotationDecl): string[] {
  const best = new Map<string, number>();
  for (const l of decl.layers) {
    const s = l.slot ?? l.name;
    best.set(s, Math.min(best.get(s) ?? Number.POSITIVE_INFINITY, l.precedence));
  }
  return [...best.entries()].sort((a, b) => a[1] - b[1]).map(([s]) => s);
}

/** The layer a guest on tour joins: the lowest precedence (the first declared among equals). */
export function mainLayerOf(decl: RotationDecl): LayerDecl | undefined {
  let best: LayerDecl | undefined;
  for (const l of decl.layers) if (!best || l.precedence < best.precedence) best = l;
  return best;
}

/** The zone a layer's wall-clock times are read in: its own, or the rotation's. */
export function layerZone(decl: RotationDecl, layer: LayerDecl): string {
  return layer.zone ?? decl.zone;
}

/** The declaration in force at instant `t`. */
export function versionAt(versions: readonly RotationVersion[], t: Date): RotationDecl | undefined {
  let found: RotationDecl | undefined = versions[0]?.decl;
  for (const v of versions) if (v.from.getTime() <= t.getTime()) found = v.decl;
  return found;
}

/** Planned turns of every layer in force during `[from, to)`, swaps applied, clipped to their version. */
export function plannedTurns(input: ScheduleInput, from: Date, to: Date): Turn[] {
  const out: Turn[] = [];
  input.versions.forEach((v, i) => {
    const vFrom = i === 0 ? Number.NEGATIVE_INFINITY : v.from.getTime();
    const vTo = input.versions[i + 1]?.from.getTime() ?? Number.POSITIVE_INFINITY;
    const lo = Math.max(vFrom, from.getTime());
    const hi = Math.min(vTo, to.getTime());
    if (hi <= lo) return;
    const main = mainLayerOf(v.decl);
    // Each layer's handoffs and restriction are wall-clock times in its own zone (follow-the-sun).
    for (const layer of v.decl.layers) out.push(...layerTurns(layer, layerZone(v.decl, layer), input.changes, layer === main, lo, hi, vFrom, vTo));
  });
  return out;
}

function layerTurns(layer: LayerDecl, zone: string, changes: RotationChanges, main: boolean, lo: number, hi: number, vFrom: number, vTo: number): Turn[] {
  const plan = { layer, zone, absences: changes.absences, edits: changes.memberEdits.filter((e) => e.layer === layer.name), guests: main ? (changes.guests ?? []) : [] };
  const swaps = changes.swaps.filter((s) => s.layer === layer.name);
  let turns = planLayer(plan, lo, hi);
  if (swaps.length > 0) {
    // A swap may pair a turn in range with one outside it: plan that one too, to know its holder.
    const inRange = (t: number) => t >= lo && t < hi;
    const holder = (start: number): string | null | undefined => {
      const inList = turns.find((t) => t.start.getTime() === start && t.person !== null);
      if (inList) return inList.person;
      if (start < vFrom || start >= vTo) return undefined;
      return planLayer(plan, start, start + 1).find((t) => t.start.getTime() === start && t.person !== null)?.person;
    };
    for (const s of swaps) {
      const a = s.a.getTime();
      const b = s.b.getTime();
      if (!inRange(a) && !inRange(b) && !turns.some((t) => t.start.getTime() === a || t.start.getTime() === b)) continue;
      const pa = holder(a);
      const pb = holder(b);
      // A swap whose turns no longer exist (a reload moved them) or have nobody is void.
      if (!pa || !pb) continue;
      turns = turns.map((t) => {
        if (t.person === null) return t;
        if (t.start.getTime() === a) return { ...t, person: pb, swappedFrom: pa };
        if (t.start.getTime() === b) return { ...t, person: pa, swappedFrom: pb };
        return t;
      });
    }
  }
  // Clip to the version's window: the next version takes over at its `from`, mid-turn or not.
  return turns
    .map((t) => ({ ...t, pieces: t.pieces.map((p) => ({ start: new Date(Math.max(p.start.getTime(), vFrom)), end: new Date(Math.min(p.end.getTime(), vTo)) })).filter((p) => p.end > p.start) }))
    .filter((t) => t.pieces.length > 0);
}

/**
 * The resolved schedule in `[from, to)`: segments per slot, in time order within each slot,
 * adjacent stretches with the same holder and origin merged.
 */
export function resolveSchedule(input: ScheduleInput, from: Date, to: Date): Segment[] {
  const lo = from.getTime();
  const hi = to.getTime();
  if (hi <= lo || input.versions.length === 0) return [];
  const turns = plannedTurns(input, from, to);
  const precedenceOf = new Map<string, number>();
  for (const v of input.versions) for (const l of v.decl.layers) precedenceOf.set(l.name, l.precedence);

  const bySlot = new Map<string, Piece[]>();
  for (const t of turns) {
    const list = bySlot.get(t.slot) ?? [];
    bySlot.set(t.slot, list);
    for (const p of t.pieces) {
      const start = Math.max(p.start.getTime(), lo);
      const end = Math.min(p.end.getTime(), hi);
      if (end <= start) continue;
      list.push({ start, end, person: t.person, ...(t.gap ? { gap: t.gap } : {}), ...(t.absentee ? { absentee: t.absentee } : {}), swapped: t.swappedFrom !== undefined, precedence: precedenceOf.get(t.layer) ?? 0, layer: t.layer, turnStart: t.start, turnEnd: t.end });
    }
  }
  const overridesBySlot = new Map<string, Override[]>();
  for (const o of input.changes.overrides) {
    if (o.to.getTime() <= lo || o.from.getTime() >= hi) continue;
    const list = overridesBySlot.get(o.slot) ?? [];
    overridesBySlot.set(o.slot, list);
    list.push(o);
    if (!bySlot.has(o.slot)) bySlot.set(o.slot, []);
  }

  const out: Segment[] = [];
  for (const [slot, pieces] of bySlot) out.push(...sweepSlot(slot, pieces, overridesBySlot.get(slot) ?? [], lo, hi));
  return out;
}

/** Split the slot at every boundary, pick the winner of each stretch, merge equal neighbours. */
function sweepSlot(slot: string, pieces: Piece[], overrides: Override[], lo: number, hi: number): Segment[] {
  const points = new Set<number>();
  for (const p of pieces) points.add(p.start).add(p.end);
  for (const o of overrides) points.add(Math.max(lo, o.from.getTime())).add(Math.min(hi, o.to.getTime()));
  const sorted = [...points].sort((a, b) => a - b);
  // Later overrides first, so the first one that covers a stretch wins it.
  const ovs = [...overrides].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
  const ps = [...pieces].sort((a, b) => a.start - b.start);
  const active: Piece[] = [];
  let next = 0;
  const out: Segment[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const s = sorted[i]!;
    const e = sorted[i + 1]!;
    while (next < ps.length && ps[next]!.start <= s) active.push(ps[next++]!);
    for (let j = active.length - 1; j >= 0; j--) if (active[j]!.end <= s) active.splice(j, 1);
    let best: Piece | undefined;
    for (const p of active) {
      const better = !best || (best.person === null && p.person !== null) || ((best.person === null) === (p.person === null) && p.precedence < best.precedence);
      if (better) best = p;
    }
    const ov = ovs.find((o) => o.from.getTime() <= s && o.to.getTime() >= e);
    let seg: Segment | undefined;
    if (ov) {
      seg = { slot, start: new Date(s), end: new Date(e), person: ov.person, source: 'override', layer: best?.layer ?? slot, turnStart: best?.turnStart ?? ov.from, turnEnd: best?.turnEnd ?? ov.to, overrideId: ov.id, ...(best ? { coveredFor: best.person } : {}) };
    } else if (best) {
      seg = best.person === null
        ? { slot, start: new Date(s), end: new Date(e), person: null, source: 'gap', layer: best.layer, turnStart: best.turnStart, turnEnd: best.turnEnd, gap: best.gap ?? 'nobody-available', ...(best.absentee ? { absentee: best.absentee } : {}) }
        : { slot, start: new Date(s), end: new Date(e), person: best.person, source: best.swapped ? 'swap' : 'rotation', layer: best.layer, turnStart: best.turnStart, turnEnd: best.turnEnd };
    }
    if (!seg) continue;
    const last = out[out.length - 1];
    if (last && sameOrigin(last, seg)) last.end = seg.end;
    else out.push(seg);
  }
  return out;
}

function sameOrigin(a: Segment, b: Segment): boolean {
  return a.end.getTime() === b.start.getTime() && a.person === b.person && a.source === b.source && a.layer === b.layer &&
    a.turnStart.getTime() === b.turnStart.getTime() && a.overrideId === b.overrideId && a.gap === b.gap && a.absentee === b.absentee && a.coveredFor === b.coveredFor;
}
