/**
 * Splits command text into tokens. Chat users type on phones and in clients that "smarten"
 * quotes, so “smart” quotes count like straight ones. A quote only opens at the start of a token
 * (or right after `key=`), so apostrophes inside words ("O'Brien", "don’t") stay literal.
 *
 * Token kinds:
 *   word    `prod`, `"two words"`
 *   option  `key=value`, `key="quoted value"`, `--key=value`
 *   flag    `--force`
 *
 * The scanner is incremental because a command's last argument may take the rest of the line
 * verbatim (free text with unbalanced quotes must not be a tokenizer error there).
 */
import { InputError } from '../errors.js';

export type TokenKind = 'word' | 'option' | 'flag';

export interface Token {
  kind: TokenKind;
  /** Option or flag name (without `--`); absent for words. */
  key?: string;
  /** Unquoted, unescaped value; `''` for flags. */
  value: string;
  /** Offset of the token's first character in the scanned text. */
  start: number;
  /** Offset just past the token's last character. */
  end: number;
  /** Whether any part of the value was quoted (a quoted `"a=b"` stays a word). */
  quoted: boolean;
}

/** A tokenizer error, with the 0-based offset of the character where it went wrong. */
export class TokenizeError extends InputError {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.position = position;
  }
}

/** Closing characters accepted for each opening quote. */
const QUOTES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '“': '”“', // some keyboards close with the opening form
  '”': '”',
  '„': '“”', // German-style low opening quote
  '‘': '’‘',
  '«': '»',
};

function isSpace(ch: string): boolean {
  return /\s/u.test(ch);
}

export class Scanner {
  private pos = 0;
  constructor(readonly text: string) {}

  /** Offset of the next unread character. */
  get position(): number {
    return this.pos;
  }

  /** Go back to an offset returned by `position` (for lookahead). */
  seek(position: number): void {
    this.pos = position;
  }

  /** True when only whitespace is left. */
  get done(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  /** The next token without consuming it. */
  peek(): Token | undefined {
    const saved = this.pos;
    try {
      return this.next();
    } finally {
      this.pos = saved;
    }
  }

  /** The rest of the text exactly as typed (trimmed), consuming it. */
  remainder(): string {
    this.skipSpace();
    const rest = this.text.slice(this.pos).trimEnd();
    this.pos = this.text.length;
    return rest;
  }

  /** Reads one token; undefined at the end. Throws TokenizeError on an unterminated quote. */
  next(): Token | undefined {
    this.skipSpace();
    const start = this.pos;
    if (start >= this.text.length) return undefined;

    if (this.text.startsWith('--', start)) {
      const m = /^--([A-Za-z][A-Za-z0-9_-]*)(=|(?=\s|$))/.exec(this.text.slice(start));
      if (m) {
        const key = m[1]!;
        this.pos = start + m[0].length;
        if (m[2] === '=') {
          const { value, quoted } = this.readValue();
          return { kind: 'option', key, value, start, end: this.pos, quoted };
        }
        return { kind: 'flag', key, value: '', start, end: this.pos, quoted: false };
      }
    }

    const m = /^([A-Za-z][A-Za-z0-9_-]*)=/.exec(this.text.slice(start));
    if (m) {
      this.pos = start + m[0].length;
      const { value, quoted } = this.readValue();
      return { kind: 'option', key: m[1]!, value, start, end: this.pos, quoted };
    }

    const { value, quoted } = this.readValue();
    return { kind: 'word', value, start, end: this.pos, quoted };
  }

  /** Reads up to the next unquoted whitespace, handling quotes at the value's start and escapes. */
  private readValue(): { value: string; quoted: boolean } {
    let out = '';
    let quoted = false;
    let atStart = true;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (isSpace(ch)) break;
      if (ch === '\\') {
        out += this.readEscape();
        atStart = false;
        continue;
      }
      const closers = QUOTES[ch];
      if (closers !== undefined && atStart) {
        out += this.readQuoted(closers);
        quoted = true;
        // A closing quote may be followed directly by more text ("a"b → ab), like a shell.
        atStart = true;
        continue;
      }
      out += ch;
      atStart = false;
      this.pos += 1;
    }
    return { value: out, quoted };
  }

  private readQuoted(closers: string): string {
    const open = this.pos;
    this.pos += 1;
    let out = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos]!;
      if (ch === '\\') {
        out += this.readEscape();
        continue;
      }
      if (closers.includes(ch)) {
        this.pos += 1;
        return out;
      }
      out += ch;
      this.pos += 1;
    }
    throw new TokenizeError(`unterminated quote: the ${this.text[open]} at position ${open + 1} is never closed`, open);
  }

  /** `\x` gives `x`; a lone trailing backslash stays a backslash. */
  private readEscape(): string {
    const next = this.text[this.pos + 1];
    if (next === undefined) {
      this.pos += 1;
      return '\\';
    }
    this.pos += 2;
    return next;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text[this.pos]!)) this.pos += 1;
  }
}

/** All tokens of `text`. Throws TokenizeError (an InputError) on an unterminated quote. */
export function tokenize(text: string): Token[] {
  const scanner = new Scanner(text);
  const tokens: Token[] = [];
  for (let t = scanner.next(); t !== undefined; t = scanner.next()) tokens.push(t);
  return tokens;
}
