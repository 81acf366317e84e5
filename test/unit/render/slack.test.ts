import { describe, expect, it } from 'vitest';
import type { Button, OutboundMessage } from '../../../src/chat/message.js';
import {
  SLACK_ACTIONS_ELEMENTS,
  SLACK_BUTTON_TEXT,
  SLACK_FIELD_TEXT,
  SLACK_MAX_BLOCKS,
  SLACK_MESSAGE_TEXT,
  SLACK_SECTION_FIELDS,
  SLACK_SECTION_TEXT,
  SLACK_TOTAL_BLOCK_TEXT,
  TRUNCATION_NOTE,
} from '../../../src/render/limits.js';
import { dateToken } from '../../../src/render/markup.js';
import { toSlackMessage } from '../../../src/render/slack.js';
import { OPTS } from './fixtures.js';

type AnyBlock = Record<string, any>;
const body = (markup: string): string => {
  const blocks = toSlackMessage({ body: markup, summary: 's' }, OPTS).blocks as AnyBlock[];
  return blocks.map((b) => b.text?.text ?? '').join('\n\n');
};
const unix = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);
const blockText = (blocks: AnyBlock[]) =>
  blocks.reduce((n, b) => n + (b.text?.text?.length ?? 0) + (b.fields ?? []).reduce((m: number, f: AnyBlock) => m + f.text.length, 0), 0);

describe('mrkdwn', () => {
  it.each([
    ['bold, italic, strike, code', '**b** _i_ ~~s~~ `c`', '*b* _i_ ~s~ `c`'],
    ['formatting keeps edge spaces outside', '** b **', ' *b* '],
    ['nested', '**a _b_**', '*a _b_*'],
    ['link', '[the docs](https://x.example/a?b=1&c=2|3)', '<https://x.example/a?b=1&amp;c=2%7C3|the docs>'],
    ['link label is text', '[**x** <y>](https://x.example)', '<https://x.example|x &lt;y&gt;>'],
    ['mention of a person with a Slack id', 'hi <@person:alice>', 'hi <@U0ALICE>'],
    ['mention of a person without one falls back to the name', 'hi <@person:bob>', 'hi Bob Only-Mattermost'],
    ['native Slack mention needs no directory', '<@slack:U0XYZ>', '<@U0XYZ>'],
    ['unknown Mattermost user shows the username as text', '<@mattermost:carol>', 'carol'],
    ['unknown person shows the id', '<@person:zed>', 'zed'],
    ['bullets', '- one\n- two', '• one\n• two'],
    ['quote', '> a\n> b', '> a\n> b'],
    ['code block keeps markup, escapes entities and fences', '```\n**x** <y> & \\`\\`\\`z\n```', '```\n**x** &lt;y&gt; &amp; ˋˋˋz\n```'],
    ['code span with backtick', '`a\\`b`', '`aˋb`'],
    ['paragraphs', 'a\n\nb', 'a\n\nb'],
  ])('%s', (_name, markup, expected) => {
    expect(body(markup)).toBe(expected);
  });

  it('date tokens carry the instant and a fallback in the configured zone, across the spring DST change', () => {
    // Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST.
    expect(body(dateToken(new Date('2026-03-29T00:30:00Z'), 'datetime'))).toBe(
      `<!date^${unix('2026-03-29T00:30:00Z')}^{date_short_pretty} {time}|Sun 29 Mar 2026, 01:30 CET>`,
    );
    expect(body(dateToken(new Date('2026-03-29T01:30:00Z'), 'time'))).toBe(
      `<!date^${unix('2026-03-29T01:30:00Z')}^{time}|03:30 CEST>`,
    );
    expect(body(dateToken(new Date('2026-12-01T09:00:00Z'), 'date'))).toBe(`<!date^${unix('2026-12-01T09:00:00Z')}^{date_short_pretty}|Tue 1 Dec 2026>`);
    expect(body(dateToken(new Date('2026-12-01T09:00:00Z'), 'relative'))).toBe(
      `<!date^${unix('2026-12-01T09:00:00Z')}^{ago}|in 3 days, Tue 1 Dec 2026, 10:00 CET>`,
    );
  });
});

