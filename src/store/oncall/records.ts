/**
 * Stored shapes of a rotation's chat state (dates as ISO strings) and their conversion to the
 * domain model. One record per rotation holds its declaration versions, member edits and pending
 * swaps; overrides, swaps and absences are one item each (items.ts; absences per person, because
 * leave applies to every rotation the person is in). The record keeps its `overrides`/`swaps`
 * arrays only for data written before that layout, until the migration empties them.
 */
import { z } from 'zod';
import type { Absence, Guest, MemberEdit, Override, RotationChanges, RotationDecl, RotationVersion, Swap } from '../../domain/oncall/types.js';
import { endsOf, type Tour } from '../tour/store.js';

const iso = z.iso.datetime();
const localDateTime = z.object({ year: z.int(), month: z.int(), day: z.int(), hour: z.int(), minute: z.int() });
const localTime = z.object({ hour: z.int(), minute: z.int() });

const layerRecord = z.object({
  name: z.string(),
  slot: z.string().optional(),
  precedence: z.int(),
  /** The layer's own zone (follow-the-sun); absent: the rotation's. */
  zone: z.string().optional(),
  members: z.array(z.string()),
  anchor: localDateTime,
  turn: z.object({ unit: z.enum(['hours', 'days', 'weeks', 'months']), count: z.int().min(1) }),
  restriction: z.object({ weekdays: z.array(z.int()), from: localTime, to: localTime }).optional(),
});

const declRecord = z.object({ id: z.string(), team: z.string(), zone: z.string(), layers: z.array(layerRecord) });

export const overrideRecordSchema = z.object({ id: z.string(), slot: z.string(), person: z.string(), from: iso, to: iso, createdAt: iso, reason: z.enum(['cover', 'override']).optional(), by: z.string().optional() });
export const swapRecordSchema = z.object({ id: z.string(), layer: z.string(), a: iso, b: iso, requester: z.string(), other: z.string(), createdAt: iso });
const editRecord = z.object({ id: z.string(), layer: z.string(), person: z.string(), kind: z.enum(['add', 'remove']), at: iso });

/** A swap one person asked for and the other has not answered yet. */
const pendingSwapRecord = swapRecordSchema.extend({ aEnd: iso, bEnd: iso });

export const rotationStateSchema = z.object({
  versions: z.array(z.object({ from: iso, decl: declRecord })),
  overrides: z.array(overrideRecordSchema),
  swaps: z.array(swapRecordSchema),
  memberEdits: z.array(editRecord),
  pendingSwaps: z.array(pendingSwapRecord).default([]),
});
export type RotationStateRecord = z.infer<typeof rotationStateSchema>;
/** A rotation as `change` edits it: its record and its swaps (overrides are added one by one). */
export type RotationView = Omit<RotationStateRecord, 'overrides'>;
export type OverrideRecord = z.infer<typeof overrideRecordSchema>;
export type SwapRecord = z.infer<typeof swapRecordSchema>;
export type EditRecord = z.infer<typeof editRecord>;
export type PendingSwapRecord = z.infer<typeof pendingSwapRecord>;

export const absenceRecordSchema = z.object({ id: z.string(), person: z.string(), from: iso, to: iso, kind: z.enum(['leave', 'tour']), createdAt: iso, by: z.string().optional() });
export const absencesSchema = z.object({ items: z.array(absenceRecordSchema) });
export type AbsencesRecord = z.infer<typeof absencesSchema>;
export type AbsenceRecord = z.infer<typeof absenceRecordSchema>;

export const emptyRotationState = (): RotationStateRecord => ({ versions: [], overrides: [], swaps: [], memberEdits: [], pendingSwaps: [] });

const d = (s: string) => new Date(s);

export function versionsOf(r: RotationStateRecord): RotationVersion[] {
  return r.versions.map((v) => ({ from: d(v.from), decl: v.decl as RotationDecl }));
}

export function changesOf(r: RotationStateRecord, absences: readonly AbsenceRecord[], tours: readonly Tour[] = []): RotationChanges {
  return {
    guests: tours.map((t): Guest => ({ id: t.id, person: t.person, from: d(t.from), ends: endsOf(t).map((e) => ({ to: d(e.to), at: d(e.at) })), absenceId: t.absenceId })),
    overrides: r.overrides.map((o): Override => ({ id: o.id, slot: o.slot, person: o.person, from: d(o.from), to: d(o.to), createdAt: d(o.createdAt), ...(o.reason ? { reason: o.reason } : {}) })),
    swaps: r.swaps.map((s): Swap => ({ id: s.id, layer: s.layer, a: d(s.a), b: d(s.b) })),
    absences: absences.map((a): Absence => ({ id: a.id, person: a.person, from: d(a.from), to: d(a.to), kind: a.kind })),
    memberEdits: r.memberEdits.map((e): MemberEdit => ({ id: e.id, layer: e.layer, person: e.person, kind: e.kind, at: d(e.at) })),
  };
}
