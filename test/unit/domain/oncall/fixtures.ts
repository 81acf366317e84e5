/** Small builders for rotation tests: declarations, changes and a compact view of segments. */
import type { ScheduleInput } from '../../../../src/domain/oncall/resolve.js';
import type { LayerDecl, RotationChanges, RotationDecl, Segment } from '../../../../src/domain/oncall/types.js';

export const local = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(s)!;
  return { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! };
};

export function layer(members: string[], anchor: string, more: Partial<LayerDecl> = {}): LayerDecl {
  return { name: 'primary', precedence: 1, members, anchor: local(anchor), turn: { unit: 'days', count: 1 }, ...more };
}

export function rotation(zone: string, layers: LayerDecl[]): RotationDecl {
  return { id: 'r', team: 't', zone, layers };
}

export function input(decl: RotationDecl, changes: Partial<RotationChanges> = {}): ScheduleInput {
  return { versions: [{ from: new Date(0), decl }], changes: { overrides: [], swaps: [], absences: [], memberEdits: [], ...changes } };
}

/** "a@2026-03-23T09:00Z-2026-03-24T09:00Z" style rows, easy to read in a failing diff. */
export const show = (segs: Segment[]) =>
  segs.map((s) => `${s.slot}:${s.person ?? `(gap ${s.gap})`}@${s.start.toISOString().slice(0, 16)}Z-${s.end.toISOString().slice(0, 16)}Z${s.source === 'rotation' || s.source === 'gap' ? '' : ` ${s.source}`}`);

/** Only who, in order: for queue-rule tables. */
export const holders = (segs: Segment[]) => segs.map((s) => s.person ?? `(${s.gap})`);

export const at = (iso: string) => new Date(iso);
