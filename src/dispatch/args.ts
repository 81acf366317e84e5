/**
 * Argument types for command declarations. Each is a zod schema from the typed text to a value,
 * so `z.infer` of a command's `args` object is what its handler receives. Each schema also
 * carries an `ArgInfo` (kind and a usage hint) that the binder and the error replies read:
 * a failed argument is answered with what was wrong *and* what a good value looks like.
 *
 * Schemas may be wrapped with `.optional()` or `.default(…)`; the info is found through them.
 */
import { z } from 'zod';
import type { Platform } from '../chat/port.js';
import { isValidZone } from '../time/zone.js';
import { parseDuration } from '../time/duration.js';
import { isRealDate, type Duration, type LocalTime, type When } from '../time/when.js';
import { closest } from './suggest.js';
import { parseRelative } from '../time/relative.js';

export interface ArgInfo {
  kind: 'text' | 'rest' | 'int' | 'duration' | 'zone' | 'user' | 'channel' | 'enum' | 'when' | 'flag';
  /** What a good value looks like, shown after an error: "a duration such as 90m, 2h or 3d". */
  hint: string;
  /** How many words a positional value may span when typed unquoted ("tomorrow 14:00" is two). */
  maxWords: number;
}

const infos = new WeakMap<z.ZodType, ArgInfo>();

/** The ArgInfo of an argument schema, looking through optional/default/pipe wrappers. */
export function argInfo(schema: z.ZodType): ArgInfo | undefined {
  let s: z.ZodType | undefined = schema;
  for (let depth = 0; s !== undefined && depth < 10; depth++) {
    const found = infos.get(s);
    if (found) return found;
    const def = s._zod.def as { innerType?: z.ZodType; in?: z.ZodType };
    s = def.innerType ?? def.in;
  }
  return undefined;
}

