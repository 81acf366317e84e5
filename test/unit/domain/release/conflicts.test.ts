import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Blocker } from '../../../../src/domain/release/blockers.js';
import { findConflicts } from '../../../../src/domain/release/conflicts.js';
import { recurringFreezeBlockers } from '../../../../src/domain/release/recurring-freezes.js';
import { releasesConfig } from '../../../../src/domain/release/config.js';
import { addLocalDays, localPartsOf } from '../../../../src/time/when.js';

const at = (s: string) => new Date(s);
const H = 3_600_000;
const blocker = (kind: Blocker['kind'], id: string, start: string, end: string): Blocker => ({ kind, id, title: `${kind} ${id}`, owner: 'someone', start: at(start), end: at(end) });

const maint = blocker('maintenance', 'm1', '2026-12-01T10:00:00Z', '2026-12-01T12:00:00Z');
const freeze = blocker('freeze', 'F1', '2026-12-03T00:00:00Z', '2026-12-05T00:00:00Z');
const cadence = blocker('cadence', 'c1', '2026-12-07T13:00:00Z', '2026-12-07T15:00:00Z');
const other = blocker('release', 'R9', '2026-12-09T10:00:00Z', '2026-12-09T12:00:00Z');
const all = [maint, freeze, cadence, other];

describe('findConflicts (half-open intervals)', () => {
  const cases: { name: string; start: string; end: string; spacingH: number; self?: string; expect: string[] }[] = [
    { name: 'ends exactly when maintenance starts', start: '2026-12-01T08:00:00Z', end: '2026-12-01T10:00:00Z', spacingH: 0, expect: [] },
    { name: 'starts exactly when maintenance ends', start: '2026-12-01T12:00:00Z', end: '2026-12-01T13:00:00Z', spacingH: 0, expect: [] },
    { name: 'overlaps maintenance by a minute', start: '2026-12-01T11:59:00Z', end: '2026-12-01T13:00:00Z', spacingH: 0, expect: ['m1'] },
    { name: 'inside a freeze', start: '2026-12-04T09:00:00Z', end: '2026-12-04T10:00:00Z', spacingH: 0, expect: ['F1'] },
    { name: 'spans the whole freeze', start: '2026-12-02T23:00:00Z', end: '2026-12-05T01:00:00Z', spacingH: 0, expect: ['F1'] },
    { name: 'touches the freeze end', start: '2026-12-05T00:00:00Z', end: '2026-12-05T02:00:00Z', spacingH: 0, expect: [] },
    { name: 'overlaps a blocking cadence event', start: '2026-12-07T14:00:00Z', end: '2026-12-07T16:00:00Z', spacingH: 0, expect: ['c1'] },
    { name: 'back-to-back release, no spacing', start: '2026-12-09T12:00:00Z', end: '2026-12-09T14:00:00Z', spacingH: 0, expect: [] },
    { name: 'release 23 h after another with 24 h spacing', start: '2026-12-10T11:00:00Z', end: '2026-12-10T12:00:00Z', spacingH: 24, expect: ['R9'] },
    { name: 'release exactly 24 h after with 24 h spacing', start: '2026-12-10T12:00:00Z', end: '2026-12-10T13:00:00Z', spacingH: 24, expect: [] },
    { name: 'release ending exactly 24 h before with 24 h spacing', start: '2026-12-08T08:00:00Z', end: '2026-12-08T10:00:00Z', spacingH: 24, expect: [] },
    { name: 'release ending 1 min late before with 24 h spacing', start: '2026-12-08T08:00:00Z', end: '2026-12-08T10:01:00Z', spacingH: 24, expect: ['R9'] },
    { name: 'the release itself is ignored when rescheduling', start: '2026-12-09T11:00:00Z', end: '2026-12-09T12:00:00Z', spacingH: 24, self: 'R9', expect: [] },
    { name: 'several at once, in time order', start: '2026-12-01T11:00:00Z', end: '2026-12-04T00:00:00Z', spacingH: 0, expect: ['m1', 'F1'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const hits = findConflicts({ start: at(c.start), end: at(c.end) }, all, { spacingMs: c.spacingH * H, self: c.self });
      expect(hits.map((h) => h.id)).toEqual(c.expect);
    });
  }

  it('property: a conflict is exactly a half-open overlap (spacing 0)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 200 }), (s1, l1, s2, l2) => {
        const b: Blocker = { kind: 'maintenance', id: 'x', title: 'x', owner: 'o', start: new Date(s2 * 60_000), end: new Date((s2 + l2) * 60_000) };
        const hits = findConflicts({ start: new Date(s1 * 60_000), end: new Date((s1 + l1) * 60_000) }, [b], { spacingMs: 0 });
        const overlap = s1 < s2 + l2 && s2 < s1 + l1;
        expect(hits.length === 1).toBe(overlap);
      }),
    );
  });

  it('property: releases conflict iff the gap between them is under the spacing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 1500 }), (s1, l1, s2, l2, gap) => {
        const b: Blocker = { kind: 'release', id: 'R1', title: 'x', owner: 'o', start: new Date(s2 * 60_000), end: new Date((s2 + l2) * 60_000) };
        const hits = findConflicts({ start: new Date(s1 * 60_000), end: new Date((s1 + l1) * 60_000) }, [b], { spacingMs: gap * 60_000 });
        const distance = Math.max(s2 - (s1 + l1), s1 - (s2 + l2));
        expect(hits.length === 1).toBe(distance < gap);
      }),
    );
  });
});

