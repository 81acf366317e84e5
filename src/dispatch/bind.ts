/**
 * Binds a command's tokens to its declared arguments, then validates them with zod. Nothing in
 * here has side effects: a command that fails here never reaches its handler.
 *
 * Binding rules:
 *   - `name=value` (or `--name=value`) sets any declared argument; `--name` sets a switch.
 *   - bare words fill the `positional` arguments in order, skipping those already set by name;
 *     an argument whose type spans words ("tomorrow 14:00") takes as many as still parse.
 *   - when the next positional is `arg.rest()`, it takes the rest of the line verbatim (options
 *     for declared arguments may still come first); an unterminated quote there is just text.
 */
import type { z } from 'zod';
import { InputError } from '../errors.js';
import { argInfo } from './args.js';
import { closest } from './suggest.js';
import { Scanner, tokenize, type Token } from './tokenize.js';
import type { CommandDecl } from './types.js';

/** Invalid arguments: `message` names the problem, `hint` what a good value looks like. */
export class ArgError extends InputError {
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

type Raw = Record<string, string | boolean>;

function hintFor(key: string, schema: z.ZodType | undefined): string | undefined {
  const info = schema ? argInfo(schema) : undefined;
  return info ? `${key} should be ${info.hint}` : undefined;
}

/** What binding one command's tokens works on. */
interface Binding {
  command: CommandDecl;
  shape: Record<string, z.ZodType>;
  scanner: Scanner;
  raw: Raw;
}

/** The last positional argument when it is `arg.rest()`, else undefined. */
function restKeyOf(shape: Record<string, z.ZodType>, positional: string[]): string | undefined {
  const last = positional[positional.length - 1];
  return last !== undefined && shape[last] && argInfo(shape[last])?.kind === 'rest' ? last : undefined;
}

function setOnce(b: Binding, key: string, value: string | boolean): void {
  if (Object.hasOwn(b.raw, key)) throw new ArgError(`${key} is given twice`, hintFor(key, b.shape[key]));
  b.raw[key] = value;
}

function unknownOption(b: Binding, key: string): ArgError {
  const known = Object.keys(b.shape);
  const guess = closest(key, known);
  return new ArgError(
    `unknown option "${key}"${guess ? ` (did you mean ${guess}?)` : ''}`,
    known.length > 0 ? `${b.command.name} takes: ${known.join(', ')}` : `${b.command.name} takes no options`,
  );
}

/** Bind a `name=value` option or a `--name` flag. */
function bindNamed(b: Binding, tok: Token): void {
  const key = tok.key!;
  const schema = b.shape[key];
  if (!Object.hasOwn(b.shape, key) || !schema) throw unknownOption(b, key);
  if (tok.kind === 'flag') {
    // A bare --name is only for switches; everything else needs a value.
    if (!schema.safeParse(true).success) throw new ArgError(`--${key} needs a value: write ${key}=…`, hintFor(key, schema));
    setOnce(b, key, true);
  } else {
    setOnce(b, key, tok.value);
  }
}

/** The value for positional `key` starting at word `first`, taking more words while its type spans them. */
function takeWords(b: Binding, key: string, first: Token): string {
  const { scanner } = b;
  const schema = b.shape[key]!;
  const max = argInfo(schema)?.maxWords ?? 1;
  if (max <= 1 || first.quoted) return first.value;
  const words = [first.value];
  const ends = [scanner.position];
  while (words.length < max) {
    let t: Token | undefined;
    try {
      t = scanner.next();
    } catch {
      break;
    }
    if (!t || t.kind !== 'word' || t.quoted) break;
    words.push(t.value);
    ends.push(scanner.position);
  }
  // Longest reading that parses wins: "tomorrow 14:00 prod" gives "tomorrow 14:00".
  for (let n = words.length; n > 1; n--) {
    const joined = words.slice(0, n).join(' ');
    if (schema.safeParse(joined).success) {
      scanner.seek(ends[n - 1]!);
      return joined;
    }
  }
  scanner.seek(ends[0]!);
  return first.value;
}

/**
 * At the rest argument `key`: bind a leading option for a declared argument ('option'), or else
 * take the rest of the line verbatim ('rest').
 */
function bindOptionOrRest(b: Binding, key: string): 'option' | 'rest' {
  const { scanner } = b;
  const at = scanner.position;
  let tok: Token | undefined;
  try {
    tok = scanner.next();
  } catch {
    tok = undefined; // free text may hold an unbalanced quote
  }
  if (tok && tok.kind !== 'word' && Object.hasOwn(b.shape, tok.key!)) {
    bindNamed(b, tok);
    return 'option';
  }
  scanner.seek(at);
  b.raw[key] = restValue(scanner.remainder());
  return 'rest';
}

function unexpectedWord(command: CommandDecl, positional: string[], tok: Token): ArgError {
  const takes = positional.length === 0 ? 'takes no arguments by position' : `takes ${positional.length === 1 ? 'one' : `at most ${positional.length}`} (${positional.join(', ')})`;
  return new ArgError(`unexpected "${tok.value}": ${command.name} ${takes}`);
}

/** The raw (unvalidated) values for `command` from the tokens left in `scanner`. */
export function bindArgs(command: CommandDecl, scanner: Scanner): Raw {
  const shape = command.args.shape as Record<string, z.ZodType>;
  const positional = [...command.positional];
  const restKey = restKeyOf(shape, positional);
  const b: Binding = { command, shape, scanner, raw: {} };

  while (!scanner.done) {
    const next = positional.find((k) => !Object.hasOwn(b.raw, k));
    if (next !== undefined && next === restKey) {
      if (bindOptionOrRest(b, next) === 'option') continue;
      break;
    }
    const tok = scanner.next()!;
    if (tok.kind !== 'word') {
      bindNamed(b, tok);
      continue;
    }
    if (next === undefined) throw unexpectedWord(command, positional, tok);
    b.raw[next] = takeWords(b, next, tok);
  }
  return b.raw;
}

/** The rest of the line as typed, unless it is one quoted string: then its content. */
function restValue(text: string): string {
  try {
    const tokens = tokenize(text);
    const only = tokens[0];
    if (tokens.length === 1 && only && only.kind === 'word' && only.quoted && only.start === 0 && only.end === text.length) return only.value;
  } catch {
    // unbalanced quotes: keep the text as typed
  }
  return text;
}

/** Validate raw values against the command's schema; throws ArgError naming every problem. */
export function validateArgs<S extends z.ZodObject>(command: CommandDecl<S>, raw: Raw): z.infer<S> {
  const result = command.args.safeParse(raw);
  if (result.success) return result.data;
  const shape = command.args.shape as Record<string, z.ZodType>;
  const problems: string[] = [];
  let hint: string | undefined;
  for (const iss of result.error.issues) {
    const key = iss.path.length > 0 ? String(iss.path[0]) : '';
    const problem = key === '' ? iss.message : Object.hasOwn(raw, key) ? `${key}: ${iss.message}` : `missing ${key}`;
    if (!problems.includes(problem)) problems.push(problem);
    hint ??= key ? hintFor(key, shape[key]) : undefined;
  }
  throw new ArgError(problems.join('; '), hint);
}

/** Bind and validate in one go. */
export function readArgs<S extends z.ZodObject>(command: CommandDecl<S>, scanner: Scanner): z.infer<S> {
  return validateArgs(command, bindArgs(command as unknown as CommandDecl, scanner));
}

/**
 * Validate submitted form values; failures come back per field, for the form to show in place.
 * Problems not tied to a field are collected under `_form`.
 */
export function validateForm<S extends z.ZodObject>(schema: S, values: Record<string, string | string[]>): { ok: true; values: z.infer<S> } | { ok: false; errors: Record<string, string> } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, values: result.data };
  const errors: Record<string, string> = {};
  for (const iss of result.error.issues) {
    const key = iss.path.length > 0 ? String(iss.path[0]) : '_form';
    const message = !Object.hasOwn(values, key) && key !== '_form' ? 'required' : iss.message;
    errors[key] = errors[key] ? `${errors[key]}; ${message}` : message;
  }
  return { ok: false, errors };
}
