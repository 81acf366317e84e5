import { describe, expect, it } from 'vitest';
import type { Button, OutboundMessage } from '../../../src/chat/message.js';
import { MATTERMOST_MESSAGE, TRUNCATION_NOTE } from '../../../src/render/limits.js';
import { dateToken } from '../../../src/render/markup.js';
import { toMattermostPost } from '../../../src/render/mattermost.js';
import { OPTS } from './fixtures.js';

const WJ = '\u2060';
const integration = (b: Button) => ({ url: 'http://127.0.0.1:9/actions', context: { action: b.actionId, value: b.value } });
const post = (msg: OutboundMessage) => toMattermostPost(msg, { ...OPTS, buttonIntegration: integration });
const md = (markup: string) => post({ body: markup, summary: 's' }).message;

describe('markdown', () => {
  it.each([
    ['bold, italic, strike, code', '**b** _i_ ~~s~~ `c`', '**b** _i_ ~~s~~ `c`'],
    ['link', '[the docs](https://x.example/a_\\(b\\))', '[the docs](https://x.example/a_%28b%29)'],
    ['snake_case keeps its underscores', 'deploy_prod_eu \\_x\\_', 'deploy_prod_eu \\_x\\_'],
    ['literal markdown characters are escaped', 'a\\*b \\_c \\[d\\] 2 \\< 3 \\| x\\\\y', 'a\\*b \\_c \\[d\\] 2 \\< 3 \\| x\\\\y'],
    ['line-start constructs are escaped', '\\# h\n\\- b\n\\+ c\n1. d\n= e', '\\# h\n\\- b\n\\+ c\n1\\. d\n\\= e'],
    ['indentation cannot open a code block', '    code?', '\u00A0\u00A0\u00A0\u00A0code?'],
    ['@ in text never mentions', 'x.\\@here \\@all mail\\@example.com', `x.@${WJ}here @${WJ}all mail@${WJ}example.com`],
    ['channel links, hashtags and emoji stay text', '\\~town \\#release :tada: :)', `\\~${WJ}town #${WJ}release :${WJ}tada: :${WJ})`],
    ['times and URLs keep their colons', '10:30 https://x.example', '10:30 https://x.example'],
    ['bullets with continuation lines', '- one\\\ntwo\n- three', '- one\n  two\n- three'],
    ['quote', '> a\n> b', '> a\n> b'],
    ['literal list markers inside items and quotes', '- \\- x\n- 1. y\n\n> \\# z', '- \\- x\n- 1\\. y\n\n> \\# z'],
    ['code block fence grows past backticks inside', '```\n\\`\\`\\`x\\`\\`\\`\n```', '````\n```x```\n````'],
    ['code span with backtick', '`a\\`b`', '``a`b``'],
    ['group mention in code is broken, other @ kept', '`@here @Override`', `\`@${WJ}here @Override\``],
  ])('%s', (_name, markup, expected) => {
    expect(md(markup)).toBe(expected);
  });

  it.each([
    ['person with a Mattermost username', '<@person:alice>', `@alice${WJ}`],
    ['person without one: name as text', '<@person:sam>', 'Sam Only\\-Slack'.replace('\\-', '-')],
    ['native Mattermost mention', '<@mattermost:carol.x>', `@carol.x${WJ}`],
    ['Slack user resolved through the directory', '<@slack:U0ALICE>', `@alice${WJ}`],
    ['unknown Slack user: id as text', '<@slack:U0NOBODY>', 'U0NOBODY'],
    ['group names are never mentions', '<@mattermost:all>', 'all'],
  ])('mention: %s', (_name, markup, expected) => {
    expect(md(markup)).toBe(expected);
  });

  it('a mention cannot be extended by the text after it', () => {
    expect(md("<@person:alice>'s shift, <@person:alice>.x")).toBe(`@alice${WJ}'s shift, @alice${WJ}.x`);
  });
});

