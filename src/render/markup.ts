/**
 * Day2's neutral markup: the one text format templates and domain code produce, and that each
 * platform serializer (Slack mrkdwn, Mattermost markdown, console, plain text) re-emits with its
 * own escaping. It is a small markdown subset that both platforms can express.
 *
 * Inline (never spans a line break):
 *   **bold**   _italic_   ~~strike~~   `code`   [label](https://url)
 *   `_` only opens after a non-alphanumeric char and only closes before one, so snake_case stays text.
 *   Links accept http:, https: and mailto: only; any other target is shown as text, not linked.
 *   <@REF>                           mention; REF is `person:<id>` (a person from config),
 *                                    `slack:<U123>` or `mattermost:<username>`
 *   <!date:ISO-8601-UTC|STYLE>       date; STYLE is date | time | datetime | relative
 *                                    e.g. <!date:2026-12-01T09:00:00.000Z|datetime>
 *
 * Blocks (line based; a "line" is what is left between unescaped line breaks):
 *   - item      a line starting with "- " at column 0 is a bullet; consecutive bullets form a list
 *   > quote     a line starting with "> " (or a lone ">") at column 0 is quoted
 *   ```         a fence at column 0 opens a code block that runs to the next unescaped ```;
 *               one newline after the opening and before the closing fence is dropped
 *   paragraphs  other lines; an empty line separates paragraphs; single line breaks are kept
 *
 * Escaping: a backslash makes the next character literal text, everywhere (inside code too),
 * including a line break: "\<newline>" is a literal newline that neither ends a line nor a
 * paragraph. escapeMarkup() backslash-escapes every character that could start markup
 * (\ * _ ~ ` [ ] ( ) < > ! @ # |), every line break, and a "-" at the start of a line, so
 * parseMarkup(escapeMarkup(s)) is always one text run equal to s. Because "@" is escaped, user
 * text can never start one of the template marker lines either (see src/render/sections.ts).
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
const MENTION_AT = /^<@((?:person:[a-z0-9][a-z0-9-]{0,62}|slack:[UW][A-Z0-9]{2,}|mattermost:[a-z0-9._-]{1,64}))>/;
const DATE_AT = /^<!date:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z)\|(date|time|datetime|relative)>/;
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

/**
 * Split at unescaped line breaks. Escape pairs are kept verbatim so the inline parser still sees
 * them; the returned strings are raw markup.
 */
export function splitLines(m: Markup): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < m.length; i++) {
    const ch = m[i];
    if (ch === '\\') i++;
    else if (ch === '\n') {
      lines.push(m.slice(start, i));
      start = i + 1;
    }
  }
  lines.push(m.slice(start));
  return lines;
}

export function parseMarkup(m: Markup): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  const flushPara = () => {
    if (para.length > 0) blocks.push({ type: 'paragraph', content: parseLines(para) });
    para = [];
  };
  // Group consecutive bullet / quote lines; `run` holds the kind being collected.
  let run: { kind: 'bullets'; items: Inline[][] } | { kind: 'quote'; lines: string[] } | undefined;
  const flushRun = () => {
    if (run?.kind === 'bullets') blocks.push({ type: 'bullets', items: run.items });
    if (run?.kind === 'quote') blocks.push({ type: 'quote', content: parseLines(run.lines) });
    run = undefined;
  };
  let pos = 0;
  while (pos <= m.length) {
    const lineEnd = nextLineBreak(m, pos);
    const line = m.slice(pos, lineEnd);
    if (line.startsWith('```')) {
      flushPara();
      flushRun();
      // A fence runs to the next unescaped ``` anywhere after it, possibly many lines later.
      const close = findUnescaped(m, '```', pos + 3);
      const contentEnd = close < 0 ? m.length : close;
      blocks.push({ type: 'code', text: trimFenceNewlines(unescapeMarkup(m.slice(pos + 3, contentEnd))) });
      if (close < 0) break;
      pos = close + 3;
      // Whatever follows the closing fence on its line is parsed as a line of its own.
      if (m[pos] === '\n') pos++;
      else if (pos >= m.length) break;
      continue;
    }
    if (line.startsWith('- ')) {
      flushPara();
      if (run?.kind !== 'bullets') flushRun();
      run ??= { kind: 'bullets', items: [] };
      if (run.kind === 'bullets') run.items.push(parseInline(line.slice(2)));
    } else if (line.startsWith('> ') || line === '>') {
      flushPara();
      if (run?.kind !== 'quote') flushRun();
      run ??= { kind: 'quote', lines: [] };
      if (run.kind === 'quote') run.lines.push(line.slice(2));
    } else if (line.length === 0) {
      flushPara();
      flushRun();
    } else {
      flushRun();
      para.push(line);
    }
    pos = lineEnd + 1;
  }
  flushPara();
  flushRun();
  return blocks;
}

