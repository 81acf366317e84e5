import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../../src/dispatch/args.js';
import { wallToInstant } from '../../../src/time/wall-clock.js';
import { addDuration, formatDuration, resolveWhen, wallClockToInstant, type When } from '../../../src/time/when.js';

function when(text: string): When {
  const r = parseWhen(text);
  if (!r.ok) throw new Error(r.problem);
  return r.value;
}

const iso = (d: Date) => d.toISOString();

/*
 * DST facts used below (2026):
 *   Europe/Berlin     spring forward Sun 29 Mar 02:00 CET → 03:00 CEST (01:00Z)
 *                     fall back     Sun 25 Oct 03:00 CEST → 02:00 CET (01:00Z)
 *   America/New_York  spring forward Sun  8 Mar 02:00 EST → 03:00 EDT (07:00Z)
 *                     fall back     Sun  1 Nov 02:00 EDT → 01:00 EST (06:00Z)
 */
describe('resolveWhen: explicit local times', () => {
  // [case, zone, typed, expected instant]
  const cases: [string, string, string, string][] = [
    ['Berlin winter', 'Europe/Berlin', '2026-12-01 09:00', '2026-12-01T08:00:00.000Z'],
    ['Berlin summer', 'Europe/Berlin', '2026-07-01T09:00', '2026-07-01T07:00:00.000Z'],
    ['Berlin date only is midnight', 'Europe/Berlin', '2026-07-01', '2026-06-30T22:00:00.000Z'],
    ['Berlin last minute before the gap', 'Europe/Berlin', '2026-03-29 01:59', '2026-03-29T00:59:00.000Z'],
    ['Berlin gap start 02:00 → 03:00 CEST', 'Europe/Berlin', '2026-03-29 02:00', '2026-03-29T01:00:00.000Z'],
    ['Berlin inside the gap 02:30 → 03:30 CEST', 'Europe/Berlin', '2026-03-29 02:30', '2026-03-29T01:30:00.000Z'],
    ['Berlin 02:59 in the gap → 03:59 CEST', 'Europe/Berlin', '2026-03-29 02:59', '2026-03-29T01:59:00.000Z'],
    ['Berlin 03:00 after the gap', 'Europe/Berlin', '2026-03-29 03:00', '2026-03-29T01:00:00.000Z'],
    ['Berlin 03:30 after the gap', 'Europe/Berlin', '2026-03-29 03:30', '2026-03-29T01:30:00.000Z'],
    ['Berlin before the overlap', 'Europe/Berlin', '2026-10-25 01:59', '2026-10-24T23:59:00.000Z'],
    ['Berlin overlap 02:00 → first (CEST)', 'Europe/Berlin', '2026-10-25 02:00', '2026-10-25T00:00:00.000Z'],
    ['Berlin overlap 02:30 → first (CEST)', 'Europe/Berlin', '2026-10-25 02:30', '2026-10-25T00:30:00.000Z'],
    ['Berlin after the overlap 03:00 CET', 'Europe/Berlin', '2026-10-25 03:00', '2026-10-25T02:00:00.000Z'],
    ['New York gap 02:30 → 03:30 EDT, the same instant as a rotation handoff typed 02:30', 'America/New_York', '2026-03-08 02:30', '2026-03-08T07:30:00.000Z'],
    ['New York 01:59 before the gap', 'America/New_York', '2026-03-08 01:59', '2026-03-08T06:59:00.000Z'],
    ['New York overlap 01:30 → first (EDT)', 'America/New_York', '2026-11-01 01:30', '2026-11-01T05:30:00.000Z'],
    ['New York overlap 01:00 → first (EDT)', 'America/New_York', '2026-11-01 01:00', '2026-11-01T05:00:00.000Z'],
    ['New York 02:00 after the overlap (EST)', 'America/New_York', '2026-11-01 02:00', '2026-11-01T07:00:00.000Z'],
    ['Kolkata has no DST', 'Asia/Kolkata', '2026-03-29 02:30', '2026-03-28T21:00:00.000Z'],
    ['UTC', 'UTC', '2026-03-29 02:30', '2026-03-29T02:30:00.000Z'],
    ['Lord Howe 30-minute gap 02:15 → 02:45 (+11)', 'Australia/Lord_Howe', '2026-10-04 02:15', '2026-10-03T15:45:00.000Z'],
  ];
  it.each(cases)('%s', (_name, zone, typed, expected) => {
    expect(iso(resolveWhen(when(typed), zone, new Date('2026-01-01T00:00:00Z')))).toBe(expected);
  });
});

