/**
 * Any markup a template or code can produce (not only escaped text) serializes without throwing
 * and within every platform limit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/chat/message.js';
import { toConsoleText } from '../../../src/render/console.js';
import { MATTERMOST_MESSAGE, SLACK_FIELD_TEXT, SLACK_MAX_BLOCKS, SLACK_SECTION_TEXT } from '../../../src/render/limits.js';
import { toMattermostPost } from '../../../src/render/mattermost.js';
import { markupToPlain } from '../../../src/render/plain.js';
import { toSlackMessage } from '../../../src/render/slack.js';
import { OPTS } from './fixtures.js';

const token = fc.constantFrom(
  '**', '_', '~~', '`', '```', '[', ']', '(', ')', '](https://a.example/x)', '<@person:alice>', '<@slack:U0X>', '<@mattermost:bob>',
  '<!date:2026-03-29T01:30:00.000Z|relative>', '<!date:2026-03-29T01:30:00.000Z|time>', '\n', '\n\n', '- ', '> ', '\\', '@', '<', '>', '&', ':x:',
);
const markup = fc.array(fc.oneof(token, fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 60 }).map((p) => p.join(''));
const big = fc.tuple(markup, fc.integer({ min: 1, max: 400 })).map(([m, n]) => m.repeat(n));

const message = fc.record({
  title: fc.option(fc.string({ maxLength: 200 }), { nil: undefined }),
  body: fc.oneof(markup, big),
  fields: fc.option(fc.array(fc.record({ label: fc.string({ maxLength: 30 }), value: fc.oneof(markup, big), short: fc.boolean() }), { maxLength: 30 }), { nil: undefined }),
  context: fc.option(markup, { nil: undefined }),
  summary: fc.string({ maxLength: 100 }),
});

describe('serializers on arbitrary markup', () => {
  it('stay within limits and never throw', () => {
    fc.assert(
      fc.property(message, (m) => {
        const msg = m as OutboundMessage;
        const slack = toSlackMessage(msg, OPTS);
        expect(slack.blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
        for (const b of slack.blocks as Record<string, any>[]) {
          if (b.text?.type === 'mrkdwn') expect(b.text.text.length).toBeLessThanOrEqual(SLACK_SECTION_TEXT);
          for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_FIELD_TEXT);
        }
        const mm = toMattermostPost(msg, { ...OPTS, buttonIntegration: () => ({ url: 'http://127.0.0.1/a', context: {} }) });
        expect(mm.message.length).toBeLessThanOrEqual(MATTERMOST_MESSAGE);
        expect(typeof toConsoleText(msg, OPTS)).toBe('string');
        expect(typeof markupToPlain(msg.body, OPTS)).toBe('string');
      }),
      { numRuns: 150 },
    );
  });
});
