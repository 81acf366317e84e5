import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Blocker } from '../../../../src/domain/release/blockers.js';
import { findConflicts } from '../../../../src/domain/release/conflicts.js';
import { withinReleaseHours, type ReleaseHours } from '../../../../src/domain/release/hours.js';
import { nextFreeSlots } from '../../../../src/domain/release/slots.js';
import { localPartsOf } from '../../../../src/time/when.js';

const at = (s: string) => new Date(s);
const H = 3_600_000;
const monThu: ReleaseHours = { weekdays: [1, 2, 3, 4], from: { hour: 9, minute: 0 }, to: { hour: 16, minute: 0 } };
const iso = (xs: { start: Date }[]) => xs.map((x) => x.start.toISOString());

describe('nextFreeSlots', () => {
  it('with nothing in the way: three back-to-back slots from the next opening', () => {
    // Friday 2026-12-04 10:00 Berlin → Monday 7 December 09:00 CET (08:00 UTC).
    const slots = nextFreeSlots({ after: at('2026-12-04T09:00:00Z'), duration: { ms: 2 * H }, zone: 'Europe/Berlin', hours: monThu, blockers: [], rules: { spacingMs: 0 } });
    expect(iso(slots)).toEqual(['2026-12-07T08:00:00.000Z', '2026-12-07T10:00:00.000Z', '2026-12-07T12:00:00.000Z']);
  });

  it('skips a maintenance window and starts on the grid after it', () => {
    const m: Blocker = { kind: 'maintenance', id: 'm', title: 'upgrade', owner: 'pre', start: at('2026-12-07T08:00:00Z'), end: at('2026-12-07T11:10:00Z') };
    const slots = nextFreeSlots({ after: at('2026-12-07T07:00:00Z'), duration: { ms: 2 * H }, zone: 'Europe/Berlin', hours: monThu, blockers: [m], rules: { spacingMs: 0 }, count: 2 });
    // Free from 12:10 local; grid is 30 min from 09:00, so 12:30 local = 11:30 UTC. 14:30–16:30
    // would overrun the 16:00 close, so the second is Tuesday's opening.
    expect(iso(slots)).toEqual(['2026-12-07T11:30:00.000Z', '2026-12-08T08:00:00.000Z']);
  });

  it('honours spacing from other releases (next day at the earliest)', () => {
    const r: Blocker = { kind: 'release', id: 'R1', title: 'x', owner: 'bob', start: at('2026-12-07T08:00:00Z'), end: at('2026-12-07T10:00:00Z') };
    const slots = nextFreeSlots({ after: at('2026-12-07T07:00:00Z'), duration: { ms: 2 * H }, zone: 'Europe/Berlin', hours: monThu, blockers: [r], rules: { spacingMs: 24 * H }, count: 1 });
    // 24 h after 11:00 local Monday = Tuesday 11:00 local (10:00 UTC).
    expect(iso(slots)).toEqual(['2026-12-08T10:00:00.000Z']);
  });

  it('a release longer than the window never fits: no slots', () => {
    expect(nextFreeSlots({ after: at('2026-12-07T07:00:00Z'), duration: { ms: 8 * H }, zone: 'Europe/Berlin', hours: monThu, blockers: [], rules: { spacingMs: 0 }, horizonDays: 20 })).toEqual([]);
  });

  it('keeps local release hours across the spring DST change (New York)', () => {
    // Thursday 5 March 09:00 EST = 14:00 UTC; Monday 9 March (after the 8 March change) 09:00 EDT = 13:00 UTC.
    const slots = nextFreeSlots({ after: at('2026-03-05T15:00:00Z'), duration: { ms: 7 * H }, zone: 'America/New_York', hours: monThu, blockers: [], rules: { spacingMs: 0 }, count: 2 });
    expect(iso(slots)).toEqual(['2026-03-09T13:00:00.000Z', '2026-03-10T13:00:00.000Z']);
  });

  it('property: every suggestion is in release hours, after `after`, conflict-free and ordered', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'UTC', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 400 * 24 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.record({ startH: fc.integer({ min: 0, max: 60 * 24 }), lenH: fc.integer({ min: 1, max: 72 }), kind: fc.constantFrom('maintenance', 'freeze', 'release', 'cadence') }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 48 }),
        (zone, offsetH, halfHours, raw, spacingH) => {
          const after = new Date(Date.UTC(2026, 0, 1) + offsetH * H);
          const blockers: Blocker[] = raw.map((b, i) => ({ kind: b.kind as Blocker['kind'], id: `b${i}`, title: 't', owner: 'o', start: new Date(after.getTime() + b.startH * H), end: new Date(after.getTime() + (b.startH + b.lenH) * H) }));
          const rules = { spacingMs: spacingH * H };
          const slots = nextFreeSlots({ after, duration: { ms: halfHours * 30 * 60_000 }, zone, hours: monThu, blockers, rules });
          let prevEnd = after.getTime();
          for (const s of slots) {
            expect(s.start.getTime()).toBeGreaterThanOrEqual(prevEnd);
            expect(withinReleaseHours(s, monThu, zone)).toBe(true);
            expect(findConflicts(s, blockers, rules)).toEqual([]);
            const p = localPartsOf(s.start, zone);
            expect(p.minute % 30).toBe(0);
            prevEnd = s.end.getTime();
          }
          expect(slots.length).toBeLessThanOrEqual(3);
        },
      ),
      { numRuns: 150 },
    );
  });
});
