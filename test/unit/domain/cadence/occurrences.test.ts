/**
 * Occurrence computation, table-driven. Each row: a schedule as a user types it, the wall-clock
 * time and zone, the cadence's start date, an instant to look after, and the expected instants
 * (UTC, worked out by hand from the zone's offsets; the comment on each row says why).
 */
import { describe, expect, it } from 'vitest';
import { nextOccurrences, occurrenceOnDate, occurrencesBetween, retimed, type CadenceTiming, type Holiday, type HolidayPolicy } from '../../../../src/domain/cadence/occurrences.js';
import { parseSchedule } from '../../../../src/domain/cadence/schedule.js';

interface Row {
  name: string;
  schedule: string;
  time: string;
  zone: string;
  start: string;
  after: string;
  expected: string[];
  holidays?: { dates: Holiday[]; policy: HolidayPolicy };
  skips?: string[];
  moves?: Record<string, string>;
}

function timing(r: Row): CadenceTiming {
  const rule = parseSchedule(r.schedule);
  if (!rule.ok) throw new Error(rule.problem);
  const [h, m] = r.time.split(':').map(Number);
  return { rule: rule.value, time: { hour: h!, minute: m! }, zone: r.zone, start: r.start, holidays: r.holidays, skips: r.skips, moves: r.moves };
}