describe('recurring freezes across DST', () => {
  const cfg = releasesConfig.parse({
    recurringFreezes: [
      { id: 'quarter-end', reason: 'Quarter close', every: 'last-week-of-quarter' },
      { id: 'fri', reason: 'No Friday releases', rrule: 'FREQ=WEEKLY;BYDAY=FR', start: '12:00', duration: '12h', environments: ['prod'] },
    ],
  });

  it('last week of March starts at local midnight before the spring change and runs 7 calendar days', () => {
    const list = recurringFreezeBlockers(cfg.recurringFreezes, 'prod', 'Europe/Berlin', at('2026-03-20T00:00:00Z'), at('2026-04-05T00:00:00Z')).filter((b) => b.id.startsWith('quarter-end'));
    expect(list).toHaveLength(1);
    // 25 March 00:00 CET = 24 March 23:00 UTC; 1 April 00:00 CEST = 31 March 22:00 UTC (a 23 h day inside).
    expect(list[0]!.start.toISOString()).toBe('2026-03-24T23:00:00.000Z');
    expect(list[0]!.end.toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(list[0]!.id).toBe('quarter-end@2026-03-25');
  });

  it('a release inside the frozen week conflicts, one at the first local minute after it does not', () => {
    const blockers = recurringFreezeBlockers(cfg.recurringFreezes, 'staging', 'Europe/Berlin', at('2026-03-01T00:00:00Z'), at('2026-04-30T00:00:00Z'));
    expect(findConflicts({ start: at('2026-03-31T20:00:00Z'), end: at('2026-03-31T22:00:00Z') }, blockers, { spacingMs: 0 }).map((b) => b.kind)).toEqual(['freeze']);
    expect(findConflicts({ start: at('2026-03-31T22:00:00Z'), end: at('2026-04-01T00:00:00Z') }, blockers, { spacingMs: 0 })).toEqual([]);
  });

  it('weekly Friday freeze keeps 12:00 local across the autumn change', () => {
    const list = recurringFreezeBlockers(cfg.recurringFreezes, 'prod', 'America/New_York', at('2026-10-26T00:00:00Z'), at('2026-11-10T00:00:00Z')).filter((b) => b.id.startsWith('fri'));
    expect(list.map((b) => b.start.toISOString())).toEqual(['2026-10-30T16:00:00.000Z', '2026-11-06T17:00:00.000Z']);
    // Staging is not listed for the Friday freeze.
    expect(recurringFreezeBlockers(cfg.recurringFreezes, 'staging', 'America/New_York', at('2026-10-26T00:00:00Z'), at('2026-11-10T00:00:00Z')).some((b) => b.id.startsWith('fri'))).toBe(false);
  });

  it('a freeze that began before the window is still found', () => {
    const list = recurringFreezeBlockers(cfg.recurringFreezes, 'prod', 'UTC', at('2026-06-28T00:00:00Z'), at('2026-06-29T00:00:00Z')).filter((b) => b.id.startsWith('quarter-end'));
    expect(list.map((b) => b.id)).toEqual(['quarter-end@2026-06-24']);
  });
});

describe('recurring freezes: property', () => {
  it('every occurrence starts at local midnight on its date and ends 7 local days later, in any zone', () => {
    const cfg = releasesConfig.parse({ recurringFreezes: [{ id: 'q', reason: 'Quarter close', every: 'last-week-of-quarter' }] });
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Pacific/Chatham', 'Asia/Kathmandu', 'America/Sao_Paulo'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 2000, max: 2040 }), (zone, year) => {
        const list = recurringFreezeBlockers(cfg.recurringFreezes, 'prod', zone, new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year + 1, 0, 1)));
        expect(list.length).toBeGreaterThanOrEqual(4);
        for (const b of list) {
          const s = localPartsOf(b.start, zone);
          const e = localPartsOf(b.end, zone);
          expect([s.hour, s.minute]).toEqual([0, 0]);
          expect([e.hour, e.minute]).toEqual([0, 0]);
          expect([3, 6, 9, 12]).toContain(s.month);
          // Ends on the first day of the next month: the freeze covers the last 7 days.
          expect(e.day).toBe(1);
          expect(addLocalDays(s, 7)).toEqual({ year: e.year, month: e.month, day: e.day });
        }
      }),
      { numRuns: 60 },
    );
  });
});
