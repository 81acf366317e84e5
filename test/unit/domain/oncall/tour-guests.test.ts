/**
 * Guests on a tour of duty in the host team's rotation. Each row: daily 09:00 UTC turns from
 * Monday 2026-06-01 over a queue of a, b, c; guest g's tour (start, and its end as set at each
 * instant); other changes; and who holds each turn (a cut turn shows as two entries).
 */
import { describe, expect, it } from 'vitest';
import { queueAt } from '../../../../src/domain/oncall/edit-preview.js';
import { resolveSchedule } from '../../../../src/domain/oncall/resolve.js';
import type { Guest, RotationChanges } from '../../../../src/domain/oncall/types.js';
import { at, holders, input, layer, rotation, show } from './fixtures.js';

const decl = rotation('UTC', [layer(['a', 'b', 'c'], '2026-06-01 09:00')]);
const ASSIGNED = at('2026-05-01T00:00:00Z');

/** Guest g from `from`; `ends` as [to, set at] pairs (the first one set at assignment). */
function tour(from: string, ...ends: [string, Date?][]): Guest {
  return { id: 'tour1', person: 'g', from: at(from), ends: ends.map(([to, setAt]) => ({ to: at(to), at: setAt ?? ASSIGNED })), absenceId: 'abs1' };
}

const rows: { name: string; guest: Guest; changes?: Partial<RotationChanges>; days: number; expected: string[] }[] = [
  {
    name: 'joins the back of the queue at the start: no turn planned before theirs moves (like /oncall add)',
    guest: tour('2026-06-02T12:00:00Z', ['2026-06-20T09:00:00Z']),
    days: 7,
    expected: ['a', 'b', 'c', 'a', 'b', 'g', 'c'],
  },
  {
    name: 'a tour starting at a handoff can take that turn if it is their place',
    guest: tour('2026-06-01T09:00:00Z', ['2026-06-20T09:00:00Z']),
    days: 5,
    expected: ['a', 'b', 'c', 'g', 'a'],
  },
  {
    name: 'unavailable for a turn running past the end: keeps their place, then leaves the queue without a gap',
    guest: tour('2026-06-01T09:00:00Z', ['2026-06-04T21:00:00Z']),
    days: 7,
    expected: ['a', 'b', 'c', 'a', 'b', 'c', 'a'],
  },
  {
    name: 'a turn ending exactly at the end of the tour is theirs',
    guest: tour('2026-06-01T09:00:00Z', ['2026-06-05T09:00:00Z']),
    days: 7,
    expected: ['a', 'b', 'c', 'g', 'a', 'b', 'c'],
  },
  {
    name: 'the tour’s own absence (for the home rotations) does not keep them out here',
    guest: tour('2026-06-01T09:00:00Z', ['2026-06-20T09:00:00Z']),
    changes: { absences: [{ id: 'abs1', person: 'g', from: at('2026-06-01T09:00:00Z'), to: at('2026-06-20T09:00:00Z'), kind: 'tour' }] },
    days: 5,
    expected: ['a', 'b', 'c', 'g', 'a'],
  },
  {
    name: 'leave during the tour still applies: a whole turn away is skipped, first when back',
    guest: tour('2026-06-01T09:00:00Z', ['2026-06-20T09:00:00Z']),
    changes: { absences: [{ id: 'l1', person: 'g', from: at('2026-06-04T09:00:00Z'), to: at('2026-06-05T09:00:00Z'), kind: 'leave' }] },
    days: 7,
    expected: ['a', 'b', 'c', 'a', 'g', 'b', 'c'],
  },
  {
    name: 'extended after a turn began: that turn keeps its holder, later ones use the new end',
    guest: tour('2026-06-01T09:00:00Z', ['2026-06-04T21:00:00Z'], ['2026-06-10T09:00:00Z', at('2026-06-04T12:00:00Z')]),
    days: 7,
    expected: ['a', 'b', 'c', 'a', 'g', 'b', 'c'],
  },
  {
    name: 'extended before that turn began: the turn is theirs',
    guest: tour('2026-06-01T09:00:00Z', ['2026-06-04T21:00:00Z'], ['2026-06-10T09:00:00Z', at('2026-06-03T12:00:00Z')]),
    days: 7,
    expected: ['a', 'b', 'c', 'g', 'a', 'b', 'c'],
  },
  {
    name: 'ended early while on duty: the rest of that turn is a tour-ended gap; the order of others stays',
    guest: tour('2026-06-01T09:00:00Z', ['2026-06-20T09:00:00Z'], ['2026-06-04T15:00:00Z', at('2026-06-04T15:00:00Z')]),
    days: 7,
    expected: ['a', 'b', 'c', 'g', '(tour-ended)', 'a', 'b', 'c'],
  },
  {
    name: 'ended before it began: no trace',
    guest: tour('2026-06-02T09:00:00Z', ['2026-06-20T09:00:00Z'], ['2026-05-20T00:00:00Z', at('2026-05-20T00:00:00Z')]),
    days: 5,
    expected: ['a', 'b', 'c', 'a', 'b'],
  },
];

