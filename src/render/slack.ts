/**
 * OutboundMessage to a Slack message: `text` (notification / fallback) plus Block Kit blocks.
 *
 * Layout: header (title) · sections (body, split at paragraph boundaries to fit) · field sections
 * (short fields two by two, long fields on their own) · context (small print) · actions (buttons).
 * Every Block Kit limit in src/render/limits.ts is respected by cutting visibly ("…(truncated)"),
 * except button ids and values: those are routing data, and cutting them would misroute a click,
 * so an oversized one throws.
 */
import type { Button, OutboundMessage } from '../chat/message.js';
import {
  SLACK_ACTIONS_ELEMENTS,
  SLACK_BUTTON_TEXT,
  SLACK_BUTTON_VALUE,
  SLACK_CONFIRM_BUTTON,
  SLACK_CONFIRM_TEXT,
  SLACK_CONFIRM_TITLE,
  SLACK_CONTEXT_TEXT,
  SLACK_FIELD_TEXT,
  SLACK_HEADER_TEXT,
  SLACK_ID,
  SLACK_MAX_BLOCKS,
  SLACK_MESSAGE_TEXT,
  SLACK_SECTION_FIELDS,
  SLACK_SECTION_TEXT,
  SLACK_TOTAL_BLOCK_TEXT,
  TRUNCATION_NOTE,
} from './limits.js';
import { parseMarkup, type Block } from './markup.js';
import type { SerializeOptions } from './serialize-options.js';
import { slackBlock, slackPlainText, slackText } from './slack-mrkdwn.js';
import { truncateSerialized } from './truncate.js';

type SlackBlock = Record<string, unknown>;

export function toSlackMessage(msg: OutboundMessage, opts: SerializeOptions): { text: string; blocks: SlackBlock[] } {
  const head: SlackBlock[] = [];
  if (msg.title) {
    head.push({ type: 'header', block_id: 'day2-title', text: plainText(msg.title, SLACK_HEADER_TEXT) });
  }
  const content: SlackBlock[] = [
    ...chunkMrkdwn(parseMarkup(msg.body), opts).map((text, i) => section(`day2-body-${i}`, text)),
    ...fieldSections(msg, opts),
  ];
  const tail: SlackBlock[] = [];
  if (msg.context) {
    const text = parseMarkup(msg.context)
      .map((b) => slackBlock(b, opts))
      .join('\n');
    if (text) tail.push({ type: 'context', block_id: 'day2-context', elements: [{ type: 'mrkdwn', text: truncateSerialized(text, SLACK_CONTEXT_TEXT) }] });
  }
  const actions = actionBlocks(msg.buttons ?? []);

  // Block count: buttons are what a reader acts on, so body and fields give way first.
  const room = SLACK_MAX_BLOCKS - head.length - tail.length;
  const keptActions = actions.slice(0, Math.max(0, room - 1));
  const kept = fitContent(content, room - keptActions.length, keptActions.length < actions.length);
  const blocks = [...head, ...kept, ...tail, ...keptActions];

  const summary = msg.summary.trim() || msg.title || '…';
  return { text: truncateSerialized(slackText(summary), SLACK_MESSAGE_TEXT), blocks };
}

function plainText(text: string, max: number): Record<string, unknown> {
  const t = slackPlainText(text);
  return { type: 'plain_text', text: t.length > max ? `${Array.from(t).slice(0, max - 1).join('')}…` : t, emoji: true };
}

function section(blockId: string, text: string): SlackBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text } };
}

function truncatedNote(): SlackBlock {
  return { type: 'context', block_id: 'day2-truncated', elements: [{ type: 'mrkdwn', text: TRUNCATION_NOTE }] };
}

/**
 * Neutral blocks as mrkdwn chunks of at most one section each, joined on block boundaries where
 * possible; a single block that is too long is split by lines (code blocks are re-fenced).
 */
