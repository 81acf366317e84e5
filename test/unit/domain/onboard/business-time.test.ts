import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessDays } from '../../../../src/domain/onboard/business-time.js';
import { localPartsOf } from '../../../../src/time/when.js';

const MON_FRI = [1, 2, 3, 4, 5];

// name | from (UTC) | business days | zone | workdays | due (UTC)
const rows: [string, string, number, string, number[], string][] = [
  ['Monday morning → Tuesday, same wall-clock time', '2026-01-05T08:00:00Z', 1, 'Europe/Berlin', MON_FRI, '2026-01-06T08:00:00Z'],
  ['Friday → Monday', '2026-01-09T15:30:00Z', 1, 'Europe/Berlin', MON_FRI, '2026-01-12T15:30:00Z'],
  ['Saturday counts from Monday 00:00', '2026-01-10T12:00:00Z', 1, 'Europe/Berlin', MON_FRI, '2026-01-12T23:00:00Z'],
  ['Friday evening Berlin is already Saturday in Tokyo', '2026-01-09T16:00:00Z', 1, 'Asia/Tokyo', MON_FRI, '2026-01-12T15:00:00Z'],
  ['two business days over a weekend', '2026-01-08T09:00:00Z', 2, 'UTC', MON_FRI, '2026-01-12T09:00:00Z'],
  ['half a day is 12 hours on the same working day', '2026-01-05T08:00:00Z', 0.5, 'UTC', MON_FRI, '2026-01-05T20:00:00Z'],
  ['half a day past midnight lands on the next working day', '2026-01-09T18:00:00Z', 0.5, 'UTC', MON_FRI, '2026-01-12T06:00:00Z'],
  ['across the spring DST change: same wall-clock 09:00', '2026-03-27T08:00:00Z', 1, 'Europe/Berlin', MON_FRI, '2026-03-30T07:00:00Z'],
  ['Sunday–Thursday week', '2026-01-08T09:00:00Z', 1, 'Asia/Jerusalem', [7, 1, 2, 3, 4], '2026-01-11T09:00:00Z'],
];

describe('addBusinessDays', () => {
  it.each(rows)('%s', (_name, from, days, zone, workdays, due) => {
    expect(addBusinessDays(new Date(from), days, zone, workdays).toISOString()).toBe(new Date(due).toISOString());
  });

  it('property: a whole number of business days ends on a working day, later than it started', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney'),
        (from, days, zone) => {
          const due = addBusinessDays(from, days, zone, MON_FRI);
          expect(due.getTime()).toBeGreaterThan(from.getTime());
          const wd = localPartsOf(due, zone).weekday;
          expect(wd === 0 || wd === 6).toBe(false);
          // Never more than the calendar days plus weekends in between (+1 h DST slack).
          expect(due.getTime() - from.getTime()).toBeLessThanOrEqual((days + 2 * Math.ceil(days / 5) + 2) * 86_400_000 + 3_600_000);
        },
      ),
      { numRuns: 300 },
    );
  });
});
