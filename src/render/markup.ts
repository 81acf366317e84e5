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
import { parseInline, parseLines } from './inline-markup.js';
import { unescapeMarkup, type Block, type Inline } from './markup-syntax.js';

// The vocabulary and the inline parser live in their own modules; they are exported from here so
// this stays the one module to import markup from.
export { DATE_STYLES, MENTION_REF, dateToken, escapeMarkup, isMentionRef, isSafeUrl, mentionToken, unescapeMarkup, type Block, type DateStyle, type Inline } from './markup-syntax.js';
export { parseInline } from './inline-markup.js';

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

/** Index of the next unescaped `needle` at or after `from`, or -1. */
function findUnescaped(s: string, needle: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s.startsWith(needle, i)) return i;
  }
  return -1;
}