describe('resolveWhen: relative to now', () => {
  // [case, zone, now, typed, expected instant]
  const cases: [string, string, string, string, string][] = [
    ['now', 'Europe/Berlin', '2026-03-28T12:34:56.789Z', 'now', '2026-03-28T12:34:56.789Z'],
    ['tomorrow across spring forward keeps 09:00 local', 'Europe/Berlin', '2026-03-28T12:00:00Z', 'tomorrow 09:00', '2026-03-29T07:00:00.000Z'],
    ['today uses the zone’s date, not UTC’s', 'Europe/Berlin', '2026-07-01T23:30:00Z', 'today 17:30', '2026-07-02T15:30:00.000Z'],
    ['today on the New York fall-back day', 'America/New_York', '2026-11-01T12:00:00Z', 'today 17:30', '2026-11-01T22:30:00.000Z'],
    ['tomorrow without a time is midnight', 'America/New_York', '2026-03-07T15:00:00Z', 'tomorrow', '2026-03-08T05:00:00.000Z'],
    ['in 1d across spring forward is 23 h', 'Europe/Berlin', '2026-03-28T08:00:00Z', 'in 1d', '2026-03-29T07:00:00.000Z'],
    ['in 24h across spring forward is 24 h', 'Europe/Berlin', '2026-03-28T08:00:00Z', 'in 24h', '2026-03-29T08:00:00.000Z'],
    ['in 1d across fall back is 25 h', 'Europe/Berlin', '2026-10-24T07:00:00Z', 'in 1d', '2026-10-25T08:00:00.000Z'],
    ['in 1w across New York fall back keeps 09:00', 'America/New_York', '2026-10-29T13:00:00Z', 'in 1w', '2026-11-05T14:00:00.000Z'],
    ['in 1d landing in the gap → as far after the gap as it was inside', 'Europe/Berlin', '2026-03-28T01:30:00Z', 'in 1d', '2026-03-29T01:30:00.000Z'],
    ['in 1d landing in the overlap → first', 'Europe/Berlin', '2026-10-24T00:30:00Z', 'in 1d', '2026-10-25T00:30:00.000Z'],
    ['in 2h across the gap is elapsed time', 'Europe/Berlin', '2026-03-29T00:30:00Z', 'in 2h', '2026-03-29T02:30:00.000Z'],
    ['in 1d 2h: calendar day, then hours', 'Europe/Berlin', '2026-03-28T08:00:00Z', 'in 1d 2h', '2026-03-29T09:00:00.000Z'],
    ['mon from Sunday is the next day', 'Europe/Berlin', '2026-03-29T10:00:00Z', 'mon 09:00', '2026-03-30T07:00:00.000Z'],
    ['mon on Monday before the time is today', 'Europe/Berlin', '2026-03-30T06:00:00Z', 'mon 09:00', '2026-03-30T07:00:00.000Z'],
    ['mon on Monday after the time is next week', 'Europe/Berlin', '2026-03-30T08:00:00Z', 'mon 09:00', '2026-04-06T07:00:00.000Z'],
    ['sun 02:30 on the spring-forward Sunday → 03:30', 'Europe/Berlin', '2026-03-27T12:00:00Z', 'sun 02:30', '2026-03-29T01:30:00.000Z'],
    ['weekday uses the zone’s weekday (still Sunday in New York)', 'America/New_York', '2026-03-09T02:00:00Z', 'mon 09:00', '2026-03-09T13:00:00.000Z'],
  ];
  it.each(cases)('%s', (_name, zone, now, typed, expected) => {
    expect(iso(resolveWhen(when(typed), zone, new Date(now)))).toBe(expected);
  });
});

describe('addDuration', () => {
  it('clamps a month to the end of the shorter month, keeping local time', () => {
    expect(iso(addDuration(new Date('2026-01-31T08:00:00Z'), { months: 1 }, 'Europe/Berlin'))).toBe('2026-02-28T08:00:00.000Z');
  });
  it('a month across spring forward keeps the wall clock', () => {
    expect(iso(addDuration(new Date('2026-03-15T08:00:00Z'), { months: 1 }, 'Europe/Berlin'))).toBe('2026-04-15T07:00:00.000Z');
  });
  it('keeps seconds and milliseconds of the start', () => {
    expect(iso(addDuration(new Date('2026-03-28T08:00:05.250Z'), { days: 1 }, 'Europe/Berlin'))).toBe('2026-03-29T07:00:05.250Z');
  });
  it('an empty duration changes nothing', () => {
    expect(iso(addDuration(new Date('2026-03-28T08:00:00Z'), {}, 'Europe/Berlin'))).toBe('2026-03-28T08:00:00.000Z');
  });
});

describe('wallClockToInstant', () => {
  it('reads a time in the gap exactly as a rotation handoff does (one DST rule)', () => {
    for (const [zone, date, hour, minute] of [['America/New_York', { year: 2025, month: 3, day: 9 }, 2, 30], ['Europe/London', { year: 2025, month: 3, day: 30 }, 1, 15], ['Australia/Lord_Howe', { year: 2026, month: 10, day: 4 }, 2, 10]] as const) {
      const typed = wallClockToInstant(date, { hour, minute }, zone);
      expect(typed.getTime()).toBe(wallToInstant({ ...date, hour, minute }, zone).getTime());
    }
  });

  it('round-trips every half hour of the Berlin spring-forward day; the gap moves forward by its length', () => {
    for (let m = 0; m < 24 * 60; m += 30) {
      const hour = Math.floor(m / 60);
      const minute = m % 60;
      const got = wallClockToInstant({ year: 2026, month: 3, day: 29 }, { hour, minute }, 'Europe/Berlin');
      const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(got);
      const expected = hour === 2 ? `03:${String(minute).padStart(2, '0')}` : `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
      expect(shown).toBe(expected);
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [{ ms: 5_400_000 }, '1h 30m'],
    [{ weeks: 1, days: 2 }, '1w 2d'],
    [{ months: 2, ms: 1500 }, '2mo 1s 500ms'],
    [{}, '0m'],
  ])('%j → %s', (d, text) => {
    expect(formatDuration(d)).toBe(text);
  });
});
