/** Relative dates as typed: today / tomorrow / weekdays / next weekday / offsets, resolved in a zone. */
import { describe, expect, it } from 'vitest';
import { parseWhen } from '../../../src/dispatch/args.js';
import { parseLocalDate, parseRelative } from '../../../src/time/relative.js';
import { resolveWhen } from '../../../src/time/when.js';

// Wednesday 2 December 2026, 10:00 in Berlin (09:00 UTC).
const now = new Date('2026-12-02T09:00:00Z');
const zone = 'Europe/Berlin';
const at = (text: string) => resolveWhen(parseRelative(text)!, zone, now).toISOString();

describe('parseRelative', () => {
  it('reads today, tomorrow and yesterday with an optional time', () => {
    expect(at('today 17:30')).toBe('2026-12-02T16:30:00.000Z');
    expect(at('tomorrow')).toBe('2026-12-02T23:00:00.000Z');
    expect(at('Tomorrow 09:00')).toBe('2026-12-03T08:00:00.000Z');
    expect(at('yesterday 12:00')).toBe('2026-12-01T11:00:00.000Z');
  });

  it('reads weekday names: plain or "this" counts today while its time is ahead, "next" never does', () => {
    expect(at('fri 14:00')).toBe('2026-12-04T13:00:00.000Z');
    expect(at('wed 11:00')).toBe('2026-12-02T10:00:00.000Z'); // later today
    expect(at('wed 09:00')).toBe('2026-12-09T08:00:00.000Z'); // already past today: next week
    expect(at('this wednesday 11:00')).toBe('2026-12-02T10:00:00.000Z');
    expect(at('next wed 11:00')).toBe('2026-12-09T10:00:00.000Z');
    expect(at('next mon 09:00')).toBe('2026-12-07T08:00:00.000Z');
    expect(at('next thurs')).toBe('2026-12-02T23:00:00.000Z');
  });

  it('reads offsets in calendar days and weeks, and elapsed hours and minutes', () => {
    expect(at('in 3d')).toBe('2026-12-05T09:00:00.000Z');
    expect(at('in 2h')).toBe('2026-12-02T11:00:00.000Z');
    expect(at('in 1w 2d')).toBe('2026-12-11T09:00:00.000Z');
    expect(at('in 90m')).toBe('2026-12-02T10:30:00.000Z');
  });

  it('keeps the wall-clock time across a DST change', () => {
    const march = new Date('2027-03-26T08:00:00Z'); // Friday 09:00 CET; clocks go forward on Sunday the 28th
    expect(resolveWhen(parseRelative('next mon 09:00')!, zone, march).toISOString()).toBe('2027-03-29T07:00:00.000Z');
    expect(resolveWhen(parseRelative('in 3d')!, zone, march).toISOString()).toBe('2027-03-29T07:00:00.000Z');
  });

  it('gives undefined for anything else, so callers fall back to their own formats', () => {
    for (const text of ['soon', 'next', 'next 09:00', 'mo 09:00', 'fri 25:00', 'fri 9am', 'in forever', 'next today', '2026-12-01', '']) {
      expect(parseRelative(text), text).toBeUndefined();
    }
  });
});

describe('parseLocalDate', () => {
  it('reads ISO dates and relative days in the zone', () => {
    expect(parseLocalDate('2026-12-08', zone, now)).toEqual({ year: 2026, month: 12, day: 8 });
    expect(parseLocalDate('tomorrow', zone, now)).toEqual({ year: 2026, month: 12, day: 3 });
    expect(parseLocalDate('next tue', zone, now)).toEqual({ year: 2026, month: 12, day: 8 });
    expect(parseLocalDate('in 3d', zone, now)).toEqual({ year: 2026, month: 12, day: 5 });
    // Late on the 2nd in Los Angeles is already the 3rd in Berlin: the zone decides "today".
    expect(parseLocalDate('today', 'America/Los_Angeles', new Date('2026-12-03T02:00:00Z'))).toEqual({ year: 2026, month: 12, day: 2 });
  });

  it('refuses unreal dates and dates with a time', () => {
    expect(parseLocalDate('2026-02-30', zone, now)).toBeUndefined();
    expect(parseLocalDate('tomorrow 09:00', zone, now)).toBeUndefined();
    expect(parseLocalDate('whenever', zone, now)).toBeUndefined();
  });
});

describe('typed date arguments', () => {
  it('accept the relative forms alongside the absolute ones', () => {
    expect(parseWhen('next mon 09:00')).toEqual({ ok: true, value: { kind: 'weekday', weekday: 1, afterToday: true, time: { hour: 9, minute: 0 } } });
    expect(parseWhen('yesterday')).toEqual({ ok: true, value: { kind: 'day', offset: -1 } });
    expect(parseWhen('2026-12-01 09:00').ok).toBe(true);
    expect(parseWhen('next')).toMatchObject({ ok: false, problem: expect.stringMatching(/is not a date or time/) });
  });
});