const rows: Row[] = [
  // ---- DST ----------------------------------------------------------------------------------
  { name: 'Berlin spring forward: 02:30 does not exist on 29 Mar, fires at 03:30 CEST (read with the offset before the gap)', schedule: 'weekly sun', time: '02:30', zone: 'Europe/Berlin', start: '2026-03-01', after: '2026-03-20T00:00:00Z',
    expected: ['2026-03-22T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-04-05T00:30:00.000Z'] },
  { name: 'Berlin fall back: 02:30 happens twice on 25 Oct, fires once (first, CEST)', schedule: 'daily', time: '02:30', zone: 'Europe/Berlin', start: '2026-10-01', after: '2026-10-23T12:00:00Z',
    expected: ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'] },
  { name: 'Berlin 10:00 holds across fall back (08:00Z then 09:00Z)', schedule: 'weekly mon', time: '10:00', zone: 'Europe/Berlin', start: '2026-10-01', after: '2026-10-18T00:00:00Z',
    expected: ['2026-10-19T08:00:00.000Z', '2026-10-26T09:00:00.000Z'] },
  { name: 'New York spring forward on 8 Mar: 02:30 → 03:30 EDT', schedule: 'daily', time: '02:30', zone: 'America/New_York', start: '2026-03-01', after: '2026-03-07T00:00:00Z',
    expected: ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z'] },
  { name: 'New York fall back on 1 Nov: 01:30 fires once, in EDT', schedule: 'daily', time: '01:30', zone: 'America/New_York', start: '2026-10-01', after: '2026-10-31T00:00:00Z',
    expected: ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'] },
  { name: 'Sydney (southern hemisphere) DST ends 5 Apr: 10:00 holds', schedule: 'weekly sun', time: '10:00', zone: 'Australia/Sydney', start: '2026-03-01', after: '2026-03-27T00:00:00Z',
    expected: ['2026-03-28T23:00:00.000Z', '2026-04-05T00:00:00.000Z'] },
  { name: 'Sydney DST starts 4 Oct: 02:15 does not exist, fires at 03:15 AEDT', schedule: 'weekly sun', time: '02:15', zone: 'Australia/Sydney', start: '2026-09-01', after: '2026-09-26T00:00:00Z',
    expected: ['2026-09-26T16:15:00.000Z', '2026-10-03T16:15:00.000Z', '2026-10-10T15:15:00.000Z'] },
  { name: 'Kolkata (no DST, +05:30)', schedule: 'weekdays', time: '09:00', zone: 'Asia/Kolkata', start: '2026-01-01', after: '2026-01-02T00:00:00Z',
    expected: ['2026-01-02T03:30:00.000Z', '2026-01-05T03:30:00.000Z'] },
  { name: 'hourly slots folding in the Berlin gap fire once', schedule: 'FREQ=DAILY;BYHOUR=1,2,3', time: '01:00', zone: 'Europe/Berlin', start: '2026-03-28', after: '2026-03-28T23:00:00Z',
    expected: ['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T23:00:00.000Z'] }, // 30 Mar 01:00 CEST
  // ---- nth / last weekday --------------------------------------------------------------------
  { name: 'monthly last fri', schedule: 'monthly last fri', time: '12:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z',
    expected: ['2026-01-30T12:00:00.000Z', '2026-02-27T12:00:00.000Z', '2026-03-27T12:00:00.000Z', '2026-04-24T12:00:00.000Z', '2026-05-29T12:00:00.000Z'] },
  { name: 'monthly 1st mon', schedule: 'monthly 1st mon', time: '12:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z',
    expected: ['2026-01-05T12:00:00.000Z', '2026-02-02T12:00:00.000Z', '2026-03-02T12:00:00.000Z', '2026-04-06T12:00:00.000Z'] },
  { name: 'monthly 4th thursday', schedule: 'monthly fourth thursday', time: '12:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z',
    expected: ['2026-01-22T12:00:00.000Z', '2026-02-26T12:00:00.000Z'] },
  { name: 'biweekly from the start date', schedule: 'biweekly wed', time: '12:00', zone: 'UTC', start: '2026-01-07', after: '2026-01-01T00:00:00Z',
    expected: ['2026-01-07T12:00:00.000Z', '2026-01-21T12:00:00.000Z', '2026-02-04T12:00:00.000Z'] },
  // ---- month end and leap years --------------------------------------------------------------
  { name: 'monthly 31 clamps to month end', schedule: 'monthly 31', time: '12:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z',
    expected: ['2026-01-31T12:00:00.000Z', '2026-02-28T12:00:00.000Z', '2026-03-31T12:00:00.000Z', '2026-04-30T12:00:00.000Z'] },
  { name: 'monthly 30 in a leap year: 29 Feb', schedule: 'monthly 30', time: '12:00', zone: 'UTC', start: '2028-01-01', after: '2028-01-01T00:00:00Z',
    expected: ['2028-01-30T12:00:00.000Z', '2028-02-29T12:00:00.000Z', '2028-03-30T12:00:00.000Z'] },
  { name: 'monthly 29 in a common year: 28 Feb', schedule: 'monthly 29', time: '12:00', zone: 'UTC', start: '2027-01-01', after: '2027-02-01T00:00:00Z',
    expected: ['2027-02-28T12:00:00.000Z', '2027-03-29T12:00:00.000Z'] },
  { name: 'RRULE on 29 Feb only happens in leap years', schedule: 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', time: '12:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z',
    expected: ['2028-02-29T12:00:00.000Z', '2032-02-29T12:00:00.000Z'] },
  // ---- quarterly -----------------------------------------------------------------------------
  { name: 'quarterly 2nd tue (first month)', schedule: 'quarterly 2nd tue', time: '12:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z',
    expected: ['2026-01-13T12:00:00.000Z', '2026-04-14T12:00:00.000Z', '2026-07-14T12:00:00.000Z', '2026-10-13T12:00:00.000Z'] },
  { name: 'quarterly last fri in the third month', schedule: 'quarterly last fri 3', time: '12:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z',
    expected: ['2026-03-27T12:00:00.000Z', '2026-06-26T12:00:00.000Z', '2026-09-25T12:00:00.000Z', '2026-12-25T12:00:00.000Z'] },
  // ---- holidays ------------------------------------------------------------------------------
  { name: 'holiday skip drops the occurrence', schedule: 'weekly fri', time: '10:00', zone: 'UTC', start: '2026-12-01', after: '2026-12-17T00:00:00Z',
    holidays: { policy: 'skip', dates: [{ date: '2026-12-25', name: 'Christmas' }] },
    expected: ['2026-12-18T10:00:00.000Z', '2027-01-01T10:00:00.000Z'] },
  { name: 'holiday shift goes to the next working day past weekend and holidays', schedule: 'weekly fri', time: '10:00', zone: 'UTC', start: '2026-12-01', after: '2026-12-19T00:00:00Z',
    holidays: { policy: 'shift', dates: [{ date: '2026-12-25', name: 'Christmas' }, { date: '2026-12-28', name: 'Bank holiday' }] },
    expected: ['2026-12-29T10:00:00.000Z', '2027-01-01T10:00:00.000Z'] },
  { name: 'a shift onto the next regular slot fires once', schedule: 'daily', time: '09:00', zone: 'UTC', start: '2026-05-01', after: '2026-05-30T00:00:00Z',
    holidays: { policy: 'shift', dates: [{ date: '2026-06-01', name: 'Whit Monday' }] },
    expected: ['2026-05-30T09:00:00.000Z', '2026-05-31T09:00:00.000Z', '2026-06-02T09:00:00.000Z', '2026-06-03T09:00:00.000Z'] },
  { name: 'holiday shift keeps the wall-clock time across DST (Berlin)', schedule: 'weekly fri', time: '10:00', zone: 'Europe/Berlin', start: '2026-10-01', after: '2026-10-22T00:00:00Z',
    holidays: { policy: 'shift', dates: [{ date: '2026-10-23', name: 'Local holiday' }] },
    expected: ['2026-10-26T09:00:00.000Z', '2026-10-30T09:00:00.000Z'] },
  // ---- single-occurrence skip and move -------------------------------------------------------
  { name: 'skip one occurrence', schedule: 'weekly mon', time: '10:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z', skips: ['20260112T1000'],
    expected: ['2026-01-05T10:00:00.000Z', '2026-01-19T10:00:00.000Z'] },
  { name: 'move one occurrence (later, out of order of the rule)', schedule: 'weekly mon', time: '10:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z', moves: { '20260105T1000': '2026-01-13T15:00:00.000Z' },
    expected: ['2026-01-12T10:00:00.000Z', '2026-01-13T15:00:00.000Z', '2026-01-19T10:00:00.000Z'] },
  { name: 'a moved occurrence is exempt from holidays', schedule: 'weekly mon', time: '10:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z',
    holidays: { policy: 'skip', dates: [{ date: '2026-01-05', name: 'Holiday' }, { date: '2026-01-08', name: 'Another' }] }, moves: { '20260105T1000': '2026-01-08T10:00:00.000Z' },
    expected: ['2026-01-08T10:00:00.000Z', '2026-01-12T10:00:00.000Z'] },
];

describe('occurrence computation', () => {
  it.each(rows)('$name', (r) => {
    const got = nextOccurrences(timing(r), new Date(r.after), r.expected.length).map((o) => o.at.toISOString());
    expect(got).toEqual(r.expected);
  });

  it('names occurrences by their nominal local slot and says why they moved', () => {
    const t = timing({ name: '', schedule: 'weekly fri', time: '10:00', zone: 'Europe/Berlin', start: '2026-12-01', after: '', expected: [], holidays: { policy: 'shift', dates: [{ date: '2026-12-25', name: 'Christmas' }] } });
    const [o] = nextOccurrences(t, new Date('2026-12-24T00:00:00Z'), 1);
    expect(o).toMatchObject({ id: '20261225T1000', change: 'shifted', holiday: 'Christmas' });
    expect(o!.nominal.toISOString()).toBe('2026-12-25T09:00:00.000Z');
    expect(o!.at.toISOString()).toBe('2026-12-28T09:00:00.000Z');
  });

  it('finds the occurrence on a date, by actual or by nominal day', () => {
    const t = timing({ name: '', schedule: 'weekly fri', time: '10:00', zone: 'UTC', start: '2026-12-01', after: '', expected: [], holidays: { policy: 'shift', dates: [{ date: '2026-12-25', name: 'Christmas' }] } });
    expect(occurrenceOnDate(t, { year: 2026, month: 12, day: 18 })?.id).toBe('20261218T1000');
    expect(occurrenceOnDate(t, { year: 2026, month: 12, day: 25 })?.id).toBe('20261225T1000');
    expect(occurrenceOnDate(t, { year: 2026, month: 12, day: 28 })?.id).toBe('20261225T1000');
    expect(occurrenceOnDate(t, { year: 2026, month: 12, day: 22 })).toBeUndefined();
  });

  it('ends with the rule (COUNT) and returns nothing for a rule that never occurs again', () => {
    const base = { name: '', time: '10:00', zone: 'UTC', start: '2026-01-01', after: '2026-01-01T00:00:00Z', expected: [] };
    expect(nextOccurrences(timing({ ...base, schedule: 'FREQ=WEEKLY;COUNT=2' }), new Date(base.after), 5)).toHaveLength(2);
    expect(nextOccurrences(timing({ ...base, schedule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' }), new Date(base.after), 1)).toEqual([]);
    expect(nextOccurrences(timing({ ...base, schedule: 'FREQ=DAILY;UNTIL=20251231T000000Z' }), new Date(base.after), 1)).toEqual([]);
  });

  it('returns nothing for an empty window', () => {
    const t = timing({ name: '', schedule: 'daily', time: '10:00', zone: 'UTC', start: '2026-01-01', after: '', expected: [] });
    expect(occurrencesBetween(t, new Date('2026-02-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'))).toEqual([]);
  });
});

describe('a cadence whose time of day changes', () => {
  it('keeps its skipped days skipped and its moved days moved, once', () => {
    const rule = parseSchedule('weekly tue');
    if (!rule.ok) throw new Error(rule.problem);
    const before: CadenceTiming = { rule: rule.value, time: { hour: 10, minute: 0 }, zone: 'Europe/Berlin', start: '2026-12-01', skips: ['20261208T1000'], moves: { '20261215T1000': '2026-12-16T09:00:00.000Z' } };
    const time = { hour: 11, minute: 0 };
    const after: CadenceTiming = { ...before, time, ...retimed({ skips: before.skips!, moves: before.moves! }, time) };
    const ats = occurrencesBetween(after, new Date('2026-12-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')).map((o) => o.at.toISOString());
    // 8 Dec stays skipped; 15 Dec is held on the 16th only; the other Tuesdays are at 11:00 CET.
    expect(ats).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-16T09:00:00.000Z', '2026-12-22T10:00:00.000Z', '2026-12-29T10:00:00.000Z']);
    expect(retimed({ skips: ['20261208T1000', 'not-an-id'], moves: {} }, time).skips).toEqual(['20261208T1100', 'not-an-id']);
  });
});
