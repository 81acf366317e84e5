/**
 * Handoff instants across DST changes, month ends and leap years.
 * Columns: zone, anchor (local), turn length, then the expected UTC instants of boundaries 0..n.
 */
import { describe, expect, it } from 'vitest';
import { TurnClock } from '../../../../src/domain/oncall/turn-clock.js';
import type { TurnLength } from '../../../../src/domain/oncall/types.js';

const local = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(s)!;
  return { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]! };
};

const cases: { name: string; zone: string; anchor: string; turn: TurnLength; boundaries: string[] }[] = [
  { name: 'New York daily 09:00 across spring forward (23 h turn)', zone: 'America/New_York', anchor: '2026-03-07 09:00', turn: { unit: 'days', count: 1 }, boundaries: ['2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', '2026-03-09T13:00:00Z'] },
  { name: 'New York daily 02:30 in the spring gap becomes 03:30', zone: 'America/New_York', anchor: '2026-03-07 02:30', turn: { unit: 'days', count: 1 }, boundaries: ['2026-03-07T07:30:00Z', '2026-03-08T07:30:00Z', '2026-03-09T06:30:00Z'] },
  { name: 'New York daily 01:30 at fall back is the first occurrence', zone: 'America/New_York', anchor: '2026-10-31 01:30', turn: { unit: 'days', count: 1 }, boundaries: ['2026-10-31T05:30:00Z', '2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z'] },
  { name: 'New York hourly: 02:00 and 03:00 fall on one instant (one handoff)', zone: 'America/New_York', anchor: '2026-03-08 00:00', turn: { unit: 'hours', count: 1 }, boundaries: ['2026-03-08T05:00:00Z', '2026-03-08T06:00:00Z', '2026-03-08T07:00:00Z', '2026-03-08T07:00:00Z', '2026-03-08T08:00:00Z'] },
  { name: 'New York hourly at fall back: the 01:00 turn lasts two hours', zone: 'America/New_York', anchor: '2026-11-01 00:00', turn: { unit: 'hours', count: 1 }, boundaries: ['2026-11-01T04:00:00Z', '2026-11-01T05:00:00Z', '2026-11-01T07:00:00Z', '2026-11-01T08:00:00Z'] },
  { name: 'New York 12-hour turns keep 08:00/20:00 local', zone: 'America/New_York', anchor: '2026-03-07 20:00', turn: { unit: 'hours', count: 12 }, boundaries: ['2026-03-08T01:00:00Z', '2026-03-08T12:00:00Z', '2026-03-09T00:00:00Z'] },
  { name: 'London weekly Monday 09:00 across spring forward', zone: 'Europe/London', anchor: '2026-03-23 09:00', turn: { unit: 'weeks', count: 1 }, boundaries: ['2026-03-23T09:00:00Z', '2026-03-30T08:00:00Z', '2026-04-06T08:00:00Z'] },
  { name: 'London daily 01:30 in the gap becomes 02:30 BST', zone: 'Europe/London', anchor: '2026-03-28 01:30', turn: { unit: 'days', count: 1 }, boundaries: ['2026-03-28T01:30:00Z', '2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z'] },
  { name: 'London daily 01:30 at fall back is the BST occurrence', zone: 'Europe/London', anchor: '2026-10-24 01:30', turn: { unit: 'days', count: 1 }, boundaries: ['2026-10-24T00:30:00Z', '2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z'] },
  { name: 'London two-week turns across fall back', zone: 'Europe/London', anchor: '2026-10-19 10:00', turn: { unit: 'weeks', count: 2 }, boundaries: ['2026-10-19T09:00:00Z', '2026-11-02T10:00:00Z'] },
  { name: 'Sydney daily 02:30 in the October gap becomes 03:30 AEDT', zone: 'Australia/Sydney', anchor: '2026-10-03 02:30', turn: { unit: 'days', count: 1 }, boundaries: ['2026-10-02T16:30:00Z', '2026-10-03T16:30:00Z', '2026-10-04T15:30:00Z'] },
  { name: 'Sydney daily 02:30 at the April fall back is the AEDT occurrence', zone: 'Australia/Sydney', anchor: '2026-04-04 02:30', turn: { unit: 'days', count: 1 }, boundaries: ['2026-04-03T15:30:00Z', '2026-04-04T15:30:00Z', '2026-04-05T16:30:00Z'] },
  { name: 'Sydney weekly across the April change', zone: 'Australia/Sydney', anchor: '2026-03-30 09:00', turn: { unit: 'weeks', count: 1 }, boundaries: ['2026-03-29T22:00:00Z', '2026-04-05T23:00:00Z'] },
  { name: 'monthly from the 31st clamps to 29 Feb in a leap year and returns to the 31st', zone: 'Europe/London', anchor: '2024-01-31 10:00', turn: { unit: 'months', count: 1 }, boundaries: ['2024-01-31T10:00:00Z', '2024-02-29T10:00:00Z', '2024-03-31T09:00:00Z', '2024-04-30T09:00:00Z'] },
  { name: 'monthly from the 31st clamps to 28 Feb in a common year', zone: 'America/New_York', anchor: '2025-01-31 09:00', turn: { unit: 'months', count: 1 }, boundaries: ['2025-01-31T14:00:00Z', '2025-02-28T14:00:00Z', '2025-03-31T13:00:00Z'] },
  { name: 'monthly from 29 Feb: the 29th where it exists', zone: 'Australia/Sydney', anchor: '2024-02-29 09:00', turn: { unit: 'months', count: 12 }, boundaries: ['2024-02-28T22:00:00Z', '2025-02-27T22:00:00Z', '2026-02-27T22:00:00Z', '2027-02-27T22:00:00Z', '2028-02-28T22:00:00Z'] },
  { name: 'two-monthly across a year end', zone: 'Europe/London', anchor: '2026-11-30 09:00', turn: { unit: 'months', count: 2 }, boundaries: ['2026-11-30T09:00:00Z', '2027-01-30T09:00:00Z', '2027-03-30T08:00:00Z'] },
];

describe('TurnClock boundaries', () => {
  for (const c of cases) {
    it(c.name, () => {
      const clock = new TurnClock(local(c.anchor), c.turn, c.zone);
      const got = c.boundaries.map((_, k) => new Date(clock.boundary(k)).toISOString().replace('.000', ''));
      expect(got).toEqual(c.boundaries);
    });
  }

  it('indexAt finds the turn holding an instant, the last of equal boundaries, and -1 before the anchor', () => {
    const clock = new TurnClock(local('2026-03-08 00:00'), { unit: 'hours', count: 1 }, 'America/New_York');
    expect(clock.indexAt(Date.parse('2026-03-08T04:59:59Z'))).toBe(-1);
    expect(clock.indexAt(Date.parse('2026-03-08T05:00:00Z'))).toBe(0);
    expect(clock.indexAt(Date.parse('2026-03-08T06:59:59Z'))).toBe(1);
    expect(clock.indexAt(Date.parse('2026-03-08T07:00:00Z'))).toBe(3);
    const monthly = new TurnClock(local('2024-01-31 10:00'), { unit: 'months', count: 1 }, 'Europe/London');
    expect(monthly.indexAt(Date.parse('2024-02-29T09:59:59Z'))).toBe(0);
    expect(monthly.indexAt(Date.parse('2024-02-29T10:00:00Z'))).toBe(1);
    expect(monthly.indexAt(Date.parse('2030-06-15T00:00:00Z'))).toBe(76);
  });
});
