/**
 * The queue rule, restrictions, additions and removals. Each row: a rotation (daily 09:00 turns
 * unless said otherwise), the changes on top, and who holds each turn from the anchor on.
 */
import { describe, expect, it } from 'vitest';
import { resolveSchedule } from '../../../../src/domain/oncall/resolve.js';
import type { RotationChanges, RotationDecl } from '../../../../src/domain/oncall/types.js';
import { at, holders, input, layer, rotation, show } from './fixtures.js';

const london = (members: string[], more = {}) => rotation('Europe/London', [layer(members, '2026-03-23 09:00', more)]);
const weekdays = { restriction: { weekdays: [1, 2, 3, 4, 5], from: { hour: 9, minute: 0 }, to: { hour: 17, minute: 0 } } };

const rows: { name: string; decl: RotationDecl; changes?: Partial<RotationChanges>; days: number; expected: string[] }[] = [
  { name: 'plain rotation goes round the queue', decl: london(['a', 'b', 'c']), days: 5, expected: ['a', 'b', 'c', 'a', 'b'] },
  {
    name: 'a member away for part of a turn keeps it; the hour away is an explicit absent gap',
    decl: london(['a', 'b', 'c']),
    changes: { absences: [{ id: 'l1', person: 'b', from: at('2026-03-24T20:00:00Z'), to: at('2026-03-24T21:00:00Z'), kind: 'leave' }] },
    days: 5,
    expected: ['a', 'b', '(absent)', 'b', 'c', 'a', 'b'],
  },
  {
    name: 'a member away for a whole turn is skipped and serves first when back',
    decl: london(['a', 'b', 'c']),
    changes: { absences: [{ id: 'l1', person: 'b', from: at('2026-03-24T09:00:00Z'), to: at('2026-03-25T09:00:00Z'), kind: 'leave' }] },
    days: 5,
    expected: ['a', 'c', 'b', 'a', 'c'],
  },
  {
    name: 'a tour of duty counts as away like leave: a turn away for half or more is skipped',
    decl: london(['a', 'b', 'c']),
    changes: { absences: [{ id: 't1', person: 'a', from: at('2026-03-23T00:00:00Z'), to: at('2026-03-26T00:00:00Z'), kind: 'tour' }] },
    days: 5,
    expected: ['b', 'c', 'b', 'a', 'c'],
  },
  {
    name: 'away for less than half a turn: kept, with the hours away as an absent gap',
    decl: london(['a', 'b', 'c']),
    changes: { absences: [{ id: 't1', person: 'a', from: at('2026-03-23T00:00:00Z'), to: at('2026-03-24T20:00:00Z'), kind: 'tour' }] },
    days: 3,
    expected: ['b', '(absent)', 'a', 'c'],
  },
  {
    name: 'nobody available leaves an explicit gap',
    decl: london(['a']),
    changes: { absences: [{ id: 'l', person: 'a', from: at('2026-03-24T09:00:00Z'), to: at('2026-03-25T09:00:00Z'), kind: 'leave' }] },
    days: 3,
    expected: ['a', '(nobody-available)', 'a'],
  },
  { name: 'an empty queue is an explicit gap', decl: london([]), days: 2, expected: ['(empty-queue)', '(empty-queue)'] },
  {
    name: 'adding a member appends: no turn before theirs moves',
    decl: london(['a', 'b', 'c']),
    changes: { memberEdits: [{ id: 'e', layer: 'primary', person: 'd', kind: 'add', at: at('2026-03-23T12:00:00Z') }] },
    days: 6,
    expected: ['a', 'b', 'c', 'a', 'd', 'b'],
  },
  {
    name: 'removing the holder mid-turn leaves the rest of the turn as a gap; the order of others stays',
    decl: london(['a', 'b', 'c']),
    changes: { memberEdits: [{ id: 'e', layer: 'primary', person: 'b', kind: 'remove', at: at('2026-03-24T15:00:00Z') }] },
    days: 5,
    expected: ['a', 'b', '(member-removed)', 'c', 'a', 'c'],
  },
  {
    name: 'removing someone not on duty only drops them from the queue',
    decl: london(['a', 'b', 'c']),
    changes: { memberEdits: [{ id: 'e', layer: 'primary', person: 'c', kind: 'remove', at: at('2026-03-23T15:00:00Z') }] },
    days: 4,
    expected: ['a', 'b', 'a', 'b'],
  },
  { name: 'a weekday restriction skips weekend turns without charging anyone', decl: london(['a', 'b', 'c'], weekdays), days: 9, expected: ['a', 'b', 'c', 'a', 'b', 'c', 'a'] },
];

describe('queue rule', () => {
  for (const r of rows) {
    it(r.name, () => {
      const segs = resolveSchedule(input(r.decl, r.changes), at('2026-03-23T00:00:00Z'), new Date(Date.parse('2026-03-23T09:00:00Z') + r.days * 86_400_000 - 3_600_000));
      expect(holders(segs)).toEqual(r.expected);
    });
  }

  it('a restricted rotation is on duty only inside its windows, in local time across DST', () => {
    const segs = resolveSchedule(input(london(['a', 'b'], weekdays)), at('2026-03-27T00:00:00Z'), at('2026-03-31T00:00:00Z'));
    expect(show(segs)).toEqual(['primary:a@2026-03-27T09:00Z-2026-03-27T17:00Z', 'primary:b@2026-03-30T08:00Z-2026-03-30T16:00Z']);
  });

  it('an overnight window runs into the next day (Sydney 22:00–06:00 on weekends)', () => {
    const decl = rotation('Australia/Sydney', [layer(['a', 'b'], '2026-10-02 22:00', { restriction: { weekdays: [5, 6], from: { hour: 22, minute: 0 }, to: { hour: 6, minute: 0 } } })]);
    const segs = resolveSchedule(input(decl), at('2026-10-02T00:00:00Z'), at('2026-10-05T00:00:00Z'));
    // Fri 22:00 AEST → Sat 06:00 AEST; Sat 22:00 AEST → Sun 06:00 AEDT (the clocks sprang forward in the night).
    expect(show(segs)).toEqual(['primary:a@2026-10-02T12:00Z-2026-10-02T20:00Z', 'primary:b@2026-10-03T12:00Z-2026-10-03T19:00Z']);
  });

  it('a queue anchored years ago jumps to the same answer as a walk from the anchor', () => {
    const decl = london(['a', 'b', 'c', 'd', 'e']);
    const far = at('2031-07-04T12:00:00Z');
    const jumped = resolveSchedule(input(decl), far, new Date(far.getTime() + 1));
    // An absence on the anchor day forces a walk from the anchor.
    const walked = resolveSchedule(input(decl, { absences: [{ id: 'x', person: 'zz', from: at('2026-03-23T10:00:00Z'), to: at('2026-03-23T11:00:00Z'), kind: 'leave' }] }), far, new Date(far.getTime() + 1));
    expect(holders(jumped)).toEqual(holders(walked));
    expect(holders(jumped)).toHaveLength(1);
  });
});
