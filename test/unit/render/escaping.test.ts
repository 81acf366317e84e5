/**
 * User text inserted with {{text}} must come out as text on every platform: no ping, no mention,
 * no formatting, no link, no section marker.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/chat/message.js';
import { toConsoleText } from '../../../src/render/console.js';
import { toMattermostPost } from '../../../src/render/mattermost.js';
import { toSlackMessage } from '../../../src/render/slack.js';
import type { SerializeOptions } from '../../../src/render/serialize-options.js';
import { inlineRenderer } from './inline-renderer.js';

const opts: SerializeOptions = {
  zone: 'Europe/Berlin',
  mentions: (ref) => (ref === 'person:alice' ? { slack: 'U0ALICE', mattermost: 'alice', name: 'Alice' } : undefined),
};
const mmOpts = { ...opts, buttonIntegration: () => ({ url: 'http://127.0.0.1/actions', context: {} }) };

const HOSTILE = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S123|@team>',
  '@channel',
  '@here',
  '@all',
  '@everyone',
  'x.@here',
  'hi:@channel',
  '<@U999>',
  '<@U999|bob>',
  '@alice',
  '<@person:alice>',
  '*bold*',
  '**bold**',
  '_i_',
  '~s~',
  '~~s~~',
  '`code`',
  '```block```',
  '[x](http://evil)',
  '<http://evil|click me>',
  '{{constructor}}',
  '{{#each this}}x{{/each}}',
  '\n@title pwned',
  '@title pwned',
  '\n@button evil primary value=1\nClick',
  '&lt;!channel&gt;',
  '&amp;lt;!here&amp;gt;',
  '\\<!channel\\>',
  '\\\\@here',
  ':smile: :+1:',
  '# heading',
  '> quote',
  '- bullet',
  '1. ordered',
  '~town-square',
  '#hashtag',
  '<!date^1700000000^{date}|x>',
  '<!date:2026-12-01T09:00:00.000Z|datetime>',
];

/** The Slack strings of a message, by how Slack reads them: mrkdwn (top-level text too) or plain_text. */
function slackStrings(msg: OutboundMessage): { mrkdwn: string[]; plain: string[] } {
  const out = toSlackMessage(msg, opts);
  const strings = { mrkdwn: [out.text], plain: [] as string[] };
  JSON.stringify(out.blocks, (_key, value: unknown) => {
    const v = value as { type?: unknown; text?: unknown };
    if (v && typeof v === 'object' && typeof v.text === 'string') {
      if (v.type === 'mrkdwn') strings.mrkdwn.push(v.text);
      if (v.type === 'plain_text') strings.plain.push(v.text);
    }
    return value;
  });
  return strings;
}

/** Mattermost strings rendered as markdown (message, field values) and as plain text (titles, names, fallback). */
function mattermostStrings(msg: OutboundMessage): { markdown: string[]; plain: string[] } {
  const post = toMattermostPost(msg, mmOpts);
  const attachment = (post.props.attachments?.[0] ?? {}) as { fallback?: string; fields?: { title: string; value: string }[]; actions?: { name: string }[] };
  return {
    markdown: [post.message, ...(attachment.fields ?? []).map((f) => f.value)],
    plain: [attachment.fallback ?? '', ...(attachment.fields ?? []).map((f) => f.title), ...(attachment.actions ?? []).map((a) => a.name)],
  };
}

function mattermostText(msg: OutboundMessage): string {
  const { markdown, plain } = mattermostStrings(msg);
  return [...markdown, ...plain].join('\n');
}

const MM_PING = /(^|[^\w\u2060])@(channel|here|all|everyone|alice)\b/i;