/** Index of the next unescaped line break at or after `from`, or the length of `m`. */
function nextLineBreak(m: string, from: number): number {
  for (let i = from; i < m.length; i++) {
    if (m[i] === '\\') i++;
    else if (m[i] === '\n') return i;
  }
  return m.length;
}

function trimFenceNewlines(s: string): string {
  let t = s.startsWith('\n') ? s.slice(1) : s;
  if (t.endsWith('\n')) t = t.slice(0, -1);
  return t;
}

function parseLines(lines: string[]): Inline[] {
  const out: Inline[] = [];
  lines.forEach((l, idx) => {
    if (idx > 0) pushText(out, '\n');
    for (const n of parseInline(l)) {
      if (n.type === 'text') pushText(out, n.text);
      else out.push(n);
    }
  });
  return out;
}

function pushText(out: Inline[], text: string): void {
  if (text.length === 0) return;
  const last = out[out.length - 1];
  if (last && last.type === 'text') last.text += text;
  else out.push({ type: 'text', text });
}

/** Index of the next unescaped `needle` at or after `from`, or -1. */
function findUnescaped(s: string, needle: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s.startsWith(needle, i)) return i;
  }
  return -1;
}

const isAlnum = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/**
 * Precomputed "where is the next closer" tables for one line, so inline parsing stays linear even
 * for pathological markup ("[a](" or "**" repeated thousands of times) instead of rescanning the
 * rest of the line from every opener.
 */
class LineIndex {
  // Each table is built on first use: most lines need one or two of them, and rendering sits on
  // the acknowledgement path of every command.
  private _tick?: Int32Array;
  private _paren?: Int32Array;
  private _bold?: Int32Array;
  private _strike?: Int32Array;
  private _italic?: Int32Array;
  private _bracket?: Int32Array;
  private _escaped?: Uint8Array;

  constructor(readonly s: string) {}

  /** Which indices are the escaped half of a backslash pair (never syntax). */
  private get escaped(): Uint8Array {
    if (!this._escaped) {
      const s = this.s;
      const escaped = new Uint8Array(s.length + 2);
      for (let i = 0; i < s.length; i++) {
        if (s[i] === '\\') {
          escaped[i + 1] = 1;
          i++;
        }
      }
      this._escaped = escaped;
    }
    return this._escaped;
  }

  private syntaxAt(i: number): boolean {
    return i < this.s.length && !this.escaped[i] && this.s[i] !== '\\';
  }

  /** Next code span closer: the next unescaped backtick at or after i. */
  get tick(): Int32Array {
    return (this._tick ??= this.scan((i) => this.s[i] === '`' && this.syntaxAt(i), false));
  }

  /** Next `)` at or after i (link targets do not skip code). */
  get paren(): Int32Array {
    return (this._paren ??= this.scan((i) => this.s[i] === ')' && this.syntaxAt(i), false));
  }

  /** Closers that skip over code spans, as the delimiters inside code are literal. */
  get bold(): Int32Array {
    return (this._bold ??= this.scan((i) => this.s[i] === '*' && this.s[i + 1] === '*' && this.syntaxAt(i), true));
  }

  get strike(): Int32Array {
    return (this._strike ??= this.scan((i) => this.s[i] === '~' && this.s[i + 1] === '~' && this.syntaxAt(i), true));
  }

  get italic(): Int32Array {
    return (this._italic ??= this.scan((i) => this.s[i] === '_' && this.syntaxAt(i) && !isAlnum(this.s[i + 1]), true));
  }

  /** For each unescaped `[`, the index of its matching `]` (or -1). */
  get bracket(): Int32Array {
    if (!this._bracket) {
      const s = this.s;
      const bracket = new Int32Array(s.length).fill(-1);
      const open: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if ((s[i] !== '[' && s[i] !== ']') || !this.syntaxAt(i)) continue;
        if (s[i] === '[') open.push(i);
        else if (open.length > 0) bracket[open.pop()!] = i;
      }
      this._bracket = bracket;
    }
    return this._bracket;
  }

  /**
   * next[i] = first index j ≥ i where `match(j)`; with `skipCode`, a code span (a backtick and the
   * next backtick after it, when something lies between) is jumped over as a whole.
   */
  private scan(match: (i: number) => boolean, skipCode: boolean): Int32Array {
    const n = this.s.length;
    const tick = skipCode ? this.tick : undefined;
    const next = new Int32Array(n + 2).fill(-1);
    for (let i = n - 1; i >= 0; i--) {
      if (match(i)) next[i] = i;
      else if (tick && tick[i] === i) {
        const end = tick[i + 1]!;
        next[i] = end > i + 1 ? next[end + 1]! : next[i + 1]!;
      } else next[i] = next[i + 1]!;
    }
    return next;
  }
}