/** Whether an argument may be left out (optional or defaulted). */
export function isOptionalArg(schema: z.ZodType): boolean {
  return schema.safeParse(undefined).success;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

export type ArgSchema<T> = z.ZodPipe<z.ZodString, z.ZodTransform<T, string>>;

function define<T>(info: Omit<ArgInfo, 'maxWords'> & { maxWords?: number }, parse: (raw: string) => Parsed<T>): ArgSchema<T> {
  const schema = z.string({ error: 'needs a value' }).transform((raw, ctx) => {
    const r = parse(raw);
    if (r.ok) return r.value;
    ctx.issues.push({ code: 'custom', message: r.problem, input: raw });
    return z.NEVER;
  });
  infos.set(schema, { maxWords: 1, ...info });
  return schema;
}

const quote = (s: string) => `"${s.length > 60 ? `${s.slice(0, 57)}…` : s}"`;

// ---- text ------------------------------------------------------------------------------------

function text(opts: { min?: number; max?: number; hint?: string } = {}): ArgSchema<string> {
  const min = opts.min ?? 1;
  const max = opts.max ?? 2000;
  return define({ kind: 'text', hint: opts.hint ?? (min > 1 ? `text of ${min} to ${max} characters` : 'some text') }, (raw) => {
    const v = raw.trim();
    if (v.length === 0 && min > 0) return { ok: false, problem: 'must not be empty' };
    if (v.length < min) return { ok: false, problem: `is too short (${v.length} characters, at least ${min})` };
    if (v.length > max) return { ok: false, problem: `is too long (${v.length} characters, at most ${max})` };
    return { ok: true, value: v };
  });
}

/**
 * The rest of the line, exactly as typed (quotes and all). Only valid as a command's last
 * positional argument; options must come before it.
 */
function rest(opts: { max?: number; hint?: string } = {}): ArgSchema<string> {
  const max = opts.max ?? 3000;
  return define({ kind: 'rest', hint: opts.hint ?? 'free text to the end of the line' }, (raw) => {
    const v = raw.trim();
    if (v.length === 0) return { ok: false, problem: 'must not be empty' };
    if (v.length > max) return { ok: false, problem: `is too long (${v.length} characters, at most ${max})` };
    return { ok: true, value: v };
  });
}

// ---- int -------------------------------------------------------------------------------------

function int(opts: { min?: number; max?: number } = {}): ArgSchema<number> {
  const { min, max } = opts;
  const hint = min !== undefined && max !== undefined ? `a whole number from ${min} to ${max}` : min !== undefined ? `a whole number, at least ${min}` : max !== undefined ? `a whole number, at most ${max}` : 'a whole number';
  return define({ kind: 'int', hint }, (raw) => {
    const v = raw.trim();
    if (!/^[+-]?\d{1,15}$/.test(v)) return { ok: false, problem: `${quote(raw)} is not a whole number` };
    const n = Number(v);
    if (min !== undefined && n < min) return { ok: false, problem: `${n} is too small (at least ${min})` };
    if (max !== undefined && n > max) return { ok: false, problem: `${n} is too large (at most ${max})` };
    return { ok: true, value: n };
  });
}

// ---- duration --------------------------------------------------------------------------------

export { parseDuration };

function duration(): ArgSchema<Duration> {
  return define({ kind: 'duration', hint: 'a duration such as 90m, 2h, 1h30m, 3d or 6w' }, parseDuration);
}

// ---- zone ------------------------------------------------------------------------------------

let knownZones: string[] | undefined;
function zones(): string[] {
  knownZones ??= [...Intl.supportedValuesOf('timeZone'), 'UTC'];
  return knownZones;
}

function zone(): ArgSchema<string> {
  return define({ kind: 'zone', hint: 'an IANA time zone such as Europe/Berlin, America/New_York or UTC' }, (raw) => {
    const v = raw.trim();
    if (v.length > 0 && isValidZone(v)) {
      // Intl accepts any letter case; keep the canonical spelling so stored zones compare equal.
      return { ok: true, value: zones().find((z) => z.toLowerCase() === v.toLowerCase()) ?? v };
    }
    const guess = closest(v, zones(), 3);
    return { ok: false, problem: `${quote(raw)} is not an IANA time zone${guess ? ` (did you mean ${guess}?)` : ''}` };
  });
}

// ---- user ------------------------------------------------------------------------------------

/**
 * A user as typed: a platform mention or a Day2 person id. Which fields are set tells how to
 * look the user up:
 *   { platform: 'slack', id: 'U123', name? }   Slack mention `<@U123>` / `<@U123|alice>`
 *   { name: 'alice' }                           `@alice` (Mattermost mention, or unescaped Slack)
 *   { id: 'alice' }                             a person id from the config
 */
export interface UserArg {
  platform?: Platform;
  id?: string;
  name?: string;
}

export function parseUser(raw: string): Parsed<UserArg> {
  const v = raw.trim();
  let m = /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(v);
  if (m) return { ok: true, value: m[2] ? { platform: 'slack', id: m[1]!, name: m[2] } : { platform: 'slack', id: m[1]! } };
  m = /^@([A-Za-z0-9][A-Za-z0-9._-]{0,79})$/.exec(v);
  if (m) return { ok: true, value: { name: m[1]! } };
  if (/^[a-z0-9][a-z0-9-]{0,62}$/.test(v)) return { ok: true, value: { id: v } };
  return { ok: false, problem: `${quote(raw)} is not a user` };
}

function user(): ArgSchema<UserArg> {
  return define({ kind: 'user', hint: 'a user: @name, a mention, or a person id such as alice' }, parseUser);
}

// ---- channel ---------------------------------------------------------------------------------

/** A channel as typed: `<#C123|ops>` / `<#C123>` (Slack), `~town-square` (Mattermost), `#ops`. */
export interface ChannelArg {
  platform?: Platform;
  id?: string;
  name?: string;
}

export function parseChannel(raw: string): Parsed<ChannelArg> {
  const v = raw.trim();
  let m = /^<#([CGD][A-Z0-9]+)(?:\|([^>]*))?>$/.exec(v);
  if (m) return { ok: true, value: m[2] ? { platform: 'slack', id: m[1]!, name: m[2] } : { platform: 'slack', id: m[1]! } };
  m = /^~([a-z0-9][a-z0-9._-]{0,63})$/.exec(v);
  if (m) return { ok: true, value: { platform: 'mattermost', name: m[1]! } };
  m = /^#([A-Za-z0-9][A-Za-z0-9._-]{0,79})$/.exec(v);
  if (m) return { ok: true, value: { name: m[1]! } };
  return { ok: false, problem: `${quote(raw)} is not a channel` };
}

function channel(): ArgSchema<ChannelArg> {
  return define({ kind: 'channel', hint: 'a channel: #name, ~name or a channel link' }, parseChannel);
}

// ---- enum ------------------------------------------------------------------------------------

function enumOf<const T extends readonly [string, ...string[]]>(values: T): ArgSchema<T[number]> {
  const list = values.join(', ');
  return define({ kind: 'enum', hint: `one of ${list}` }, (raw) => {
    const v = raw.trim().toLowerCase();
    const hit = values.find((x) => x.toLowerCase() === v);
    if (hit !== undefined) return { ok: true, value: hit };
    const guess = closest(v, values);
    return { ok: false, problem: `${quote(raw)} is not one of ${list}${guess ? ` (did you mean ${guess}?)` : ''}` };
  });
}

// ---- when ------------------------------------------------------------------------------------

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function parseTime(s: string | undefined): LocalTime | undefined | 'bad' {
  if (s === undefined) return undefined;
  const m = /^(\d{1,2}):(\d{2})$/.exec(s);
  if (!m) return 'bad';
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return 'bad';
  return { hour, minute };
}

/**
 * "2026-12-01 09:00", "2026-12-01T09:00", "2026-12-01", "today 17:30", "tomorrow 14:00",
 * "mon 09:00" / "monday", "in 2h", "in 1d 12h", "now". Zone-free: see resolveWhen.
 */
export function parseWhen(raw: string): Parsed<When> {
  const v = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const bad: Parsed<When> = { ok: false, problem: `${quote(raw)} is not a date or time` };
  if (v === 'now') return { ok: true, value: { kind: 'now' } };

  let m = /^in (.+)$/.exec(v);
  if (m) {
    const d = parseDuration(m[1]!);
    return d.ok ? { ok: true, value: { kind: 'in', duration: d.value } } : bad;
  }

  m = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\S+))?$/.exec(v);
  if (m) {
    const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    if (!isRealDate(date)) return { ok: false, problem: `${quote(raw)} is not a real date` };
    const time = parseTime(m[4]);
    if (time === 'bad') return { ok: false, problem: `${quote(m[4] ?? '')} is not a time of day (use 24-hour HH:MM)` };
    return { ok: true, value: time ? { kind: 'date', date, time } : { kind: 'date', date } };
  }

  // "next mon 09:00", "this fri", "yesterday" and the plain forms: src/time/relative.ts.
  const relative = parseRelative(v);
  if (relative) return { ok: true, value: relative };
  m = /^([a-z]+)(?: (\S+))?$/.exec(v);
  if (m) {
    const word = m[1]!;
    const time = parseTime(m[2]);
    if (time === 'bad') return { ok: false, problem: `${quote(m[2] ?? '')} is not a time of day (use 24-hour HH:MM)` };
    const withTime = (w: Extract<When, { kind: 'day' | 'weekday' }>): Parsed<When> => ({ ok: true, value: time ? { ...w, time } : w });
    if (word === 'today') return withTime({ kind: 'day', offset: 0 });
    if (word === 'tomorrow') return withTime({ kind: 'day', offset: 1 });
    // "mon", "tues", "thursday": any prefix of a weekday name of at least three letters.
    const weekday = word.length >= 3 ? WEEKDAYS.findIndex((d) => d.startsWith(word)) : -1;
    if (weekday >= 0) return withTime({ kind: 'weekday', weekday });
  }
  return bad;
}

function when(): ArgSchema<When> {
  return define({ kind: 'when', hint: 'a time such as "2026-12-01 09:00", "tomorrow 14:00", "mon 09:00", "in 2h" or "now"', maxWords: 3 }, parseWhen);
}

// ---- flag ------------------------------------------------------------------------------------

const FLAG_WORDS: Record<string, boolean> = { true: true, yes: true, on: true, '1': true, false: false, no: false, off: false, '0': false };

/** `--force` (true) or `force=yes|no`; false when absent. */
function flag() {
  const schema = z.union([z.boolean(), z.string()]).transform((raw, ctx) => {
    if (typeof raw === 'boolean') return raw;
    const v = FLAG_WORDS[raw.trim().toLowerCase()];
    if (v !== undefined) return v;
    ctx.issues.push({ code: 'custom', message: `${quote(raw)} is not yes or no`, input: raw });
    return z.NEVER;
  });
  infos.set(schema, { kind: 'flag', hint: 'a switch: --name, or name=yes / name=no', maxWords: 1 });
  return schema.default(false);
}

/** Argument types; see each function for what it accepts. */
export const arg = { text, rest, int, duration, zone, user, channel, enum: enumOf, when, flag };