describe('user text is inert', () => {
  let r: Awaited<ReturnType<typeof inlineRenderer>>;
  beforeAll(async () => {
    r = await inlineRenderer({
      plain: '{{text}}',
      sections: '@title {{text}}\n@body\n{{text}}\n@field {{text}}\n{{text}}\n@field! Short\n{{text}}\n@context\n{{text}}\n@button go primary value={{text}}\n{{text}}',
    });
  });
  afterAll(() => r.cleanup());

  it.each(HOSTILE)('%j', (s) => {
    for (const name of ['plain', 'sections']) {
      const msg = r.render(name, { text: s });
      // The neutral message holds the text literally, wherever it was put.
      if (name === 'sections') {
        expect(msg.title).toBe(s.replace(/\s+/g, ' ').trim());
        expect(msg.fields?.[0]?.label).toBe(s.replace(/\s+/g, ' ').trim());
        expect(msg.buttons).toHaveLength(1);
        expect(msg.buttons?.[0]?.actionId).toBe('go');
        // Even a value with line breaks stays on its marker line: the breaks are escaped.
        expect(msg.buttons?.[0]?.value).toBe(s.trim());
        expect(msg.buttons?.[0]?.label).toBe(s.replace(/\s+/g, ' ').trim());
      } else {
        expect(msg.title).toBeUndefined();
        expect(msg.fields).toBeUndefined();
        expect(msg.buttons).toBeUndefined();
      }

      // Slack: entities for < and >, so no token (<!…>, <@…>, <url|…>) comes from the text.
      const slack = slackStrings(msg);
      for (const str of slack.mrkdwn) expect(str).not.toMatch(/<[!@#]|<https?:/);
      for (const str of [...slack.mrkdwn, ...slack.plain]) {
        expect(str).not.toMatch(/(^|[^\w\u2060])@(channel|here|everyone)\b/);
        expect(str).not.toMatch(/:[a-z0-9_+-]+:/);
      }
      if (name === 'plain') {
        // The whole body is user text: no formatting character may survive as itself.
        for (const str of slack.mrkdwn) {
          expect(str).not.toMatch(/[<>*~`]/);
          expect(str).not.toMatch(/(^|[^\p{L}\p{N}])_|_($|[^\p{L}\p{N}])/u);
          expect(str).not.toMatch(/(^|\n)&gt;/);
        }
      }

      // Mattermost: no group or user mention, no channel link, no hashtag, no emoji shortcode.
      const mm = mattermostStrings(msg);
      for (const str of [...mm.markdown, ...mm.plain]) {
        expect(str).not.toMatch(MM_PING);
        expect(str).not.toMatch(/~[a-z]/);
        expect(str).not.toMatch(/#[a-z]/i);
        expect(str).not.toMatch(/:[a-z0-9_+-]+:/);
      }
      for (const str of mm.markdown) {
        expect(str).not.toMatch(/(^|[^\\])[[*_`]/);
        expect(str).not.toMatch(/(^|\n)\s*([-+>]|\d+\.)\s/);
      }

      expect(toConsoleText(msg, opts)).toContain(s.split('\n').filter(Boolean)[0]!.trim());
    }
  });

  it('keeps text readable: Slack shows the same characters (look-alikes aside)', () => {
    const msg = r.render('plain', { text: 'deploy_prod_eu to 10:30 at x@example.com' });
    expect(toSlackMessage(msg, opts).blocks[0]).toMatchObject({ text: { text: 'deploy_prod_eu to 10:30 at x@example.com' } });
  });

  it('property: no ping on either platform for any string', () => {
    const unit = fc.oneof(
      fc.constantFrom('@', '<', '>', '!', '&', ';', ':', 'channel', 'here', 'all', 'everyone', 'alice', ' ', '\n', '.', '-', '*', '_', '|', '\\', '#', '~'),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }).map((parts) => parts.join('')), (s) => {
        const msg = r.render('plain', { text: s });
        for (const str of slackStrings(msg).mrkdwn) expect(str).not.toMatch(/<[!@#]/);
        expect(mattermostText(msg)).not.toMatch(MM_PING);
      }),
      { numRuns: 400 },
    );
  });
});