describe('Block Kit layout', () => {
  const msg: OutboundMessage = {
    title: 'Cover needed',
    body: 'Alice is **off**',
    fields: [
      { label: 'Team', value: 'core', short: true },
      { label: 'When', value: 'today', short: true },
      { label: 'Notes', value: 'long notes' },
    ],
    context: 'ref `r1`',
    buttons: [
      { actionId: 'cover', label: 'Cover', value: 'shift-1', style: 'primary' },
      { actionId: 'drop', label: 'Drop', value: 'shift-1', style: 'danger', confirm: 'Drop it?' },
      { actionId: 'later', label: 'Later', value: '' },
    ],
    summary: 'Cover needed — Alice is off <!here>',
  };

  it('header, body, fields, context, actions with stable ids', () => {
    const out = toSlackMessage(msg, OPTS);
    expect(out.text).toBe('Cover needed — Alice is off &lt;!here&gt;');
    expect(out.blocks).toEqual([
      { type: 'header', block_id: 'day2-title', text: { type: 'plain_text', text: 'Cover needed', emoji: true } },
      { type: 'section', block_id: 'day2-body-0', text: { type: 'mrkdwn', text: 'Alice is *off*' } },
      {
        type: 'section',
        block_id: 'day2-fields-0',
        fields: [
          { type: 'mrkdwn', text: '*Team*\ncore' },
          { type: 'mrkdwn', text: '*When*\ntoday' },
        ],
      },
      { type: 'section', block_id: 'day2-fields-1', text: { type: 'mrkdwn', text: '*Notes*\nlong notes' } },
      { type: 'context', block_id: 'day2-context', elements: [{ type: 'mrkdwn', text: 'ref `r1`' }] },
      {
        type: 'actions',
        block_id: 'day2-actions-0',
        elements: [
          { type: 'button', action_id: 'cover', text: { type: 'plain_text', text: 'Cover', emoji: true }, value: 'shift-1', style: 'primary' },
          {
            type: 'button',
            action_id: 'drop',
            text: { type: 'plain_text', text: 'Drop', emoji: true },
            value: 'shift-1',
            style: 'danger',
            confirm: {
              title: { type: 'plain_text', text: 'Are you sure?', emoji: true },
              text: { type: 'plain_text', text: 'Drop it?', emoji: true },
              confirm: { type: 'plain_text', text: 'Yes', emoji: true },
              deny: { type: 'plain_text', text: 'Cancel', emoji: true },
              style: 'danger',
            },
          },
          { type: 'button', action_id: 'later', text: { type: 'plain_text', text: 'Later', emoji: true } },
        ],
      },
    ]);
  });

  it('is deterministic: the same message gives the same blocks', () => {
    expect(toSlackMessage(msg, OPTS)).toEqual(toSlackMessage(structuredClone(msg), OPTS));
  });
});

