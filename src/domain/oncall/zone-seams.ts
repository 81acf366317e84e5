/**
 * Seams between layers kept in different zones (follow-the-sun): where one region hands a slot to
 * the other. The layers' wall clocks meet on most dates, but the zones change clocks on different
 * dates, so for a week or three a year the seam opens (a gap) or the layers cover the same hour (an
 * overlap). Both are found for every date in the range they occur on, so a rotation is never saved
 * with an unreported gap or a silent overlap.
 *
 *   - Overlap: two layers of one slot, in different zones, active at once. Precedence decides who
 *     is on duty there (the lower number; resolve.ts), and the report names that layer.
 *   - Gap: a stretch between the end of layer A and the start of layer B where nobody in the slot
 *     is active, on a date when A and B do not meet, although they meet (touch or overlap) on other
 *     dates. A hole the layers leave on every date (the night nobody covers) is off-hours by
 *     design, not a gap.
 */
import { layerZone, plannedTurns, type ScheduleInput } from './resolve.js';
import type { RotationDecl } from './types.js';

export interface ZoneSeam {
  kind: 'overlap' | 'gap';
  slot: string;
  /** Overlap: the two layers in declaration order. Gap: the layer handing over, then the one taking over. */
  layers: [string, string];
  start: Date;
  end: Date;
  /** Overlap only: the layer whose person is on duty there (the lower precedence number). */
  winner?: string;
}

interface Piece {
  start: number;
  end: number;
  layer: string;
}

/** Active stretches of each slot in `[from, to)`, sorted by start. */
function piecesBySlot(decl: RotationDecl, from: Date, to: Date): Map<string, Piece[]> {
  const input: ScheduleInput = { versions: [{ from: new Date(0), decl }], changes: { overrides: [], swaps: [], absences: [], memberEdits: [] } };
  const bySlot = new Map<string, Piece[]>();
  for (const t of plannedTurns(input, from, to)) {
    const list = bySlot.get(t.slot) ?? [];
    bySlot.set(t.slot, list);
    for (const p of t.pieces) list.push({ start: p.start.getTime(), end: p.end.getTime(), layer: t.layer });
  }
  for (const list of bySlot.values()) list.sort((a, b) => a.start - b.start || a.end - b.end);
  return bySlot;
}

const YEAR = 366 * 86_400_000;

/**
 * Overlaps and gaps between layers of different zones in `[from, to)`, in time order per slot.
 * Whether two layers meet is learnt from a whole year around the range (a short range may fall
 * entirely in the weeks they do not), so the answer for a day does not depend on the range asked.
 */
export function findZoneSeams(decl: RotationDecl, from: Date, to: Date): ZoneSeam[] {
  const lo = from.getTime();
  const hi = to.getTime();
  if (hi <= lo) return [];
  const span = Math.max(0, YEAR - (hi - lo)) / 2;
  const inRange = (s: ZoneSeam) => s.end.getTime() > lo && s.start.getTime() < hi;
  const zoneOf = new Map(decl.layers.map((l) => [l.name, layerZone(decl, l)]));
  const order = new Map(decl.layers.map((l, i) => [l.name, i]));
  const precedence = new Map(decl.layers.map((l) => [l.name, l.precedence]));
  // Only slots with layers in more than one zone have seams that can move.
  const slotZones = new Map<string, Set<string>>();
  for (const l of decl.layers) slotZones.set(l.slot ?? l.name, (slotZones.get(l.slot ?? l.name) ?? new Set()).add(layerZone(decl, l)));
  // Nothing to plan (a year of turns) for a rotation kept in one zone.
  if (![...slotZones.values()].some((z) => z.size > 1)) return [];
  const out: ZoneSeam[] = [];
  for (const [slot, pieces] of piecesBySlot(decl, new Date(lo - span), new Date(hi + span))) {
    if ((slotZones.get(slot)?.size ?? 0) < 2) continue;
    const apart = (a: Piece, b: Piece) => a.layer !== b.layer && zoneOf.get(a.layer) !== zoneOf.get(b.layer);
    out.push(...overlapsOf(slot, pieces, apart, order, precedence).filter(inRange));
    out.push(...gapsOf(slot, pieces, apart).filter(inRange));
  }
  const clip = (s: ZoneSeam): ZoneSeam => ({ ...s, start: new Date(Math.max(lo, s.start.getTime())), end: new Date(Math.min(hi, s.end.getTime())) });
  return out.map(clip).sort((a, b) => a.start.getTime() - b.start.getTime() || (a.slot < b.slot ? -1 : 1));
}

