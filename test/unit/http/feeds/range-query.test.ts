/** Feed date parameters are read strictly: days that do not exist are refused with the reason, never rolled over. */
import { describe, expect, it } from 'vitest';
import { parseInstant, parseRange } from '../../../../src/http/feeds/range-query.js';

describe('parseInstant', () => {
  // input | the instant (ISO, UTC) or the reason it names none
  it.each([
    ['2026-03-02', '2026-03-02T00:00:00.000Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z'],
    ['2026-12-01T09:00Z', '2026-12-01T09:00:00.000Z'],
    ['2026-12-01T09:00:30.250Z', '2026-12-01T09:00:30.250Z'],
    ['2026-12-01T09:00:00+14:00', '2026-11-30T19:00:00.000Z'],
    ['2026-12-01T09:00:00-05:30', '2026-12-01T14:30:00.000Z'],
  ])('%s is %s', (raw, iso) => {
    expect((parseInstant(raw) as Date).toISOString()).toBe(iso);
  });

  it.each([
    ['2026-02-30', '2026-02-30 is not a date: February 2026 has 28 days'],
    ['2100-02-29', '2100-02-29 is not a date: February 2100 has 28 days'],
    ['2026-04-31T10:00:00Z', '2026-04-31T10:00:00Z is not a date: April 2026 has 30 days'],
    ['2026-00-10', '2026-00-10 is not a date: there is no month 0'],
    ['2026-01-00', '2026-01-00 is not a date: January 2026 has 31 days'],
    ['2026-01-01T24:00:00Z', '2026-01-01T24:00:00Z is not a time of day: hours go to 23, minutes and seconds to 59'],
    ['2026-01-01T10:60Z', '2026-01-01T10:60Z is not a time of day: hours go to 23, minutes and seconds to 59'],
    ['2026-01-01T10:00:00+15:00', '2026-01-01T10:00:00+15:00 has an offset no zone uses (+15:00)'],
    ['2026-01-01T10:00:00', '"2026-01-01T10:00:00" is not a date (2026-12-01) or a date-time with its offset (2026-12-01T09:00:00Z)'],
    ['1 March 2026', '"1 March 2026" is not a date (2026-12-01) or a date-time with its offset (2026-12-01T09:00:00Z)'],
  ])('%s is refused: %s', (raw, reason) => {
    expect(parseInstant(raw)).toBe(reason);
  });
});

describe('parseRange', () => {
  it('takes either end alone, and lets other parameters (the token) pass', () => {
    expect(parseRange({ token: 'x', from: '2026-03-01' })).toEqual({ ok: true, from: new Date('2026-03-01T00:00:00Z') });
    expect(parseRange({ token: 'x' })).toEqual({ ok: true });
  });

  it('lists every problem with the parameter it is about', () => {
    expect(parseRange({ from: '2026-02-30', to: ['2026-03-01', '2026-03-02'] })).toEqual({
      ok: false,
      problems: ['from: 2026-02-30 is not a date: February 2026 has 28 days', 'to: give to once, as one value'],
    });
    expect(parseRange({ from: '2026-03-01', to: '2026-03-01' })).toEqual({ ok: false, problems: ['to: must be after from'] });
    expect(parseRange({ from: '2026-03-01', to: '2027-04-06' })).toEqual({ ok: false, problems: ['to: must be at most 400 days after from'] });
  });
});
