/**
 * The vocabulary of Day2's neutral markup (the format itself is described in markup.ts): the
 * parsed tree's types, escaping and unescaping, and the builders for mention and date tokens.
 * It sits below both parsers so helpers and serializers can share it without a cycle.
 */
import type { Markup } from '../chat/message.js';

export type DateStyle = 'date' | 'time' | 'datetime' | 'relative';
export const DATE_STYLES: readonly DateStyle[] = ['date', 'time', 'datetime', 'relative'];

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'bold' | 'italic' | 'strike'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; url: string; children: Inline[] }
  | { type: 'mention'; ref: string }
  | { type: 'date'; date: Date; style: DateStyle };

export type Block =
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'bullets'; items: Inline[][] }
  | { type: 'quote'; content: Inline[] }
  | { type: 'code'; text: string };

/** A mention reference: a Day2 person, a Slack user id or a Mattermost username. */
export const MENTION_REF = /^(?:person:[a-z0-9][a-z0-9-]{0,62}|slack:[UW][A-Z0-9]{2,}|mattermost:[a-z0-9._-]{1,64})$/;
/** A mention token `<@REF>` at the start of a string. */
export const MENTION_AT = /^<@((?:person:[a-z0-9][a-z0-9-]{0,62}|slack:[UW][A-Z0-9]{2,}|mattermost:[a-z0-9._-]{1,64}))>/;
/** A date token `<!date:ISO|STYLE>` at the start of a string. */
export const DATE_AT = /^<!date:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z)\|(date|time|datetime|relative)>/;
const SAFE_URL = /^(?:https?:\/\/[^\s]+|mailto:[^\s]+)$/i;

const ESCAPED = new Set(['\\', '*', '_', '~', '`', '[', ']', '(', ')', '<', '>', '!', '@', '#', '|', '\n']);

/** Make arbitrary text literal: no formatting, token, link, marker line or mention can result. */
export function escapeMarkup(text: string): Markup {
  let out = '';
  let lineStart = true;
  for (const ch of text) {
    if (ESCAPED.has(ch) || (lineStart && ch === '-')) out += '\\';
    out += ch;
    lineStart = ch === '\n';
  }
  return out;
}

/** Remove the backslash escapes without interpreting anything else (for opaque values). */
export function unescapeMarkup(m: Markup): string {
  let out = '';
  for (let i = 0; i < m.length; i++) {
    const ch = m[i]!;
    if (ch === '\\' && i + 1 < m.length) {
      out += m[i + 1]!;
      i++;
    } else out += ch;
  }
  return out;
}

export function isMentionRef(ref: string): boolean {
  return MENTION_REF.test(ref);
}

export function mentionToken(ref: string): Markup {
  if (!isMentionRef(ref)) throw new Error(`invalid mention reference "${ref}": use person:<id>, slack:<U123> or mattermost:<username>`);
  return `<@${ref}>`;
}

export function dateToken(date: Date, style: DateStyle): Markup {
  if (Number.isNaN(date.getTime())) throw new Error('dateToken: invalid date');
  if (!DATE_STYLES.includes(style)) throw new Error(`dateToken: style must be one of ${DATE_STYLES.join(', ')}, got "${String(style)}"`);
  return `<!date:${date.toISOString()}|${style}>`;
}

export function isSafeUrl(url: string): boolean {
  return SAFE_URL.test(url);
}
