import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { arg, argInfo, isOptionalArg } from '../../../src/dispatch/args.js';

/** The value, or the first problem message, for one input. */
function parse(schema: z.ZodType, input: unknown): { value: unknown } | { problem: string } {
  const r = schema.safeParse(input);
  return r.success ? { value: r.data } : { problem: r.error.issues[0]!.message };
}

// Each table: [input, expected value] for good input, [input, expected problem text] for bad.
interface Table {
  name: string;
  schema: z.ZodType;
  good: [unknown, unknown][];
  bad: [unknown, string][];
  hint: string;
}

const H = 3_600_000;
const M = 60_000;

const tables: Table[] = [
  {
    name: 'text',
    schema: arg.text({ max: 10 }),
    good: [['hello', 'hello'], ['  padded  ', 'padded'], ['ten chars!', 'ten chars!']],
    bad: [['', 'must not be empty'], ['   ', 'must not be empty'], ['eleven char', 'is too long (11 characters, at most 10)']],
    hint: 'some text',
  },
  {
    name: 'rest',
    schema: arg.rest({ max: 20 }),
    good: [['free "text" here', 'free "text" here']],
    bad: [['', 'must not be empty'], ['x'.repeat(21), 'is too long (21 characters, at most 20)']],
    hint: 'free text to the end of the line',
  },
  {
    name: 'int',
    schema: arg.int({ min: 1, max: 10 }),
    good: [['1', 1], ['10', 10], ['+7', 7], ['007', 7]],
    bad: [
      ['abc', '"abc" is not a whole number'],
      ['1.5', '"1.5" is not a whole number'],
      ['', '"" is not a whole number'],
      ['0', '0 is too small (at least 1)'],
      ['11', '11 is too large (at most 10)'],
      ['-3', '-3 is too small (at least 1)'],
    ],
    hint: 'a whole number from 1 to 10',
  },
  {
    name: 'duration',
    schema: arg.duration(),
    good: [
      ['90m', { ms: 90 * M }],
      ['2h', { ms: 2 * H }],
      ['1h30m', { ms: 90 * M }],
      ['1H30M', { ms: 90 * M }],
      ['45s', { ms: 45_000 }],
      ['10min', { ms: 10 * M }],
      ['3d', { days: 3 }],
      ['6w', { weeks: 6 }],
      ['2mo', { months: 2 }],
      ['1y', { months: 12 }],
      ['1w2d', { weeks: 1, days: 2 }],
      ['1d12h', { days: 1, ms: 12 * H }],
      ['1d 12h', { days: 1, ms: 12 * H }],
    ],
    bad: [
      ['abc', '"abc" is not a duration'],
      ['90', '"90" is not a duration'],
      ['h', '"h" is not a duration'],
      ['1h30', '"1h30" is not a duration'],
      ['1.5h', '"1.5h" is not a duration'],
      ['-2h', '"-2h" is not a duration'],
      ['', '"" is not a duration'],
      ['0m', 'a duration must be longer than zero'],
    ],
    hint: 'a duration such as 90m, 2h, 1h30m, 3d or 6w',
  },
  {
    name: 'zone',
    schema: arg.zone(),
    good: [['Europe/Berlin', 'Europe/Berlin'], ['america/new_york', 'America/New_York'], ['UTC', 'UTC'], ['Asia/Kolkata', 'Asia/Kolkata']],
    bad: [
      ['Europe/Berln', '"Europe/Berln" is not an IANA time zone (did you mean Europe/Berlin?)'],
      ['Mars/Olympus', '"Mars/Olympus" is not an IANA time zone'],
      ['+01:00', '"+01:00" is not an IANA time zone'],
      ['', '"" is not an IANA time zone'],
    ],
    hint: 'an IANA time zone such as Europe/Berlin, America/New_York or UTC',
  },
  {
    name: 'user',
    schema: arg.user(),
    good: [
      ['<@U123ABC>', { platform: 'slack', id: 'U123ABC' }],
      ['<@U123ABC|alice>', { platform: 'slack', id: 'U123ABC', name: 'alice' }],
      ['<@W0042>', { platform: 'slack', id: 'W0042' }],
      ['@alice', { name: 'alice' }],
      ['@alice.smith-2', { name: 'alice.smith-2' }],
      ['alice', { id: 'alice' }],
      ['ops-bot-2', { id: 'ops-bot-2' }],
    ],
    bad: [
      ['<@alice>', '"<@alice>" is not a user'],
      ['<@U123', '"<@U123" is not a user'],
      ['@', '"@" is not a user'],
      ['Alice', '"Alice" is not a user'],
      ['<!channel>', '"<!channel>" is not a user'],
      ['@here now', '"@here now" is not a user'],
    ],
    hint: 'a user: @name, a mention, or a person id such as alice',
  },
  {
    name: 'channel',
    schema: arg.channel(),
    good: [
      ['<#C123ABC|ops>', { platform: 'slack', id: 'C123ABC', name: 'ops' }],
      ['<#C123ABC>', { platform: 'slack', id: 'C123ABC' }],
      ['<#G999|>', { platform: 'slack', id: 'G999' }],
      ['~town-square', { platform: 'mattermost', name: 'town-square' }],
      ['#ops', { name: 'ops' }],
    ],
    bad: [
      ['ops', '"ops" is not a channel'],
      ['<#ops>', '"<#ops>" is not a channel'],
      ['~Town Square', '"~Town Square" is not a channel'],
      ['#', '"#" is not a channel'],
    ],
    hint: 'a channel: #name, ~name or a channel link',
  },
  {
    name: 'enum',
    schema: arg.enum(['prod', 'staging', 'dev']),
    good: [['prod', 'prod'], ['STAGING', 'staging']],
    bad: [
      ['prdo', '"prdo" is not one of prod, staging, dev (did you mean prod?)'],
      ['qa', '"qa" is not one of prod, staging, dev'],
    ],
    hint: 'one of prod, staging, dev',
  },
  {
    name: 'when',
    schema: arg.when(),
    good: [
      ['now', { kind: 'now' }],
      ['NOW', { kind: 'now' }],
      ['in 2h', { kind: 'in', duration: { ms: 2 * H } }],
      ['in 1d 12h', { kind: 'in', duration: { days: 1, ms: 12 * H } }],
      ['2026-12-01 09:00', { kind: 'date', date: { year: 2026, month: 12, day: 1 }, time: { hour: 9, minute: 0 } }],
      ['2026-12-01T09:00', { kind: 'date', date: { year: 2026, month: 12, day: 1 }, time: { hour: 9, minute: 0 } }],
      ['2026-12-01', { kind: 'date', date: { year: 2026, month: 12, day: 1 } }],
      ['2028-02-29 7:05', { kind: 'date', date: { year: 2028, month: 2, day: 29 }, time: { hour: 7, minute: 5 } }],
      ['today 17:30', { kind: 'day', offset: 0, time: { hour: 17, minute: 30 } }],
      ['tomorrow 14:00', { kind: 'day', offset: 1, time: { hour: 14, minute: 0 } }],
      ['tomorrow', { kind: 'day', offset: 1 }],
      ['mon 09:00', { kind: 'weekday', weekday: 1, time: { hour: 9, minute: 0 } }],
      ['Friday 16:45', { kind: 'weekday', weekday: 5, time: { hour: 16, minute: 45 } }],
      ['thurs', { kind: 'weekday', weekday: 4 }],
      ['sun 00:00', { kind: 'weekday', weekday: 0, time: { hour: 0, minute: 0 } }],
    ],
    bad: [
      ['soon', '"soon" is not a date or time'],
      ['in', '"in" is not a date or time'],
      ['in forever', '"in forever" is not a date or time'],
      ['2026-02-30', '"2026-02-30" is not a real date'],
      ['2026-13-01 09:00', '"2026-13-01 09:00" is not a real date'],
      ['2026-12-01 25:00', '"25:00" is not a time of day (use 24-hour HH:MM)'],
      ['tomorrow 9pm', '"9pm" is not a time of day (use 24-hour HH:MM)'],
      ['mo 09:00', '"mo 09:00" is not a date or time'],
      ['12/01/2026', '"12/01/2026" is not a date or time'],
    ],
    hint: 'a time such as "2026-12-01 09:00", "tomorrow 14:00", "mon 09:00", "in 2h" or "now"',
  },
  {
    name: 'flag',
    schema: arg.flag(),
    good: [[true, true], [undefined, false], ['yes', true], ['no', false], ['OFF', false], ['1', true]],
    bad: [['maybe', '"maybe" is not yes or no']],
    hint: 'a switch: --name, or name=yes / name=no',
  },
];

