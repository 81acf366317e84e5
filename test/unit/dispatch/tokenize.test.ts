import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { Scanner, TokenizeError, tokenize } from '../../../src/dispatch/tokenize.js';

/** Tokens reduced to what the parser cares about: kind, key and value. */
const brief = (text: string) => tokenize(text).map((t) => (t.kind === 'word' ? t.value : t.kind === 'flag' ? `--${t.key}` : `${t.key}=${t.value}`));

describe('tokenize', () => {
  // [input, expected tokens] — words as values, options as key=value, flags as --key
  const cases: [string, string[]][] = [
    ['', []],
    ['   ', []],
    ['who prod', ['who', 'prod']],
    ['  who   prod  ', ['who', 'prod']],
    ['"two words" three', ['two words', 'three']],
    ["'single quoted' x", ['single quoted', 'x']],
    ['“smart quotes” x', ['smart quotes', 'x']],
    ['“closed the same way“ x', ['closed the same way', 'x']],
    ['‘smart single’ x', ['smart single', 'x']],
    ['„German“ x', ['German', 'x']],
    ['a\\ b', ['a b']],
    ['"say \\"hi\\""', ['say "hi"']],
    ['back\\\\slash', ['back\\slash']],
    ['trailing\\', ['trailing\\']],
    ["O'Brien don't", ["O'Brien", "don't"]],
    ['don’t', ['don’t']],
    ['"ab"cd', ['abcd']],
    ['key=value', ['key=value']],
    ['at="tomorrow 14:00"', ['at=tomorrow 14:00']],
    ['at=“tomorrow 14:00”', ['at=tomorrow 14:00']],
    ["note='it is'", ['note=it is']],
    ['empty=', ['empty=']],
    ['--force', ['--force']],
    ['--dry-run now', ['--dry-run', 'now']],
    ['--at=9:00', ['at=9:00']],
    ['--at="9 00"', ['at=9 00']],
    ['"quoted=word"', ['quoted=word']],
    ['-- -5 --9', ['--', '-5', '--9']],
    ['https://x.example/?a=b', ['https://x.example/?a=b']],
    ['<@U123|alice> <#C1|ops>', ['<@U123|alice>', '<#C1|ops>']],
    ['tab\tseparated\nlines', ['tab', 'separated', 'lines']],
  ];
  it.each(cases)('%j', (input, expected) => {
    expect(brief(input)).toEqual(expected);
  });

  it('marks quoted tokens and records positions', () => {
    const [a, b, c] = tokenize('plain "q w" k=v');
    expect(a).toMatchObject({ kind: 'word', value: 'plain', quoted: false, start: 0, end: 5 });
    expect(b).toMatchObject({ kind: 'word', value: 'q w', quoted: true, start: 6, end: 11 });
    expect(c).toMatchObject({ kind: 'option', key: 'k', value: 'v', start: 12, end: 15 });
  });

  const bad: [string, number, string][] = [
    ['say "hello', 4, 'unterminated quote: the " at position 5 is never closed'],
    ["x 'oops", 2, "unterminated quote: the ' at position 3 is never closed"],
    ['“never closed', 0, 'unterminated quote: the “ at position 1 is never closed'],
    ['k="v', 2, 'unterminated quote: the " at position 3 is never closed'],
  ];
  it.each(bad)('rejects %j at position %i', (input, position, message) => {
    let caught: unknown;
    try {
      tokenize(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(TokenizeError);
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as TokenizeError).position).toBe(position);
    expect((caught as TokenizeError).message).toBe(message);
  });
});

describe('Scanner', () => {
  it('hands back the untouched remainder after some tokens', () => {
    const s = new Scanner('post prod  Deploy "v2" isn\'t   done  ');
    expect(s.next()?.value).toBe('post');
    expect(s.next()?.value).toBe('prod');
    expect(s.remainder()).toBe('Deploy "v2" isn\'t   done');
    expect(s.done).toBe(true);
    expect(s.next()).toBeUndefined();
  });

  it('peeks without consuming and can seek back', () => {
    const s = new Scanner('a b');
    expect(s.peek()?.value).toBe('a');
    const at = s.position;
    expect(s.next()?.value).toBe('a');
    expect(s.next()?.value).toBe('b');
    s.seek(at);
    expect(s.next()?.value).toBe('a');
  });
});
