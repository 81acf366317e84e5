/**
 * Turns a rendered template (neutral markup with marker lines) into an OutboundMessage.
 *
 * Marker lines start at column 0 with "@" (the format is documented in templates/README.md):
 *   @title [text]            heading, plain text
 *   @body [text]             main text (also: everything before the first marker)
 *   (@title, @context and @summary with text on the marker line are one line long; the lines
 *   after them continue the body. Without text, the section runs to the next marker.)
 *   @field <Label>           a field; its value is on the following lines
 *   @field! <Label>          a short field (may sit beside another)
 *   @context [text]          small print
 *   @summary [text]          notification text; derived from title and body when absent
 *   @button <actionId> [primary|danger] [value=<value>]
 *                            a button; its label is on the next line, an optional confirmation
 *                            prompt on the lines after it
 * escapeMarkup escapes "@", so a value rendered into a template can never start a marker line.
 */
import type { Button, ButtonStyle, Markup, MessageField, OutboundMessage } from '../chat/message.js';
import { MATTERMOST_ACTION_ID } from './limits.js';
import { parseMarkup, splitLines, unescapeMarkup } from './markup.js';
import { blocksToPlain, markupToPlain } from './plain.js';
import type { SerializeOptions } from './serialize-options.js';

/** Heading length after rendering (OutboundMessage.title, Slack header limit). */
const TITLE_MAX = 150;
/** Derived summaries are notification previews: keep them short. */
const DERIVED_SUMMARY_MAX = 300;

const MARKER = /^@(title|body|context|summary|field!?|button)(?:[ \t]+([\s\S]*))?$/;
const BUTTON_ARGS = /^(\S+)(?:[ \t]+(primary|danger|default))?(?:[ \t]+value=([\s\S]*))?$/;

interface Draft {
  title: string[];
  body: string[];
  context: string[];
  summary: string[];
  fields: { label: string; short: boolean; lines: string[] }[];
  buttons: { args: string; lines: string[] }[];
}

export function toOutboundMessage(output: string, plain: SerializeOptions, templateName = '(inline)'): OutboundMessage {
  const draft: Draft = { title: [], body: [], context: [], summary: [], fields: [], buttons: [] };
  let target: string[] = draft.body;
  for (const line of splitLines(output)) {
    if (!line.startsWith('@')) {
      target.push(line);
      continue;
    }
    const m = MARKER.exec(line);
    if (!m) throw new Error(`template "${templateName}": unknown marker line "${line.slice(0, 40)}" (known: @title, @body, @field, @field!, @context, @summary, @button)`);
    const [, kind, rest = ''] = m;
    switch (kind) {
      case 'field':
      case 'field!': {
        const label = collapse(markupToPlain(rest, plain));
        if (!label) throw new Error(`template "${templateName}": @field needs a label on the same line`);
        draft.fields.push({ label, short: kind === 'field!', lines: [] });
        target = draft.fields[draft.fields.length - 1]!.lines;
        break;
      }
      case 'button':
        draft.buttons.push({ args: rest, lines: [] });
        target = draft.buttons[draft.buttons.length - 1]!.lines;
        break;
      default:
        target = draft[kind as 'title' | 'body' | 'context' | 'summary'];
        // "@title Text" is a complete one-line section: the lines after it are body again.
        if (rest.trim()) {
          target.push(rest);
          if (kind !== 'body') target = draft.body;
        }
    }
  }

  const msg: OutboundMessage = { body: section(draft.body), summary: '' };
  const title = collapse(markupToPlain(section(draft.title), plain));
  if (title) msg.title = cut(title, TITLE_MAX);
  const fields: MessageField[] = [];
  for (const f of draft.fields) {
    const value = section(f.lines);
    if (value) fields.push(f.short ? { label: f.label, value, short: true } : { label: f.label, value });
  }
  if (fields.length > 0) msg.fields = fields;
  const context = section(draft.context);
  if (context) msg.context = context;
  const buttons = draft.buttons.map((b) => toButton(b, plain, templateName));
  if (buttons.length > 0) msg.buttons = buttons;
  const summary = section(draft.summary);
  msg.summary = summary ? markupToPlain(summary, plain).trim() : deriveSummary(msg, plain);
  return msg;
}

function toButton(b: Draft['buttons'][number], plain: SerializeOptions, templateName: string): Button {
  const m = BUTTON_ARGS.exec(b.args.trim());
  if (!m) throw new Error(`template "${templateName}": @button needs "<actionId> [primary|danger] [value=…]"`);
  const [, rawId, style, rawValue] = m;
  const actionId = unescapeMarkup(rawId!);
  if (!MATTERMOST_ACTION_ID.test(actionId)) {
    throw new Error(`template "${templateName}": button action id "${actionId}" must be letters and digits only (Mattermost routes clicks on [A-Za-z0-9]+)`);
  }
  const lines = section(b.lines);
  const [labelLine = '', ...confirmLines] = splitLines(lines);
  const label = collapse(markupToPlain(labelLine, plain));
  if (!label) throw new Error(`template "${templateName}": @button ${actionId} needs its label on the next line`);
  const button: Button = { actionId, label, value: unescapeMarkup(rawValue ?? '').trim() };
  if (style) button.style = style as ButtonStyle;
  const confirm = collapse(markupToPlain(confirmLines.join('\n'), plain));
  if (confirm) button.confirm = confirm;
  return button;
}

function deriveSummary(msg: OutboundMessage, plain: SerializeOptions): string {
  const firstBlock = parseMarkup(msg.body)[0];
  const lead = firstBlock ? collapse(blocksToPlain([firstBlock], plain).split('\n')[0] ?? '') : '';
  const text = msg.title && lead ? `${msg.title} — ${lead}` : (msg.title ?? lead);
  return cut(text, DERIVED_SUMMARY_MAX);
}

/**
 * Join a section's lines: whitespace-only lines become empty, runs of empty lines collapse to
 * one, and leading/trailing blank space (escaped line breaks included) is dropped.
 */
function section(lines: string[]): Markup {
  const out: string[] = [];
  for (const raw of lines) {
    const line = /^[ \t]*$/.test(raw) ? '' : raw;
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  if (out.length === 0) return '';
  out[0] = trimMarkupStart(out[0]!);
  out[out.length - 1] = trimMarkupEnd(out[out.length - 1]!);
  return out.join('\n').trim() === '' ? '' : out.join('\n');
}

/** Split raw markup into units: an escape pair or one character. */
function units(m: string): string[] {
  const u: string[] = [];
  for (let i = 0; i < m.length; i++) {
    if (m[i] === '\\' && i + 1 < m.length) {
      u.push(m.slice(i, i + 2));
      i++;
    } else u.push(m[i]!);
  }
  return u;
}

const isBlank = (unit: string) => /^\\?\s$/.test(unit);

function trimMarkupEnd(m: string): string {
  const u = units(m);
  while (u.length > 0 && isBlank(u[u.length - 1]!)) u.pop();
  return u.join('');
}

function trimMarkupStart(m: string): string {
  const u = units(m);
  let i = 0;
  while (i < u.length && isBlank(u[i]!)) i++;
  return u.slice(i).join('');
}

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function cut(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}
