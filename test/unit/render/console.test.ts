import { describe, expect, it } from 'vitest';
import { toConsoleText } from '../../../src/render/console.js';
import { dateToken } from '../../../src/render/markup.js';
import { markupToPlain } from '../../../src/render/plain.js';
import { OPTS } from './fixtures.js';

describe('console text', () => {
  it('lays out every part of a message', () => {
    const text = toConsoleText(
      {
        title: 'Cover needed',
        body: `<@person:alice> is **off** ${dateToken(new Date('2026-12-01T09:00:00Z'), 'datetime')}\n\n- one\n- [docs](https://x.example)\n\n> quoted\n\n\`\`\`\ncode\n\`\`\``,
        fields: [
          { label: 'Team', value: 'core', short: true },
          { label: 'Notes', value: 'a\nb' },
        ],
        context: 'ref `r1`',
        buttons: [
          { actionId: 'cover', label: 'Cover', value: 'shift-1', style: 'primary' },
          { actionId: 'drop', label: 'Drop', value: 'a b', style: 'danger' },
          { actionId: 'later', label: 'Later', value: '' },
        ],
        summary: 'x',
      },
      OPTS,
    );
    expect(text).toBe(
      [
        'Cover needed',
        '============',
        '',
        '@Alice Example is *off* Tue 1 Dec 2026, 10:00 CET',
        '',
        '  • one',
        '  • docs <https://x.example>',
        '',
        '  │ quoted',
        '',
        '    code',
        '',
        'Team: core',
        'Notes:',
        '  a',
        '  b',
        '',
        '— ref `r1`',
        '',
        '[Cover] (click: /day2 click cover shift-1)',
        '[Drop] ! (click: /day2 click drop "a b")',
        '[Later] (click: /day2 click later)',
      ].join('\n'),
    );
  });

  it('strips terminal control sequences from every part', () => {
    const esc = '\u001b[2J\u001b]0;pwned\u0007';
    const text = toConsoleText({ title: `T${esc}`, body: `b${esc}`, fields: [{ label: `L${esc}`, value: `v${esc}` }], summary: '' }, OPTS);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('b[2J]0;pwned');
  });
});

describe('markupToPlain', () => {
  it.each([
    ['formatting is dropped', '**b** _i_ ~~s~~ `c`', 'b i s c'],
    ['links show their target', '[docs](https://x.example) [https://y.example](https://y.example) [mail](mailto:a@b.c)', 'docs (https://x.example) https://y.example mail (a@b.c)'],
    ['mentions are names', '<@person:alice> <@person:zed> <@slack:U0NOBODY>', 'Alice Example zed U0NOBODY'],
    ['dates are written out', dateToken(new Date('2026-03-29T01:30:00Z'), 'time'), '03:30 CEST'],
    ['blocks', 'p\n\n- a\n- b\n\n> q\n\n```\nc\n```', 'p\n\n• a\n• b\n\n> q\n\nc'],
    ['escapes are removed', '\\*not bold\\* \\<\\@x\\>', '*not bold* <@x>'],
  ])('%s', (_name, markup, expected) => {
    expect(markupToPlain(markup, OPTS)).toBe(expected);
  });
});
