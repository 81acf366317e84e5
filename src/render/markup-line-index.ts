/**
 * Per-line lookup tables for the inline markup parser (inline-markup.ts): for every position,
 * where the next closer of each kind is. Kept apart because it is the performance-critical part
 * of parsing, and the parser itself reads more clearly without it.
 */

/** Whether `ch` is a letter or digit (`_` opens and closes italics only next to anything else). */
export const isAlnum = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/**
 * Precomputed "where is the next closer" tables for one line, so inline parsing stays linear even
 * for pathological markup ("[a](" or "**" repeated thousands of times) instead of rescanning the
 * rest of the line from every opener.
 */
export class LineIndex {
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