function overlapsOf(slot: string, pieces: Piece[], apart: (a: Piece, b: Piece) => boolean, order: Map<string, number>, precedence: Map<string, number>): ZoneSeam[] {
  const out: ZoneSeam[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const a = pieces[i]!;
    for (let j = i + 1; j < pieces.length && pieces[j]!.start < a.end; j++) {
      const b = pieces[j]!;
      if (!apart(a, b)) continue;
      const end = Math.min(a.end, b.end);
      if (end <= b.start) continue;
      const layers = ((order.get(a.layer) ?? 0) <= (order.get(b.layer) ?? 0) ? [a.layer, b.layer] : [b.layer, a.layer]) as [string, string];
      const winner = (precedence.get(a.layer) ?? 0) <= (precedence.get(b.layer) ?? 0) ? a.layer : b.layer;
      out.push({ kind: 'overlap', slot, layers, start: new Date(b.start), end: new Date(end), winner });
    }
  }
  return out;
}

/**
 * For each stretch, the next stretch of another zone's layer: the hole between them, if nothing in
 * the slot covers it, is a gap when that same pair of layers meets on some other date.
 */
function gapsOf(slot: string, pieces: Piece[], apart: (a: Piece, b: Piece) => boolean): ZoneSeam[] {
  const meets = new Set<string>();
  const holes: { key: string; layers: [string, string]; start: number; end: number }[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const a = pieces[i]!;
    let b: Piece | undefined;
    for (let j = i + 1; j < pieces.length && !b; j++) if (pieces[j]!.start > a.start && apart(a, pieces[j]!)) b = pieces[j];
    if (!b) continue;
    const key = `${a.layer}>${b.layer}`;
    if (b.start <= a.end) {
      meets.add(key);
      continue;
    }
    // Covered by a third stretch (another layer, or the next stretch of the same one): not a hole.
    if (pieces.some((p) => p.start < b.start && p.end > a.end)) continue;
    holes.push({ key, layers: [a.layer, b.layer], start: a.end, end: b.start });
  }
  return holes.filter((h) => meets.has(h.key)).map((h) => ({ kind: 'gap' as const, slot, layers: h.layers, start: new Date(h.start), end: new Date(h.end) }));
}

/** Seams that repeat with the same layers and the same UTC hours, with every UTC date they fall on. */
export interface SeamGroup {
  kind: ZoneSeam['kind'];
  slot: string;
  layers: [string, string];
  winner?: string;
  /** UTC "HH:MM" of the start and end. */
  from: string;
  to: string;
  /** UTC dates ("YYYY-MM-DD") the seam starts on, in order. */
  dates: string[];
}

export function groupSeams(seams: readonly ZoneSeam[]): SeamGroup[] {
  const groups = new Map<string, SeamGroup>();
  for (const s of seams) {
    const iso = s.start.toISOString();
    const from = iso.slice(11, 16);
    const to = s.end.toISOString().slice(11, 16);
    const key = [s.kind, s.slot, ...s.layers, s.winner ?? '', from, to].join('|');
    const g = groups.get(key) ?? { kind: s.kind, slot: s.slot, layers: s.layers, ...(s.winner ? { winner: s.winner } : {}), from, to, dates: [] };
    groups.set(key, g);
    if (g.dates[g.dates.length - 1] !== iso.slice(0, 10)) g.dates.push(iso.slice(0, 10));
  }
  return [...groups.values()];
}

/** Runs of consecutive dates: ["2025-03-10", "2025-03-11", "2025-03-13"] → [["2025-03-10", "2025-03-11"], ["2025-03-13", "2025-03-13"]]. */
export function dateRuns(dates: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const d of dates) {
    const last = out[out.length - 1];
    if (last && Date.parse(`${d}T00:00:00Z`) - Date.parse(`${last[1]}T00:00:00Z`) === 86_400_000) last[1] = d;
    else out.push([d, d]);
  }
  return out;
}