/** Characters that may start inline syntax; everything between them is plain text. */
const INLINE_SPECIAL = /[\\*~_`\[<]/g;

const MENTION_STICKY = new RegExp(MENTION_AT.source.slice(1), 'y');
const DATE_STICKY = new RegExp(DATE_AT.source.slice(1), 'y');

/** Nesting beyond this is shown as text: no real message needs it, and recursion must stay bounded. */
const MAX_NESTING = 16;

/** Parse one line of inline markup. Unmatched delimiters are literal text. */
export function parseInline(s: string, depth = 0): Inline[] {
  if (depth > MAX_NESTING) return s.length > 0 ? [{ type: 'text', text: unescapeMarkup(s) }] : [];
  const out: Inline[] = [];
  const idx = new LineIndex(s);
  const text = (t: string) => pushText(out, t);
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '\\') {
      text(i + 1 < s.length ? s[i + 1]! : '\\');
      i += 2;
      continue;
    }
    if ((ch === '*' && s[i + 1] === '*') || (ch === '~' && s[i + 1] === '~')) {
      const end = (ch === '*' ? idx.bold : idx.strike)[i + 2]!;
      if (end > i + 2) {
        out.push({ type: ch === '*' ? 'bold' : 'strike', children: parseInline(s.slice(i + 2, end), depth + 1) });
        i = end + 2;
      } else {
        text(ch + ch);
        i += 2;
      }
      continue;
    }
    if (ch === '_' && !isAlnum(s[i - 1])) {
      const end = idx.italic[i + 1]!;
      if (end > i + 1) {
        out.push({ type: 'italic', children: parseInline(s.slice(i + 1, end), depth + 1) });
        i = end + 1;
      } else {
        text('_');
        i++;
      }
      continue;
    }
    if (ch === '`') {
      const end = idx.tick[i + 1]!;
      if (end > i + 1) {
        out.push({ type: 'code', text: unescapeMarkup(s.slice(i + 1, end)) });
        i = end + 1;
      } else {
        text('`');
        i++;
      }
      continue;
    }
    if (ch === '[') {
      const link = matchLink(s, i, idx);
      if (link) {
        const children = parseInline(link.label, depth + 1);
        if (isSafeUrl(link.url)) out.push({ type: 'link', url: link.url, children });
        else {
          for (const c of children) c.type === 'text' ? text(c.text) : out.push(c);
          text(` (${link.url})`);
        }
        i = link.end;
        continue;
      }
    }
    if (ch === '<') {
      MENTION_STICKY.lastIndex = i;
      const mention = MENTION_STICKY.exec(s);
      if (mention) {
        out.push({ type: 'mention', ref: mention[1]! });
        i += mention[0].length;
        continue;
      }
      DATE_STICKY.lastIndex = i;
      const date = DATE_STICKY.exec(s);
      if (date) {
        const d = new Date(date[1]!);
        if (!Number.isNaN(d.getTime())) {
          out.push({ type: 'date', date: d, style: date[2] as DateStyle });
          i += date[0].length;
          continue;
        }
      }
    }
    if (ch === '*' || ch === '~' || ch === '_' || ch === '[' || ch === '<') {
      text(ch);
      i++;
      continue;
    }
    // A run of plain text up to the next character that could be syntax.
    INLINE_SPECIAL.lastIndex = i + 1;
    const next = INLINE_SPECIAL.exec(s);
    const end = next ? next.index : s.length;
    text(s.slice(i, end));
    i = end;
  }
  return out;
}

/** `[label](url)` starting at `start`: label may nest brackets; url ends at the first unescaped ")". */
function matchLink(s: string, start: number, idx: LineIndex): { label: string; url: string; end: number } | undefined {
  const close = idx.bracket[start]!;
  if (close < 0 || s[close + 1] !== '(') return undefined;
  const end = idx.paren[close + 2]!;
  if (end < 0) return undefined;
  const label = s.slice(start + 1, close);
  const url = unescapeMarkup(s.slice(close + 2, end)).trim();
  if (label.length === 0 || url.length === 0) return undefined;
  return { label, url, end: end + 1 };
}
