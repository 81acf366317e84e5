import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { arg } from '../../../src/dispatch/args.js';
import { ArgError, readArgs, validateForm } from '../../../src/dispatch/bind.js';
import { defineCommand } from '../../../src/dispatch/define.js';
import { Scanner } from '../../../src/dispatch/tokenize.js';
import { InputError } from '../../../src/errors.js';

const handler = async () => ({});

const note = defineCommand({
  name: 'note',
  summary: 'Leave a note',
  usage: 'note <at> <text…> [env=<env>] [--loud]',
  examples: [],
  args: z.object({ at: arg.when(), text: arg.rest(), env: arg.enum(['prod', 'staging']).optional(), loud: arg.flag() }),
  positional: ['at', 'text'],
  role: 'anyone',
  mutates: false,
  handler,
});

const pair = defineCommand({
  name: 'pair',
  summary: 'Two values',
  usage: 'pair <who> [count]',
  examples: [],
  args: z.object({ who: arg.user(), count: arg.int({ min: 1, max: 5 }).default(1), zone: arg.zone().optional() }),
  positional: ['who', 'count'],
  role: 'anyone',
  mutates: false,
  handler,
});

const read = (cmd: typeof note | typeof pair, text: string) => readArgs(cmd as never, new Scanner(text)) as Record<string, unknown>;

function failure(cmd: typeof note | typeof pair, text: string): { message: string; hint?: string } {
  try {
    read(cmd, text);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return { message: (e as Error).message, hint: e instanceof ArgError ? e.hint : undefined };
  }
  throw new Error(`expected "${text}" to fail`);
}

describe('binding and validating arguments', () => {
  it.each([
    ['positional words fill in order', pair, '@bob 3', { who: { name: 'bob' }, count: 3 }],
    ['defaults apply', pair, '@bob', { who: { name: 'bob' }, count: 1 }],
    ['named and positional mix', pair, 'count=2 alice', { who: { id: 'alice' }, count: 2 }],
    ['--name=value works like name=value', pair, '--zone=UTC alice', { who: { id: 'alice' }, count: 1, zone: 'UTC' }],
    ['a when spans words when that parses', note, 'tomorrow 14:00 deploy the thing', { at: { kind: 'day', offset: 1, time: { hour: 14, minute: 0 } }, text: 'deploy the thing', loud: false }],
    ['a when takes three words ("in 1h 30m")', note, 'in 1h 30m go', { at: { kind: 'in', duration: { ms: 5_400_000 } }, text: 'go', loud: false }],
    ['a when takes only what parses', note, 'now tomorrow is another day', { at: { kind: 'now' }, text: 'tomorrow is another day', loud: false }],
    ['a quoted when is one value', note, '"2026-12-01 09:00" ship it', { at: { kind: 'date', date: { year: 2026, month: 12, day: 1 }, time: { hour: 9, minute: 0 } }, text: 'ship it', loud: false }],
    ['rest is verbatim, quotes and apostrophes kept', note, `now  it's "done"  really`, { at: { kind: 'now' }, text: `it's "done"  really`, loud: false }],
    ['rest with an unbalanced quote is just text', note, 'now 5" screen', { at: { kind: 'now' }, text: '5" screen', loud: false }],
    ['rest that is one quoted string loses the quotes', note, 'now "all of this"', { at: { kind: 'now' }, text: 'all of this', loud: false }],
    ['options before the rest are taken', note, 'env=prod --loud now deploy', { at: { kind: 'now' }, text: 'deploy', env: 'prod', loud: true }],
    ['options right before the rest are taken', note, 'now env=prod --loud deploy', { at: { kind: 'now' }, text: 'deploy', env: 'prod', loud: true }],
    ['unknown key=value in the rest is text', note, 'now a=b c', { at: { kind: 'now' }, text: 'a=b c', loud: false }],
    ['declared options inside the rest are text', note, 'now deploy env=prod', { at: { kind: 'now' }, text: 'deploy env=prod', loud: false }],
    ['a switch given a word', note, 'loud=no now x', { at: { kind: 'now' }, text: 'x', loud: false }],
  ])('%s', (_what, cmd, text, expected) => {
    expect(read(cmd, text)).toEqual(expected);
  });

  it.each([
    ['missing required', pair, '', 'missing who', 'who should be a user: @name, a mention, or a person id such as alice'],
    ['missing rest', note, 'now', 'missing text', 'text should be free text to the end of the line'],
    ['bad value names the argument', pair, 'alice 9', 'count: 9 is too large (at most 5)', 'count should be a whole number from 1 to 5'],
    ['every problem is named', pair, 'Alice 0', 'who: "Alice" is not a user; count: 0 is too small (at least 1)', 'who should be a user: @name, a mention, or a person id such as alice'],
    ['bad when', note, 'soon do it', 'at: "soon" is not a date or time', 'at should be a time such as "2026-12-01 09:00", "tomorrow 14:00", "mon 09:00", "in 2h" or "now"'],
    ['unknown option with suggestion', pair, 'alice cuont=2', 'unknown option "cuont" (did you mean count?)', 'pair takes: who, count, zone'],
    ['given twice', pair, 'alice who=bob', 'who is given twice', 'who should be a user: @name, a mention, or a person id such as alice'],
    ['too many words', pair, 'alice 2 extra', 'unexpected "extra": pair takes at most 2 (who, count)', undefined],
    ['a switch-style flag for a valued option', pair, 'alice --zone', '--zone needs a value: write zone=…', 'zone should be an IANA time zone such as Europe/Berlin, America/New_York or UTC'],
    ['unterminated quote before the rest', pair, '"alice', 'unterminated quote: the " at position 1 is never closed', undefined],
  ])('%s', (_what, cmd, text, message, hint) => {
    expect(failure(cmd, text)).toEqual({ message, hint });
  });
});

describe('validateForm', () => {
  const schema = z.object({ title: arg.text({ max: 5 }), count: arg.int({ min: 1 }), tags: z.array(z.string()).optional() });
  it('passes good values through their schemas', () => {
    expect(validateForm(schema, { title: 'hi', count: '2', tags: ['a'] })).toEqual({ ok: true, values: { title: 'hi', count: 2, tags: ['a'] } });
  });
  it('reports problems per field', () => {
    expect(validateForm(schema, { title: 'too long', count: 'x' })).toEqual({
      ok: false,
      errors: { title: 'is too long (8 characters, at most 5)', count: '"x" is not a whole number' },
    });
  });
  it('a missing required field is "required"', () => {
    expect(validateForm(schema, { count: '1' })).toEqual({ ok: false, errors: { title: 'required' } });
  });
});
