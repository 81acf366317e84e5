/** Sanity limits: a tour or leave far longer than anyone takes is refused, both dates shown. */
import { describe, expect, it } from 'vitest';
import { checkLength, lengthWords, limitsConfig } from '../../../src/domain/limits.js';
import type { InputError } from '../../../src/errors.js';

const defaults = limitsConfig.parse(undefined);

describe('limits', () => {
  it('defaults to 26 weeks for a tour and a year for leave', () => {
    expect(defaults).toEqual({ tour: '26w', leave: '1y' });
  });

  it.each([
    [{ weeks: 26 }, '26 weeks'],
    [{ months: 12 }, '1 year'],
    [{ months: 18 }, '18 months'],
    [{ days: 1 }, '1 day'],
    [{ weeks: 1, days: 2 }, '1 week 2 days'],
  ])('says %o as "%s"', (d, words) => {
    expect(lengthWords(d)).toBe(words);
  });

  it('accepts a tour of exactly 26 weeks, counted on the calendar of the zone', () => {
    const from = new Date('2026-03-02T08:00:00Z'); // Mon 09:00 Berlin, before the clocks change
    const to = new Date('2026-08-31T07:00:00Z'); // 26 weeks later, 09:00 Berlin summer time
    expect(() => checkLength('tour', from, to, defaults, 'Europe/Berlin')).not.toThrow();
    expect(() => checkLength('tour', from, new Date(to.getTime() + 60_000), defaults, 'Europe/Berlin')).toThrow(/A tour of duty lasts at most 26 weeks \(limits.tour in the config\)/);
  });

  it('refuses a leave over a year, keeping both dates for the reader', () => {
    const from = new Date('2026-12-20T00:00:00Z');
    const to = new Date('2027-12-21T00:00:00Z');
    try {
      checkLength('leave', from, to, defaults, 'UTC');
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).parts).toEqual(['A leave lasts at most 1 year (limits.leave in the config); this one runs from ', from, ' to ', to, '. Check the dates, or ask an admin to raise the limit.']);
    }
  });

  it('follows a raised limit', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2026-10-01T00:00:00Z');
    expect(() => checkLength('tour', from, to, defaults, 'UTC')).toThrow();
    expect(() => checkLength('tour', from, to, { ...defaults, tour: '52w' }, 'UTC')).not.toThrow();
  });

  it('rejects a limit that is not a length in the config', () => {
    expect(limitsConfig.safeParse({ tour: 'forever' }).success).toBe(false);
  });
});