describe('dates in the configured zone, named', () => {
  it.each([
    // Spring forward in Europe/Berlin: 02:00 CET → 03:00 CEST on 2026-03-29.
    ['2026-03-29T00:30:00Z', 'datetime', 'Sun 29 Mar 2026, 01:30 CET'],
    ['2026-03-29T01:30:00Z', 'datetime', 'Sun 29 Mar 2026, 03:30 CEST'],
    // Fall back on 2026-10-25: 02:30 happens twice, told apart by the zone name.
    ['2026-10-25T00:30:00Z', 'time', '02:30 CEST'],
    ['2026-10-25T01:30:00Z', 'time', '02:30 CET'],
    ['2026-12-01T09:00:00Z', 'date', 'Tue 1 Dec 2026'],
    ['2026-12-01T09:00:00Z', 'relative', 'in 3 days, Tue 1 Dec 2026, 10:00 CET'],
    ['2026-11-28T07:00:00Z', 'relative', '2 hours ago, Sat 28 Nov 2026, 08:00 CET'],
    // Within a minute of now, in words rather than "0 seconds ago".
    ['2026-11-28T08:59:59Z', 'relative', 'just now, Sat 28 Nov 2026, 09:59 CET'],
    ['2026-11-28T09:00:30Z', 'relative', 'in under a minute, Sat 28 Nov 2026, 10:00 CET'],
  ] as const)('%s %s', (iso, style, expected) => {
    expect(md(dateToken(new Date(iso), style))).toBe(expected);
  });

  it('other zones are named too, UTC plainly', () => {
    const d = dateToken(new Date('2026-07-01T12:00:00Z'), 'datetime');
    expect(toMattermostPost({ body: d, summary: '' }, { ...OPTS, zone: 'America/New_York', buttonIntegration: integration }).message).toBe(
      'Wed 1 Jul 2026, 08:00 EDT',
    );
    expect(toMattermostPost({ body: d, summary: '' }, { ...OPTS, zone: 'UTC', buttonIntegration: integration }).message).toBe('Wed 1 Jul 2026, 12:00 UTC');
    expect(toMattermostPost({ body: d, summary: '' }, { ...OPTS, zone: 'Asia/Kolkata', buttonIntegration: integration }).message).toBe(
      'Wed 1 Jul 2026, 17:30 GMT+5:30 (Kolkata)',
    );
  });
});

describe('post layout', () => {
  it('title, body and small print in the message; fields and buttons in one attachment', () => {
    const out = post({
      title: 'Cover @here *now*',
      body: 'Alice is **off**',
      context: 'ref `r1`',
      fields: [
        { label: 'Team', value: '**core**', short: true },
        { label: 'Notes', value: 'n' },
      ],
      buttons: [
        { actionId: 'cover', label: 'Cover', value: 'shift-1', style: 'primary' },
        { actionId: 'later', label: ':x: Later', value: '' },
      ],
      summary: 'Cover needed',
    });
    expect(out.message).toBe(`#### Cover @${WJ}here \\*now\\*\n\nAlice is **off**\n\nref \`r1\``);
    expect(out.props).toEqual({
      attachments: [
        {
          fallback: 'Cover needed',
          fields: [
            { title: 'Team', value: '**core**', short: true },
            { title: 'Notes', value: 'n', short: false },
          ],
          actions: [
            { id: 'cover', name: 'Cover', type: 'button', style: 'primary', integration: integration({ actionId: 'cover', label: '', value: 'shift-1' }) },
            { id: 'later', name: `:${WJ}x: Later`, type: 'button', style: 'default', integration: integration({ actionId: 'later', label: '', value: '' }) },
          ],
        },
      ],
    });
  });

  it('no attachment without fields or buttons', () => {
    expect(post({ body: 'hi', summary: 'hi' }).props).toEqual({});
  });

  it('refuses button ids Mattermost cannot route', () => {
    expect(() => post({ body: '', summary: '', buttons: [{ actionId: 'cover_1', label: 'x', value: '' }] })).toThrow(/letters and digits only/);
  });

  it('cuts the message at the post limit and closes an open code fence', () => {
    const out = post({ body: `intro\n\n\`\`\`\n${'line of code\n'.repeat(3000)}\`\`\``, summary: 's' });
    expect(out.message.length).toBeLessThanOrEqual(MATTERMOST_MESSAGE);
    expect(out.message.endsWith(`\n\`\`\`\n${TRUNCATION_NOTE}`)).toBe(true);
  });
});
