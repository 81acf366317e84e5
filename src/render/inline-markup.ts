/**
 * The inline half of the markup parser (markup.ts parses blocks and hands each line here):
 * emphasis, code spans, links, mentions and date tokens within one line. Each kind of syntax has
 * its own small reader; all of them append to the same output list and return where parsing
 * continues, so one line is read left to right exactly once.
 */
import { isAlnum, LineIndex } from './markup-line-index.js';
import { DATE_AT, isSafeUrl, MENTION_AT, unescapeMarkup, type DateStyle, type Inline } from './markup-syntax.js';

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
  let i = 0;
  while (i < s.length) i = readAt(s, i, idx, out, depth);
  return out;
}

/** Lines of one paragraph or quote as a single inline run, joined by line breaks. */
export function parseLines(lines: string[]): Inline[] {
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

/** Read whatever starts at `i` into `out`; returns the index where reading continues. */
function readAt(s: string, i: number, idx: LineIndex, out: Inline[], depth: number): number {
  const ch = s[i]!;
  switch (ch) {
    case '\\':
      pushText(out, i + 1 < s.length ? s[i + 1]! : '\\');
      return i + 2;
    case '*':
    case '~':
      if (s[i + 1] === ch) return readDoubled(s, i, idx, out, depth);
      break;
    case '_':
      if (!isAlnum(s[i - 1])) return readItalic(s, i, idx, out, depth);
      break;
    case '`':
      return readCode(s, i, idx, out);
    case '[': {
      const end = readLink(s, i, idx, out, depth);
      if (end >= 0) return end;
      break;
    }
    case '<': {
      const end = readToken(s, i, out);
      if (end >= 0) return end;
      break;
    }
    default:
      return readPlain(s, i, out);
  }
  // A would-be opener that opens nothing is literal text.
  pushText(out, ch);
  return i + 1;
}

/** `**bold**` or `~~strike~~` at `i` (the doubled delimiter is known to be there). */
function readDoubled(s: string, i: number, idx: LineIndex, out: Inline[], depth: number): number {
  const ch = s[i]!;
  const end = (ch === '*' ? idx.bold : idx.strike)[i + 2]!;
  if (end <= i + 2) {
    pushText(out, ch + ch);
    return i + 2;
  }
  out.push({ type: ch === '*' ? 'bold' : 'strike', children: parseInline(s.slice(i + 2, end), depth + 1) });
  return end + 2;
}

function readItalic(s: string, i: number, idx: LineIndex, out: Inline[], depth: number): number {
  const end = idx.italic[i + 1]!;
  if (end <= i + 1) {
    pushText(out, '_');
    return i + 1;
  }
  out.push({ type: 'italic', children: parseInline(s.slice(i + 1, end), depth + 1) });
  return end + 1;
}

function readCode(s: string, i: number, idx: LineIndex, out: Inline[]): number {
  const end = idx.tick[i + 1]!;
  if (end <= i + 1) {
    pushText(out, '`');
    return i + 1;
  }
  out.push({ type: 'code', text: unescapeMarkup(s.slice(i + 1, end)) });
  return end + 1;
}

/** A link at `i`, or -1. A target that is not a safe URL is shown as text after its label. */
function readLink(s: string, i: number, idx: LineIndex, out: Inline[], depth: number): number {
  const link = matchLink(s, i, idx);
  if (!link) return -1;
  const children = parseInline(link.label, depth + 1);
  if (isSafeUrl(link.url)) out.push({ type: 'link', url: link.url, children });
  else {
    for (const c of children) c.type === 'text' ? pushText(out, c.text) : out.push(c);
    pushText(out, ` (${link.url})`);
  }
  return link.end;
}

/** A mention or date token at `i`, or -1. */
function readToken(s: string, i: number, out: Inline[]): number {
  MENTION_STICKY.lastIndex = i;
  const mention = MENTION_STICKY.exec(s);
  if (mention) {
    out.push({ type: 'mention', ref: mention[1]! });
    return i + mention[0].length;
  }
  DATE_STICKY.lastIndex = i;
  const date = DATE_STICKY.exec(s);
  if (date) {
    const d = new Date(date[1]!);
    if (!Number.isNaN(d.getTime())) {
      out.push({ type: 'date', date: d, style: date[2] as DateStyle });
      return i + date[0].length;
    }
  }
  return -1;
}

/** A run of plain text up to the next character that could be syntax. */
function readPlain(s: string, i: number, out: Inline[]): number {
  INLINE_SPECIAL.lastIndex = i + 1;
  const next = INLINE_SPECIAL.exec(s);
  const end = next ? next.index : s.length;
  pushText(out, s.slice(i, end));
  return end;
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
