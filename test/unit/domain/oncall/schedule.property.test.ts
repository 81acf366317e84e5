/**
 * Properties of the resolved schedule for random rotations, overrides and edits: within a slot no
 * two segments overlap, and the segments cover exactly the duty time (the layers' active turns
 * plus overrides) — every stretch nobody holds there is an explicit gap with a reason.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plannedTurns, resolveSchedule, type ScheduleInput } from '../../../../src/domain/oncall/resolve.js';
import type { LayerDecl, RotationDecl } from '../../../../src/domain/oncall/types.js';

const HOUR = 3_600_000;
const BASE = Date.UTC(2024, 0, 1);
const people = ['a', 'b', 'c', 'd', 'e'];

const layerArb = (i: number) =>
  fc.record({
    members: fc.subarray(people),
    year: fc.integer({ min: 2024, max: 2026 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.constantFrom(0, 30),
    unit: fc.constantFrom('hours', 'days', 'weeks', 'months') as fc.Arbitrary<LayerDecl['turn']['unit']>,
    count: fc.integer({ min: 1, max: 3 }),
    slot: fc.constantFrom('primary', 'secondary'),
    restricted: fc.option(fc.record({ weekdays: fc.subarray([0, 1, 2, 3, 4, 5, 6], { minLength: 1 }), fromH: fc.integer({ min: 0, max: 23 }), toH: fc.integer({ min: 0, max: 23 }) })),
  }).map((r): LayerDecl => ({
    name: `l${i}`,
    slot: r.slot,
    precedence: i + 1,
    members: r.members,
    anchor: { year: r.year, month: r.month, day: Math.min(r.day, 28 + (r.day > 28 ? 3 : 0)), hour: r.hour, minute: r.minute },
    turn: { unit: r.unit, count: r.unit === 'hours' ? r.count * 4 : r.count },
    ...(r.restricted ? { restriction: { weekdays: r.restricted.weekdays, from: { hour: r.restricted.fromH, minute: 0 }, to: { hour: r.restricted.toH, minute: 0 } } } : {}),
  }));

const interval = fc.record({ start: fc.integer({ min: 0, max: 3 * 365 * 24 }), len: fc.integer({ min: 1, max: 24 * 20 }) }).map((r) => ({ from: new Date(BASE + r.start * HOUR), to: new Date(BASE + (r.start + r.len) * HOUR) }));

const scheduleArb = fc
  .record({
    zone: fc.constantFrom('America/New_York', 'Europe/London', 'Australia/Sydney', 'UTC'),
    layers: fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => layerArb(i)))),
    overrides: fc.array(fc.record({ iv: interval, person: fc.constantFrom(...people), slot: fc.constantFrom('primary', 'secondary'), created: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 5 }),
    absences: fc.array(fc.record({ iv: interval, person: fc.constantFrom(...people) }), { maxLength: 4 }),
    edits: fc.array(fc.record({ iv: interval, person: fc.constantFrom(...people, 'f'), kind: fc.constantFrom('add', 'remove') as fc.Arbitrary<'add' | 'remove'>, layer: fc.integer({ min: 0, max: 2 }) }), { maxLength: 4 }),
    // Guests on tour: g and h are nobody's members; the end may be moved once (earlier or later).
    guests: fc.array(fc.record({ iv: interval, person: fc.constantFrom('g', 'h'), moved: fc.option(fc.record({ after: fc.integer({ min: 0, max: 24 * 20 }), len: fc.integer({ min: 0, max: 24 * 30 }) })) }), { maxLength: 2 }),
    range: interval,
  })
  .map((r) => {
    const decl: RotationDecl = { id: 'r', team: 't', zone: r.zone, layers: r.layers };
    const input: ScheduleInput = {
      versions: [{ from: new Date(0), decl }],
      changes: {
        overrides: r.overrides.map((o, i) => ({ id: `o${i}`, slot: o.slot, person: o.person, from: o.iv.from, to: o.iv.to, createdAt: new Date(BASE + o.created) })),
        swaps: [],
        absences: r.absences.map((a, i) => ({ id: `a${i}`, person: a.person, from: a.iv.from, to: a.iv.to, kind: 'leave' as const })),
        memberEdits: r.edits.map((e, i) => ({ id: `e${i}`, layer: `l${e.layer}`, person: e.person, kind: e.kind, at: e.iv.from })),
        guests: r.guests.map((g, i) => ({
          id: `t${i}`,
          person: g.person,
          from: g.iv.from,
          ends: [
            { to: g.iv.to, at: new Date(g.iv.from.getTime() - 24 * HOUR) },
            ...(g.moved ? [{ to: new Date(g.iv.from.getTime() + g.moved.len * HOUR), at: new Date(g.iv.from.getTime() + g.moved.after * HOUR) }] : []),
          ],
        })),
      },
    };
    return { input, from: r.range.from, to: r.range.to };
  });

type Iv = [number, number];
function union(list: Iv[]): Iv[] {
  const sorted = list.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Iv[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && last[1] >= s) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

describe('resolved schedule properties', () => {
  it('has no overlap within a slot and no unexplained gap', () => {
    fc.assert(
      fc.property(scheduleArb, ({ input, from, to }) => {
        const segs = resolveSchedule(input, from, to);
        const turns = plannedTurns(input, from, to);
        const slots = new Set([...segs.map((s) => s.slot), ...turns.map((t) => t.slot)]);
        for (const slot of slots) {
          const mine = segs.filter((s) => s.slot === slot);
          for (let i = 0; i < mine.length; i++) {
            const s = mine[i]!;
            expect(s.end.getTime()).toBeGreaterThan(s.start.getTime());
            if (s.person === null) expect(s.gap).toBeDefined();
            if (i > 0) expect(s.start.getTime()).toBeGreaterThanOrEqual(mine[i - 1]!.end.getTime());
          }
          const duty: Iv[] = [
            ...turns.filter((t) => t.slot === slot).flatMap((t) => t.pieces.map((p): Iv => [Math.max(p.start.getTime(), from.getTime()), Math.min(p.end.getTime(), to.getTime())])),
            ...input.changes.overrides.filter((o) => o.slot === slot).map((o): Iv => [Math.max(o.from.getTime(), from.getTime()), Math.min(o.to.getTime(), to.getTime())]),
          ];
          expect(union(mine.map((s): Iv => [s.start.getTime(), s.end.getTime()]))).toEqual(union(duty));
        }
      }),
      { numRuns: 120 },
    );
  });

  it('a guest holds turns only inside their tour, and leaves a gap only when the tour is cut short', () => {
    fc.assert(
      fc.property(scheduleArb, ({ input, from, to }) => {
        const guests = input.changes.guests ?? [];
        const finalEnd = (g: (typeof guests)[number]) => g.ends[g.ends.length - 1]!.to.getTime();
        const knownAt = (g: (typeof guests)[number], t: number) => {
          let known = g.ends[0]!.to.getTime();
          for (const e of g.ends) if (e.at.getTime() <= t) known = e.to.getTime();
          return known;
        };
        for (const t of plannedTurns(input, from, to)) {
          const start = t.start.getTime();
          if (t.gap === 'tour-ended') {
            // Only an end moved earlier than the one the turn was planned with leaves a gap.
            const at = t.pieces[0]!.start.getTime();
            expect(guests.some((g) => finalEnd(g) === at && finalEnd(g) < knownAt(g, start))).toBe(true);
          }
          if (t.person !== 'g' && t.person !== 'h') continue;
          const tour = guests.find((g) => g.person === t.person && g.from.getTime() <= start && start < finalEnd(g));
          expect(tour).toBeDefined();
          for (const p of t.pieces) expect(p.end.getTime()).toBeLessThanOrEqual(knownAt(tour!, start));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('turns of a layer never overlap and every handoff happens once', () => {
    fc.assert(
      fc.property(scheduleArb, ({ input, from, to }) => {
        const turns = plannedTurns(input, from, to);
        for (const name of new Set(turns.map((t) => t.layer))) {
          const mine = turns.filter((t) => t.layer === name);
          const starts = [...new Set(mine.map((t) => t.start.getTime()))];
          for (let i = 1; i < starts.length; i++) expect(starts[i]!).toBeGreaterThan(starts[i - 1]!);
          const pieces = mine.flatMap((t) => t.pieces).sort((a, b) => a.start.getTime() - b.start.getTime());
          for (let i = 1; i < pieces.length; i++) expect(pieces[i]!.start.getTime()).toBeGreaterThanOrEqual(pieces[i - 1]!.end.getTime());
        }
      }),
      { numRuns: 120 },
    );
  });
});
