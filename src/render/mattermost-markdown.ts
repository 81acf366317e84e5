/**
 * Neutral markup to Mattermost markdown (https://docs.mattermost.com/collaborate/format-messages.html).
 *
 * Literal text is made inert in two ways:
 * - markdown: backslash escapes for `\ * _ ` [ ] < > | ~` (not for `_` inside a word), and for characters that only matter at
 *   the start of a line (`#`, `-`, `+`, `=`, `1.`), leading spaces become no-break spaces so they
 *   cannot open an indented code block;
 * - Mattermost's own text features run on the rendered text, where backslashes are gone, so a
 *   WORD JOINER (U+2060) breaks them: after every `@` (mentions, incl. @channel/@here/@all; the
 *   server also finds mentions after "." "-" ":" inside words), after `~` (channel links), after `#` before a letter
 *   (hashtags), after the first colon of `:name:` and of emoticons like " :)" (emoji).
 */
import type { Block, Inline } from './markup.js';
import { mentionName } from './plain.js';
import { dateText, type SerializeOptions } from './serialize-options.js';

const WJ = '\u2060';
const NBSP = '\u00A0';
const ESCAPE = new Set(['\\', '*', '_', '`', '[', ']', '<', '>', '|', '~']);
const USERNAME = /^[a-z0-9._-]{1,64}$/;
/** Names Mattermost treats as group mentions; never emit them as a mention. */
const RESERVED = new Set(['channel', 'here', 'all', 'everyone']);
const isAlnum = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const EMOTICON_TAIL = /^-?[()DPpOo|/\\*'$@[\]{}]/;

interface State {
  /** Whether the next character written starts a line. */
  lineStart: boolean;
}

/** Literal text as markdown that renders as this text and triggers no Mattermost feature. */
export function mmText(s: string, state: State = { lineStart: false }): string {
  let out = '';
  const chars = Array.from(s);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const prev = chars[i - 1];
    const next = chars[i + 1];
    if (state.lineStart) {
      if (ch === ' ' || ch === '\t') {
        out += NBSP;
        continue;
      }
      state.lineStart = false;
      if (ch === '#' || ch === '-' || ch === '+' || ch === '=') {
        out += `\\${ch}`;
        if (ch === '#' && /\p{L}/u.test(next ?? '')) out += WJ;
        continue;
      }
      const ordered = /^\d{1,9}[.)]/.exec(chars.slice(i, i + 11).join(''));
      if (ordered) {
        out += `${ordered[0].slice(0, -1)}\\${ordered[0].slice(-1)}`;
        i += ordered[0].length - 1;
        continue;
      }
    }
    if (ch === '\n') {
      out += ch;
      state.lineStart = true;
      continue;
    }
    // Intraword underscores never emphasize (GFM), so snake_case and zone names stay readable.
    const intraword = ch === '_' && isAlnum(prev) && isAlnum(next);
    out += ESCAPE.has(ch) && !intraword ? `\\${ch}` : ch;
    if (ch === '@') out += WJ;
    else if (ch === '~') out += WJ;
    else if (ch === '#' && /\p{L}/u.test(next ?? '')) out += WJ;
    else if (ch === ':' && /^[a-z0-9_+'-]+:/i.test(chars.slice(i + 1, i + 40).join(''))) out += WJ;
    else if ((ch === ':' || ch === ';') && (prev === undefined || /\s/.test(prev)) && EMOTICON_TAIL.test(next ?? '')) out += WJ;
    else if (ch === '<' && next === '3') out += WJ;
  }
  return out;
}

/** Text shown without markdown (attachment field titles, button names, fallback): joiners only. */
export function mmPlain(s: string): string {
  return mmText(s)
    .replace(/\\(.)/gs, '$1')
    .replace(/\u00A0/g, ' ');
}

/** Inline code or a fence: delimiter longer than any backtick run inside. */
function fenceFor(s: string, min: number): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  return '`'.repeat(Math.max(min, longest + 1));
}

/** Group mentions inside code are harmless on the server, but some clients highlight them. */
function codeText(s: string): string {
  return s.replace(/(^|[^A-Za-z0-9_])@(channel|here|all|everyone)\b/gi, `$1@${WJ}$2`);
}

function wrap(marker: string, inner: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
  if (!m[2]) return inner;
  return `${m[1]}${marker}${m[2]}${marker}${m[3]}`;
}

function linkUrl(url: string): string {
  return url.replace(/[()<>\s\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function mmInline(nodes: Inline[], opts: SerializeOptions, state: State = { lineStart: false }): string {
  let out = '';
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        out += mmText(n.text, state);
        continue;
      case 'bold':
        out += wrap('**', mmInline(n.children, opts, state));
        break;
      case 'italic':
        out += wrap('_', mmInline(n.children, opts, state));
        break;
      case 'strike':
        out += wrap('~~', mmInline(n.children, opts, state));
        break;
      case 'code': {
        if (!n.text) break;
        const text = codeText(n.text.replace(/\n/g, ' '));
        const fence = fenceFor(text, 1);
        const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
        out += `${fence}${pad}${text}${pad}${fence}`;
        break;
      }
      case 'link':
        out += `[${mmInline(n.children, opts, state)}](${linkUrl(n.url)})`;
        break;
      case 'mention':
        out += mmMention(n.ref, opts);
        break;
      case 'date':
        out += mmText(dateText(n.date, n.style, opts), state);
        break;
    }
    state.lineStart = false;
  }
  return out;
}

/**
 * `@username` when the reference resolves to a Mattermost user, else the name as text. A word
 * joiner follows so text right after it ("@alice's") cannot extend the username.
 */
export function mmMention(ref: string, opts: SerializeOptions): string {
  const resolved = opts.mentions(ref);
  const username = resolved?.mattermost ?? (ref.startsWith('mattermost:') ? ref.slice('mattermost:'.length) : undefined);
  if (username && USERNAME.test(username) && !RESERVED.has(username)) return `@${username}${WJ}`;
  return mmText(mentionName(ref, opts));
}

export function mmBlock(block: Block, opts: SerializeOptions): string {
  switch (block.type) {
    case 'paragraph':
      return mmInline(block.content, opts, { lineStart: true });
    case 'bullets':
      // Continuation lines are indented so they stay inside the item.
      // An item's text starts a line of its own for markdown: "- - x" would nest a list.
      return block.items.map((item) => `- ${mmInline(item, opts, { lineStart: true }).replace(/\n/g, '\n  ')}`).join('\n');
    case 'quote':
      return `> ${mmInline(block.content, opts, { lineStart: true }).replace(/\n/g, '\n> ')}`;
    case 'code': {
      const text = codeText(block.text);
      const fence = fenceFor(text, 3);
      return `${fence}\n${text}\n${fence}`;
    }
  }
}
