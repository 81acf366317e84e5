/**
 * A person away for part of a turn (less than half of it) keeps it and their place; the hours away
 * are an explicit gap. Away for half or more, the turn passes on and they keep their place.
 * Home rotation weekly Monday 09:00 Europe/London over D, E, F; E's tour covers the local dates
 * 2025-03-03..2025-03-30, so it starts nine hours before E's turn of 2025-02-24 ends.
 */
import { describe, expect, it } from 'vitest';
import { resolveSchedule } from '../../../../src/domain/oncall/resolve.js';
import { at, holders, input, layer, rotation, show } from './fixtures.js';

const home = rotation('Europe/London', [layer(['d', 'e', 'f'], '2025-02-17 09:00', { turn: { unit: 'weeks', count: 1 } })]);
// Local midnight 3 March (GMT) to local midnight 31 March (BST since 30 March).
const tour = { id: 'tour-e', person: 'e', from: at('2025-03-03T00:00:00Z'), to: at('2025-03-30T23:00:00Z'), kind: 'tour' as const };

describe('partial absences', () => {
  it('E serves the turn of 2025-02-24; the nine hours away are an absent gap; F serves two of six turns', () => {
    const segs = resolveSchedule(input(home, { absences: [tour] }), at('2025-02-17T09:00:00Z'), at('2025-03-31T08:00:00Z'));
    expect(show(segs.slice(0, 3))).toEqual(['primary:d@2025-02-17T09:00Z-2025-02-24T09:00Z', 'primary:e@2025-02-24T09:00Z-2025-03-03T00:00Z', 'primary:(gap absent)@2025-03-03T00:00Z-2025-03-03T09:00Z']);
    expect(holders(segs)).toEqual(['d', 'e', '(absent)', 'f', 'd', 'f', 'd']);
    expect(segs.filter((s) => s.person === 'f')).toHaveLength(2);
    const gap = segs.find((s) => s.gap === 'absent')!;
    expect((gap.end.getTime() - gap.start.getTime()) / 3_600_000).toBe(9);
    expect(gap.turnStart).toEqual(at('2025-02-24T09:00:00Z'));
  });

  it('away for whole turns (and most of the last one) E keeps the place and serves first when back', () => {
    const segs = resolveSchedule(input(home, { absences: [tour] }), at('2025-03-31T08:00:00Z'), at('2025-04-07T08:00:00Z'));
    expect(show(segs)).toEqual(['primary:e@2025-03-31T08:00Z-2025-04-07T08:00Z']);
  });

  it('another layer of the slot fills the hours away before they count as a gap', () => {
    const two = rotation('Europe/London', [...home.layers, layer(['x'], '2025-02-17 09:00', { name: 'backup', slot: 'primary', precedence: 2, turn: { unit: 'weeks', count: 1 } })]);
    const segs = resolveSchedule(input(two, { absences: [tour] }), at('2025-03-02T00:00:00Z'), at('2025-03-03T09:00:00Z'));
    expect(show(segs)).toEqual(['primary:e@2025-03-02T00:00Z-2025-03-03T00:00Z', 'primary:x@2025-03-03T00:00Z-2025-03-03T09:00Z']);
  });
});
