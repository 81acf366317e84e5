import { describe, expect, it } from 'vitest';
import { parseSchedule, parseTimeOfDay } from '../../../../src/domain/cadence/schedule.js';

describe('parseSchedule', () => {
  it.each([
    ['daily', 'FREQ=DAILY'],
    ['Weekdays', 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR'],
    ['weekly Monday', 'FREQ=WEEKLY;BYDAY=MO'],
    ['biweekly thu', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TH'],
    ['monthly 2nd tue', 'FREQ=MONTHLY;BYDAY=+2TU'],
    ['monthly last fri', 'FREQ=MONTHLY;BYDAY=-1FR'],
    ['monthly 15', 'FREQ=MONTHLY;BYMONTHDAY=15'],
    ['monthly 30th', 'FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1'],
    ['quarterly 1st wed', 'FREQ=MONTHLY;BYMONTH=1,4,7,10;BYDAY=+1WE'],
    ['quarterly last fri 3', 'FREQ=MONTHLY;BYMONTH=3,6,9,12;BYDAY=-1FR'],
    ['RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29'],
    ['FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR', 'FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,FR'],
  ])('%s → %s', (input, rule) => {
    const r = parseSchedule(input);
    expect(r).toEqual({ ok: true, value: expect.any(String) });
    // The library may write +2TU as 2TU; compare what the rule means, not its spelling.
    if (r.ok) expect(r.value.replace(/\+/g, '')).toBe(rule.replace(/\+/g, ''));
  });

  it.each([
    ['fortnightly mon', /is not a schedule/],
    ['weekly', /needs exactly one weekday/],
    ['weekly funday', /not a weekday/],
    ['monthly 5th tue', /not one of 1st, 2nd, 3rd, 4th, last/],
    ['monthly 32', /day of month must be 1 to 31/],
    ['monthly 0', /day of month must be 1 to 31/],
    ['quarterly 2nd tue 4', /month of quarter must be 1, 2 or 3/],
    ['daily at noon', /extra words/],
    ['RRULE:FREQ=SOMETIMES', /does not parse|not valid|no FREQ/],
    ['FREQ=MINUTELY', /hourly at most/],
    ['RRULE:FREQ=DAILY;INTERVAL=0', /INTERVAL/],
    ['DTSTART:20260101T000000Z;FREQ=DAILY', /is not a schedule|DTSTART/],
    ['FREQ=DAILY;DTSTART=20260101T000000Z', /DTSTART/],
  ])('refuses %s', (input, problem) => {
    const r = parseSchedule(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  });
});

describe('parseTimeOfDay', () => {
  it('reads 24-hour times', () => {
    expect(parseTimeOfDay('09:30')).toEqual({ ok: true, value: { hour: 9, minute: 30 } });
    expect(parseTimeOfDay('0:00')).toEqual({ ok: true, value: { hour: 0, minute: 0 } });
    expect(parseTimeOfDay('23:59')).toEqual({ ok: true, value: { hour: 23, minute: 59 } });
  });
  it.each([['25:00', /hours go from 00 to 23/], ['24:00', /hours/], ['9:60', /minutes/], ['9am', /HH:MM/], ['', /HH:MM/]])('refuses %s', (input, problem) => {
    const r = parseTimeOfDay(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatch(problem);
  });
});