const DAY = 86_400_000;
const START = Date.parse('2026-06-01T09:00:00Z');

describe('guests on tour in the host rotation', () => {
  for (const r of rows) {
    it(r.name, () => {
      const segs = resolveSchedule(input(decl, { ...r.changes, guests: [r.guest] }), new Date(START), new Date(START + r.days * DAY));
      expect(holders(segs)).toEqual(r.expected);
    });
  }

  it('join only the main layer (lowest precedence), like /oncall add without layer=', () => {
    const two = rotation('UTC', [layer(['a', 'b'], '2026-06-01 09:00'), layer(['x', 'y'], '2026-06-01 09:00', { name: 'backup', precedence: 2 })]);
    const segs = resolveSchedule(input(two, { guests: [tour('2026-06-01T09:00:00Z', ['2026-06-20T09:00:00Z'])] }), new Date(START), new Date(START + 4 * DAY));
    expect(holders(segs.filter((s) => s.slot === 'primary'))).toEqual(['a', 'b', 'g', 'a']);
    expect(holders(segs.filter((s) => s.slot === 'backup'))).toEqual(['x', 'y', 'x', 'y']);
    const input2 = input(two, { guests: [tour('2026-06-01T09:00:00Z', ['2026-06-20T09:00:00Z'])] });
    expect(queueAt(input2, 'primary', at('2026-06-02T00:00:00Z'))).toEqual(['a', 'b', 'g']);
    expect(queueAt(input2, 'primary', at('2026-06-20T09:00:00Z'))).toEqual(['a', 'b']);
    expect(queueAt(input2, 'backup', at('2026-06-02T00:00:00Z'))).toEqual(['x', 'y']);
  });

  it('the cut turn ends at the early end and the gap runs to the handoff', () => {
    const guest = tour('2026-06-01T09:00:00Z', ['2026-06-20T09:00:00Z'], ['2026-06-04T15:00:00Z', at('2026-06-04T15:00:00Z')]);
    const segs = resolveSchedule(input(decl, { guests: [guest] }), at('2026-06-04T09:00:00Z'), at('2026-06-05T09:00:00Z'));
    expect(show(segs)).toEqual(['primary:g@2026-06-04T09:00Z-2026-06-04T15:00Z', 'primary:(gap tour-ended)@2026-06-04T15:00Z-2026-06-05T09:00Z']);
  });

  it('a window inside the tour answers as the whole walk does (the queue jump counts the tour)', () => {
    const far = rotation('UTC', [layer(['a', 'b', 'c', 'd'], '2024-01-01 09:00')]);
    const guests = [tour('2026-06-01T12:00:00Z', ['2026-06-12T09:00:00Z'])];
    const whole = resolveSchedule(input(far, { guests }), at('2026-05-25T00:00:00Z'), at('2026-06-20T00:00:00Z'));
    const part = resolveSchedule(input(far, { guests }), at('2026-06-06T00:00:00Z'), at('2026-06-09T00:00:00Z'));
    const overlapping = whole.filter((s) => s.end > at('2026-06-06T00:00:00Z') && s.start < at('2026-06-09T00:00:00Z'));
    expect(holders(part)).toEqual(holders(overlapping));
    expect(holders(part)).toContain('g');
  });
});
