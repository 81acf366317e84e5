/** Invariants of occurrence computation over random zones, times, schedules and holidays. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextOccurrences, occurrencesBetween, parseOccurrenceId, isoDate, type CadenceTiming } from '../../../../src/domain/cadence/occurrences.js';
import { parseSchedule } from '../../../../src/domain/cadence/schedule.js';
import { localPartsOf, wallClockToInstant } from '../../../../src/time/when.js';

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'America/Santiago', 'Pacific/Auckland', 'Europe/London'];
const SCHEDULES = ['daily', 'weekdays', 'weekly mon', 'weekly sun', 'biweekly fri', 'monthly last sun', 'monthly 1st mon', 'monthly 31', 'monthly 29', 'quarterly 2nd tue', 'quarterly last fri 3'];

const timingArb = fc.record({
  schedule: fc.constantFrom(...SCHEDULES),
  zone: fc.constantFrom(...ZONES),
  hour: fc.integer({ min: 0, max: 23 }),
  minute: fc.constantFrom(0, 15, 30, 45),
  startDay: fc.integer({ min: 0, max: 3 * 365 }),
  holidayDays: fc.uniqueArray(fc.integer({ min: 0, max: 4 * 365 }), { maxLength: 40 }),
  policy: fc.constantFrom('skip' as const, 'shift' as const, undefined),
});

const BASE = Date.UTC(2025, 0, 1);
const dayIso = (n: number) => new Date(BASE + n * 86_400_000).toISOString().slice(0, 10);

type TimingInput = typeof timingArb extends fc.Arbitrary<infer T> ? T : never;

function toTiming(v: TimingInput): CadenceTiming {
  const rule = parseSchedule(v.schedule);
  if (!rule.ok) throw new Error(rule.problem);
  return {
    rule: rule.value,
    time: { hour: v.hour, minute: v.minute },
    zone: v.zone,
    start: dayIso(v.startDay),
    holidays: v.policy ? { policy: v.policy, dates: v.holidayDays.map((d) => ({ date: dayIso(d), name: `h${d}` })) } : undefined,
  };
}

describe('occurrence invariants', () => {
  it('occurrences are ordered, distinct, inside the window, and at the wall-clock time (or just after a DST gap)', () => {
    fc.assert(
      fc.property(timingArb, fc.integer({ min: 0, max: 3 * 365 }), (v, fromDay) => {
        const t = toTiming(v);
        const from = new Date(BASE + fromDay * 86_400_000);
        const to = new Date(from.getTime() + 120 * 86_400_000);
        const list = occurrencesBetween(t, from, to);
        const holidays = new Set(t.holidays?.dates.map((h) => h.date));
        for (let i = 0; i < list.length; i++) {
          const o = list[i]!;
          expect(o.at.getTime()).toBeGreaterThanOrEqual(from.getTime());
          expect(o.at.getTime()).toBeLessThan(to.getTime());
          if (i > 0) expect(o.at.getTime()).toBeGreaterThan(list[i - 1]!.at.getTime());
          const local = localPartsOf(o.at, t.zone);
          // Never on a holiday, whichever policy.
          if (t.holidays) expect(holidays.has(isoDate(local))).toBe(false);
          // The instant is exactly the rule's local time placed in the zone (gap rule included).
          expect(o.at.getTime()).toBe(wallClockToInstant(local, t.time, t.zone).getTime());
          if (local.hour !== t.time.hour || local.minute !== t.time.minute) {
            // Only a nonexistent wall time may show a different clock, and only later that day.
            expect(local.hour * 60 + local.minute).toBeGreaterThan(t.time.hour * 60 + t.time.minute);
          }
          expect(parseOccurrenceId(o.id)).toBeDefined();
          if (!o.change) expect(o.at.getTime()).toBe(o.nominal.getTime());
        }
      }),
      { numRuns: 150 },
    );
  });

  it('windows compose: [a,c) is [a,b) followed by [b,c)', () => {
    fc.assert(
      fc.property(timingArb, fc.integer({ min: 0, max: 700 }), fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 90 }), (v, a, ab, bc) => {
        const t = toTiming(v);
        const A = new Date(BASE + a * 86_400_000 + 3_600_000 * 7);
        const B = new Date(A.getTime() + ab * 86_400_000 - 3_600_000 * 5);
        const C = new Date(B.getTime() + bc * 86_400_000);
        const whole = occurrencesBetween(t, A, C).map((o) => o.id);
        const parts = [...occurrencesBetween(t, A, B), ...occurrencesBetween(t, B, C)].map((o) => o.id);
        expect(parts).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });

  it('the next n occurrences are a prefix of the next n+k, and each comes after the previous', () => {
    fc.assert(
      fc.property(timingArb, fc.integer({ min: 0, max: 700 }), (v, d) => {
        const t = toTiming(v);
        const after = new Date(BASE + d * 86_400_000);
        const three = nextOccurrences(t, after, 3).map((o) => o.at.getTime());
        const six = nextOccurrences(t, after, 6).map((o) => o.at.getTime());
        expect(six.slice(0, 3)).toEqual(three);
        if (three[0] !== undefined) expect(three[0]).toBeGreaterThan(after.getTime());
        // Starting just after the first gives the rest.
        if (six.length >= 2) expect(nextOccurrences(t, new Date(six[0]!), 5).map((o) => o.at.getTime())).toEqual(six.slice(1));
      }),
      { numRuns: 80 },
    );
  });

  it('"monthly <d>" falls on min(d, last day of the month)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 31 }), fc.constantFrom(...ZONES), fc.integer({ min: 2024, max: 2031 }), (day, zone, year) => {
        const rule = parseSchedule(`monthly ${day}`);
        if (!rule.ok) throw new Error(rule.problem);
        const t: CadenceTiming = { rule: rule.value, time: { hour: 12, minute: 0 }, zone, start: `${year}-01-01` };
        const list = occurrencesBetween(t, wallClockToInstant({ year, month: 1, day: 1 }, { hour: 0, minute: 0 }, zone), wallClockToInstant({ year: year + 1, month: 1, day: 1 }, { hour: 0, minute: 0 }, zone));
        expect(list).toHaveLength(12);
        list.forEach((o, i) => {
          const local = localPartsOf(o.at, zone);
          const monthEnd = new Date(Date.UTC(year, i + 1, 0)).getUTCDate();
          expect(local.month).toBe(i + 1);
          expect(local.day).toBe(Math.min(day, monthEnd));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('starting the rule walk near the window gives what walking from the start gives', () => {
    const rules = [
      'FREQ=DAILY', 'FREQ=DAILY;INTERVAL=5', 'FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR', 'FREQ=WEEKLY', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=WE',
      'FREQ=MONTHLY', 'FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15', 'FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=MONTHLY;INTERVAL=4;BYDAY=2TU;BYSETPOS=1',
      'FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1', 'FREQ=YEARLY', 'FREQ=YEARLY;INTERVAL=3;BYMONTH=3;BYDAY=-1SU', 'FREQ=HOURLY;INTERVAL=7',
      'FREQ=DAILY;BYHOUR=1,2,3',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...rules), fc.constantFrom(...ZONES), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 4 * 365 }), fc.integer({ min: 0, max: 4 * 365 }), (rule, zone, hour, startDay, fromDay) => {
        const t: CadenceTiming = { rule, time: { hour, minute: 30 }, zone, start: dayIso(startDay) };
        const from = new Date(BASE + fromDay * 86_400_000 + 3_600_000 * 5);
        const to = new Date(from.getTime() + 75 * 86_400_000);
        const fast = occurrencesBetween(t, from, to).map((o) => `${o.id}@${o.at.toISOString()}`);
        const slow = occurrencesBetween(t, from, to, true).map((o) => `${o.id}@${o.at.toISOString()}`);
        expect(fast).toEqual(slow);
      }),
      { numRuns: 200 },
    );
  });
});