export function chunkMrkdwn(blocks: Block[], opts: SerializeOptions, max = SLACK_SECTION_TEXT): string[] {
  const pieces: string[] = [];
  for (const b of blocks) {
    const text = slackBlock(b, opts);
    if (text.length <= max) pieces.push(text);
    else if (b.type === 'code') pieces.push(...splitCode(b.text, opts, max));
    else pieces.push(...splitLines(text, max));
  }
  const chunks: string[] = [];
  let current = '';
  for (const p of pieces) {
    if (!current) current = p;
    else if (current.length + 2 + p.length <= max) current += `\n\n${p}`;
    else {
      chunks.push(current);
      current = p;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

function splitCode(code: string, opts: SerializeOptions, max: number): string[] {
  const out: string[] = [];
  let lines: string[] = [];
  const render = (ls: string[]) => slackBlock({ type: 'code', text: ls.join('\n') }, opts);
  for (const line of code.split('\n')) {
    if (lines.length > 0 && render([...lines, line]).length > max) {
      out.push(render(lines));
      lines = [];
    }
    lines.push(line);
  }
  if (lines.length > 0) out.push(render(lines));
  // A single line longer than a section is cut.
  return out.map((c) => truncateSerialized(c, max));
}

function splitLines(text: string, max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const l = truncateSerialized(line, max);
    if (!current) current = l;
    else if (current.length + 1 + l.length <= max) current += `\n${l}`;
    else {
      out.push(current);
      current = l;
    }
  }
  if (current) out.push(current);
  return out;
}

function fieldSections(msg: OutboundMessage, opts: SerializeOptions): SlackBlock[] {
  const out: SlackBlock[] = [];
  let short: Record<string, unknown>[] = [];
  const flush = () => {
    if (short.length > 0) out.push({ type: 'section', block_id: `day2-fields-${out.length}`, fields: short });
    short = [];
  };
  for (const f of msg.fields ?? []) {
    const label = `*${slackText(f.label)}*`;
    const value = parseMarkup(f.value)
      .map((b) => slackBlock(b, opts))
      .join('\n\n');
    if (f.short) {
      short.push({ type: 'mrkdwn', text: truncateSerialized(`${label}\n${value}`, SLACK_FIELD_TEXT) });
      if (short.length === SLACK_SECTION_FIELDS) flush();
    } else {
      flush();
      out.push(section(`day2-fields-${out.length}`, truncateSerialized(`${label}\n${value}`, SLACK_SECTION_TEXT)));
    }
  }
  flush();
  return out;
}

/**
 * Keep whole blocks while both the block count and the total text budget allow; otherwise keep
 * what fits (cutting the first text section that does not), then a visible truncation note.
 */
function fitContent(content: SlackBlock[], room: number, forceNote: boolean): SlackBlock[] {
  const total = content.reduce((n, b) => n + textSize(b), 0);
  if (!forceNote && content.length <= room && total <= SLACK_TOTAL_BLOCK_TEXT) return content;
  if (room <= 0) return [];
  const kept: SlackBlock[] = [];
  let budget = SLACK_TOTAL_BLOCK_TEXT;
  for (const block of content) {
    if (kept.length >= room - 1) break;
    const size = textSize(block);
    if (size <= budget) {
      kept.push(block);
      budget -= size;
      continue;
    }
    const text = (block.text as { text?: string } | undefined)?.text;
    if (text && budget > 200) kept.push({ ...block, text: { type: 'mrkdwn', text: truncateSerialized(text, Math.min(budget, SLACK_SECTION_TEXT)) } });
    break;
  }
  kept.push(truncatedNote());
  return kept;
}

function textSize(block: SlackBlock): number {
  const text = (block.text as { text?: string } | undefined)?.text ?? '';
  const fields = (block.fields as { text: string }[] | undefined) ?? [];
  return text.length + fields.reduce((n, f) => n + f.text.length, 0);
}

function actionBlocks(buttons: Button[]): SlackBlock[] {
  const blocks: { elements: Record<string, unknown>[]; ids: Set<string> }[] = [];
  for (const b of buttons) {
    if (!b.actionId || b.actionId.length > SLACK_ID) throw new Error(`button action id "${b.actionId}" must be 1–${SLACK_ID} characters`);
    if (b.value.length > SLACK_BUTTON_VALUE) throw new Error(`button "${b.actionId}": value is ${b.value.length} characters, Slack allows ${SLACK_BUTTON_VALUE}`);
    let current = blocks[blocks.length - 1];
    // action_id must be unique within a block: a repeated id starts a new actions block.
    if (!current || current.elements.length === SLACK_ACTIONS_ELEMENTS || current.ids.has(b.actionId)) {
      current = { elements: [], ids: new Set() };
      blocks.push(current);
    }
    current.ids.add(b.actionId);
    const element: Record<string, unknown> = { type: 'button', action_id: b.actionId, text: plainText(b.label, SLACK_BUTTON_TEXT) };
    if (b.value) element.value = b.value;
    if (b.style && b.style !== 'default') element.style = b.style;
    if (b.confirm) {
      element.confirm = {
        title: plainText('Are you sure?', SLACK_CONFIRM_TITLE),
        text: plainText(b.confirm, SLACK_CONFIRM_TEXT),
        confirm: plainText('Yes', SLACK_CONFIRM_BUTTON),
        deny: plainText('Cancel', SLACK_CONFIRM_BUTTON),
        ...(b.style === 'danger' ? { style: 'danger' } : {}),
      };
    }
    current.elements.push(element);
  }
  return blocks.map((b, i) => ({ type: 'actions', block_id: `day2-actions-${i}`, elements: b.elements }));
}