describe.each(tables)('arg.$name', ({ schema, good, bad, hint }) => {
  it.each(good)('accepts %j', (input, value) => {
    expect(parse(schema, input)).toEqual({ value });
  });
  it.each(bad)('rejects %j', (input, problem) => {
    expect(parse(schema, input)).toEqual({ problem });
  });
  it('carries its usage hint, also through .optional()', () => {
    expect(argInfo(schema)?.hint).toBe(hint);
    expect(argInfo(schema.optional())?.hint).toBe(hint);
  });
});

describe('arg helpers', () => {
  it('int without bounds describes itself plainly', () => {
    expect(argInfo(arg.int())?.hint).toBe('a whole number');
    expect(argInfo(arg.int({ min: 0 }))?.hint).toBe('a whole number, at least 0');
  });
  it('knows which arguments may be left out', () => {
    expect(isOptionalArg(arg.text())).toBe(false);
    expect(isOptionalArg(arg.text().optional())).toBe(true);
    expect(isOptionalArg(arg.int().default(3))).toBe(true);
    expect(isOptionalArg(arg.flag())).toBe(true);
  });
  it('when may span three words, the others one', () => {
    expect(argInfo(arg.when())?.maxWords).toBe(3);
    expect(argInfo(arg.duration())?.maxWords).toBe(1);
  });
  it('a non-string value is refused with a plain message', () => {
    expect(parse(arg.int(), true)).toEqual({ problem: 'needs a value' });
  });
});
