/**
 * Overlaps between layers, reported when a rotation is saved. They are not errors (precedence
 * resolves them) but they are usually a mistake: two regional layers both covering 08:00–09:00, or
 * one person on primary and secondary at once.
 */
import { plannedTurns, type ScheduleInput } from './resolve.js';
import type { RotationDecl } from './types.js';

export interface LayerOverlap {
  kind: 'same-slot' | 'same-person';
  layers: [string, string];
  start: Date;
  end: Date;
  person?: string;
}

/** Overlaps in `[from, to)` (default: the four weeks after `from`), at most `limit` of them. */
export function findLayerOverlaps(decl: RotationDecl, from: Date, to = new Date(from.getTime() + 28 * 86_400_000), limit = 20): LayerOverlap[] {
  const input: ScheduleInput = { versions: [{ from: new Date(0), decl }], changes: { overrides: [], swaps: [], absences: [], memberEdits: [] } };
  const turns = plannedTurns(input, from, to);
  const pieces = turns.flatMap((t) => t.pieces.map((p) => ({ ...p, layer: t.layer, slot: t.slot, person: t.person })));
  const out: LayerOverlap[] = [];
  for (let i = 0; i < pieces.length && out.length < limit; i++) {
    for (let j = i + 1; j < pieces.length && out.length < limit; j++) {
      const a = pieces[i]!;
      const b = pieces[j]!;
      if (a.layer === b.layer) continue;
      const start = Math.max(a.start.getTime(), b.start.getTime(), from.getTime());
      const end = Math.min(a.end.getTime(), b.end.getTime(), to.getTime());
      if (end <= start) continue;
      if (a.slot === b.slot) out.push({ kind: 'same-slot', layers: [a.layer, b.layer], start: new Date(start), end: new Date(end) });
      else if (a.person !== null && a.person === b.person) out.push({ kind: 'same-person', layers: [a.layer, b.layer], start: new Date(start), end: new Date(end), person: a.person });
    }
  }
  return out;
}
