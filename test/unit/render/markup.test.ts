import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateToken, escapeMarkup, mentionToken, parseMarkup, unescapeMarkup, type Block } from '../../../src/render/markup.js';

const para = (...content: unknown[]) => ({ type: 'paragraph', content });
const text = (t: string) => ({ type: 'text', text: t });

describe('parseMarkup', () => {
  const cases: [name: string, markup: string, blocks: unknown[]][] = [
    ['empty', '', []],
    ['plain', 'hello', [para(text('hello'))]],
    ['bold', 'a **b** c', [para(text('a '), { type: 'bold', children: [text('b')] }, text(' c'))]],
    ['italic', '_it_', [para({ type: 'italic', children: [text('it')] })]],
    ['snake_case stays text', 'snake_case_name', [para(text('snake_case_name'))]],
    ['strike', '~~gone~~', [para({ type: 'strike', children: [text('gone')] })]],
    ['code keeps markup literal', '`**x** <@person:a>`', [para({ type: 'code', text: '**x** <@person:a>' })]],
    ['nested', '**a _b_**', [para({ type: 'bold', children: [text('a '), { type: 'italic', children: [text('b')] }] })]],
    ['link', '[Day2](https://example.com/x)', [para({ type: 'link', url: 'https://example.com/x', children: [text('Day2')] })]],
    ['mailto link', '[mail](mailto:a@b.c)', [para({ type: 'link', url: 'mailto:a@b.c', children: [text('mail')] })]],
    ['javascript: is not a link', '[x](javascript:alert(1\\))', [para(text('x (javascript:alert(1))'))]],
    ['mention', 'hi <@person:alice>!', [para(text('hi '), { type: 'mention', ref: 'person:alice' }, text('!'))]],
    ['slack mention', '<@slack:U123ABC>', [para({ type: 'mention', ref: 'slack:U123ABC' })]],
    ['mattermost mention', '<@mattermost:bob.smith>', [para({ type: 'mention', ref: 'mattermost:bob.smith' })]],
    ['bad mention is text', '<@channel>', [para(text('<@channel>'))]],
    ['date', '<!date:2026-12-01T09:00:00.000Z|datetime>', [para({ type: 'date', date: new Date('2026-12-01T09:00:00.000Z'), style: 'datetime' })]],
    ['bad date style is text', '<!date:2026-12-01T09:00:00.000Z|soon>', [para(text('<!date:2026-12-01T09:00:00.000Z|soon>'))]],
    ['unmatched delimiters', '**a _b ~~c `d [e](', [para(text('**a _b ~~c `d [e]('))]],
    ['line breaks kept', 'a\nb', [para(text('a\nb'))]],
    ['paragraphs', 'a\n\nb', [para(text('a')), para(text('b'))]],
    ['bullets', '- one\n- **two**', [{ type: 'bullets', items: [[text('one')], [{ type: 'bold', children: [text('two')] }]] }]],
    ['quote', '> a\n> b', [{ type: 'quote', content: [text('a\nb')] }]],
    ['code block', '```\nx = **1**\n```\nafter', [{ type: 'code', text: 'x = **1**' }, para(text('after'))]],
    ['code block escapes', '```\n\\`\\`\\`\n```', [{ type: 'code', text: '```' }]],
    ['escaped newline is not a break', 'a\\\n\\\nb', [para(text('a\n\nb'))]],
    ['escaped markers', '\\- not a bullet\n\\> not a quote', [para(text('- not a bullet\n> not a quote'))]],
    ['formatting does not cross lines', '**a\nb**', [para(text('**a\nb**'))]],
  ];
  it.each(cases)('%s', (_name, markup, blocks) => {
    expect(parseMarkup(markup)).toEqual(blocks as Block[]);
  });
});

describe('escapeMarkup', () => {
  it('escapes every markup character and a leading "-"', () => {
    expect(escapeMarkup('- **a** <@x> [l](u) `c` ~~s~~ _i_ @here #tag | ! \\')).toBe(
      '\\- \\*\\*a\\*\\* \\<\\@x\\> \\[l\\]\\(u\\) \\`c\\` \\~\\~s\\~\\~ \\_i\\_ \\@here \\#tag \\| \\! \\\\',
    );
  });

  it('unescapeMarkup reverses it', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => unescapeMarkup(escapeMarkup(s)) === s));
  });

  // Strings made mostly of markup characters find parser corner cases much faster than random text.
  const markupy = fc.string({ unit: fc.constantFrom('*', '_', '~', '`', '[', ']', '(', ')', '<', '>', '!', '@', '#', '|', '\\', '-', ' ', '\n', 'a', ':', 'h', '/') });

  it.each([
    ['markup-heavy strings', markupy],
    ['arbitrary unicode', fc.string({ unit: 'binary' })],
  ])('parseMarkup(escapeMarkup(s)) is exactly one text run equal to s (%s)', (_name, arb) => {
    fc.assert(
      fc.property(arb, (s) => {
        const blocks = parseMarkup(escapeMarkup(s));
        if (s.length === 0) return blocks.length === 0;
        expect(blocks).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: s }] }]);
        return true;
      }),
      { numRuns: 500 },
    );
  });
});

describe('tokens', () => {
  it('mentionToken accepts the three reference kinds and refuses others', () => {
    expect(mentionToken('person:alice')).toBe('<@person:alice>');
    expect(mentionToken('slack:U0123ABC')).toBe('<@slack:U0123ABC>');
    expect(mentionToken('mattermost:bob.s')).toBe('<@mattermost:bob.s>');
    expect(() => mentionToken('channel')).toThrow(/invalid mention/);
    expect(() => mentionToken('person:Alice>')).toThrow(/invalid mention/);
  });

  it('dateToken round-trips through parseMarkup', () => {
    const d = new Date('2026-03-29T01:30:00.000Z');
    expect(dateToken(d, 'relative')).toBe('<!date:2026-03-29T01:30:00.000Z|relative>');
    expect(parseMarkup(dateToken(d, 'time'))).toEqual([para({ type: 'date', date: d, style: 'time' })]);
    expect(() => dateToken(new Date('nope'), 'date')).toThrow(/invalid date/);
  });
});

describe('pathological markup', () => {
  // Template-authored markup is not escaped; parsing it must stay fast and bounded.
  it.each(['[a](', '**', '_', '`x`**', '[', '<@', '~~'])('%j repeated 20000 times still parses to one paragraph', (unit) => {
    const blocks = parseMarkup(unit.repeat(20_000));
    expect(blocks).toHaveLength(1);
  });

  it('deep nesting becomes text instead of exhausting the stack', () => {
    const deep = `${'['.repeat(5000)}x${'](https://a.example)'.repeat(5000)}`;
    expect(() => parseMarkup(deep)).not.toThrow();
    const nested = `${'**_'.repeat(40)}x${'_**'.repeat(40)}`;
    expect(JSON.stringify(parseMarkup(nested))).toContain('x');
  });
});