describe('limits', () => {
  const base = { summary: 'x' };

  it('splits a long body into sections of at most 3000 characters on paragraph boundaries', () => {
    const paragraphs = Array.from({ length: 20 }, (_, i) => `${i} ${'p'.repeat(700)}`);
    const out = toSlackMessage({ ...base, body: paragraphs.join('\n\n') }, OPTS);
    const sections = out.blocks as AnyBlock[];
    expect(sections.length).toBeGreaterThan(4);
    for (const s of sections.filter((b) => b.type === 'section')) {
      expect(s.text.text.length).toBeLessThanOrEqual(SLACK_SECTION_TEXT);
      // Each section starts with a whole paragraph.
      expect(s.text.text).toMatch(/^\d+ p/);
    }
  });

  it('splits one huge paragraph and one huge code block, re-fencing the code', () => {
    const out = toSlackMessage({ ...base, body: `${'word '.repeat(1000)}\n${'line\n'.repeat(400)}\n\n\`\`\`\n${'code line\n'.repeat(400)}\`\`\`` }, OPTS);
    for (const s of out.blocks as AnyBlock[]) {
      if (s.type === 'section') expect(s.text.text.length).toBeLessThanOrEqual(SLACK_SECTION_TEXT);
    }
    const code = (out.blocks as AnyBlock[]).filter((b) => b.text?.text.startsWith('```'));
    expect(code.length).toBeGreaterThan(1);
    for (const c of code) expect(c.text.text).toMatch(/^```\n[\s\S]*\n```$/);
  });

  it('never exceeds 50 blocks or the total text budget, and says so visibly', () => {
    const fields = Array.from({ length: 200 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(100) }));
    const buttons: Button[] = Array.from({ length: 10 }, (_, i) => ({ actionId: `b${i}`, label: `B${i}`, value: String(i) }));
    const out = toSlackMessage({ ...base, title: 'T', body: 'b', fields, buttons, context: 'c' }, OPTS);
    const blocks = out.blocks as AnyBlock[];
    expect(blocks.length).toBeLessThanOrEqual(SLACK_MAX_BLOCKS);
    expect(blockText(blocks)).toBeLessThanOrEqual(SLACK_TOTAL_BLOCK_TEXT + 200);
    expect(blocks.some((b) => b.block_id === 'day2-truncated' && b.elements[0].text === TRUNCATION_NOTE)).toBe(true);
    // Buttons and small print survive truncation.
    expect(blocks.at(-1)).toMatchObject({ type: 'actions' });
    expect(blocks.some((b) => b.block_id === 'day2-context')).toBe(true);
  });

  it('cuts a body that exceeds the total text budget', () => {
    const out = toSlackMessage({ ...base, body: Array.from({ length: 10 }, () => 'x'.repeat(2900)).join('\n\n') }, OPTS);
    const blocks = out.blocks as AnyBlock[];
    expect(blockText(blocks)).toBeLessThanOrEqual(SLACK_TOTAL_BLOCK_TEXT + TRUNCATION_NOTE.length);
    expect(blocks.at(-1)).toMatchObject({ block_id: 'day2-truncated' });
  });

  it('groups short fields ten per section and cuts long values', () => {
    const fields = Array.from({ length: 25 }, (_, i) => ({ label: `F${i}`, value: 'v'.repeat(i === 0 ? 5000 : 10), short: true }));
    const out = toSlackMessage({ ...base, body: '', fields }, OPTS);
    const sections = out.blocks as AnyBlock[];
    expect(sections.map((s) => s.fields.length)).toEqual([SLACK_SECTION_FIELDS, SLACK_SECTION_FIELDS, 5]);
    expect(sections[0]!.fields[0].text.length).toBeLessThanOrEqual(SLACK_FIELD_TEXT);
    expect(sections[0]!.fields[0].text.endsWith(TRUNCATION_NOTE)).toBe(true);
  });

  it('puts at most 25 buttons in an actions block and never repeats an action_id within one', () => {
    const buttons: Button[] = Array.from({ length: 30 }, (_, i) => ({ actionId: i === 3 ? 'b1' : `b${i}`, label: 'x'.repeat(100), value: String(i) }));
    const actions = toSlackMessage({ ...base, body: '', buttons }, OPTS).blocks as AnyBlock[];
    expect(actions.map((a) => a.elements.length)).toEqual([3, SLACK_ACTIONS_ELEMENTS, 2]);
    expect(new Set(actions.map((a) => a.block_id)).size).toBe(actions.length);
    for (const a of actions) {
      const ids = a.elements.map((e: AnyBlock) => e.action_id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const e of a.elements) expect(Array.from(e.text.text as string).length).toBeLessThanOrEqual(SLACK_BUTTON_TEXT);
    }
  });

  it('refuses a button value it would have to cut', () => {
    expect(() => toSlackMessage({ ...base, body: '', buttons: [{ actionId: 'a', label: 'A', value: 'v'.repeat(2001) }] }, OPTS)).toThrow(/value is 2001 characters/);
  });

  it('cuts the notification text at 40000 characters without splitting an entity', () => {
    const out = toSlackMessage({ body: '', summary: `${'a'.repeat(39_990)}<<<<<<<<<<` }, OPTS);
    expect(out.text.length).toBeLessThanOrEqual(SLACK_MESSAGE_TEXT);
    expect(out.text).toMatch(/a(&lt;)*\n…\(truncated\)$/);
  });

  it('cuts a long title to the header limit', () => {
    const header = (toSlackMessage({ ...base, body: '', title: 't'.repeat(300) }, OPTS).blocks as AnyBlock[])[0]!;
    expect(Array.from(header.text.text as string)).toHaveLength(150);
  });
});
