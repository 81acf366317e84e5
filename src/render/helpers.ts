/**
 * Template helpers. Every helper that returns text returns SafeMarkup built from escaped parts,
 * so `{{helper …}}` is not escaped twice and user values inside it can never become markup.
 * Helpers throw on missing arguments: a template bug should fail loudly, not print "undefined".
 */
import type { HelperDelegate } from 'handlebars';
import { DATE_STYLES, dateToken, escapeMarkup, isMentionRef, isSafeUrl, mentionToken, type DateStyle } from './markup.js';
import { SafeMarkup, safe, toMarkup } from './safe-markup.js';
import type { TextPart } from '../errors.js';
import { count, possessive, withArticle } from '../domain/wording.js';

/** Splits Handlebars' trailing options argument from the positional ones. */
function positional(args: unknown[]): unknown[] {
  return args.slice(0, -1);
}

function required(helper: string, name: string, value: unknown): unknown {
  if (value === undefined) throw new Error(`{{${helper}}}: missing ${name}`);
  return value;
}

function toDate(helper: string, value: unknown): Date {
  required(helper, 'date', value);
  const d = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (!d || Number.isNaN(d.getTime())) throw new Error(`{{${helper}}}: "${String(value)}" is not a date (use a Date or an ISO-8601 string)`);
  return d;
}

function toArray(helper: string, value: unknown): unknown[] {
  required(helper, 'list', value);
  if (!Array.isArray(value)) throw new Error(`{{${helper}}}: expected a list, got ${typeof value}`);
  return value;
}

/** A mention reference for a ref string, a UserRef-like `{ platform, id, name? }` or a person `{ id }`. */
function mentionFor(value: unknown): SafeMarkup {
  if (typeof value === 'string') {
    // An unknown reference shape is shown as text rather than failing the whole message.
    return safe(isMentionRef(value) ? mentionToken(value) : escapeMarkup(value));
  }
  if (value && typeof value === 'object') {
    const v = value as { platform?: unknown; id?: unknown; name?: unknown };
    const id = typeof v.id === 'string' ? v.id : undefined;
    const name = typeof v.name === 'string' ? v.name : undefined;
    let ref: string | undefined;
    if (v.platform === 'slack' && id) ref = `slack:${id}`;
    else if (v.platform === 'mattermost' && name) ref = `mattermost:${name}`;
    else if (v.platform === undefined && id) ref = `person:${id}`;
    if (ref && isMentionRef(ref)) return safe(mentionToken(ref));
    return safe(escapeMarkup(name ?? id ?? ''));
  }
  throw new Error(`{{mention}}: expected a reference like "person:alice" or a user, got ${String(value)}`);
}

/** Escaped words with each instant as a date token and each person as a mention (see `TextPart` in src/errors.ts). */
function textMarkup(value: unknown): string {
  if (!Array.isArray(value)) return toMarkup(value);
  return (value as TextPart[])
    .map((part) => {
      if (typeof part === 'string') return escapeMarkup(part);
      if (part instanceof Date) return dateToken(part, 'datetime');
      if ('mention' in part) return mentionFor(part.mention).markup;
      return dateToken(toDate('text', part.date), part.style);
    })
    .join('');
}

/** Helpers that write markup: escaping, date and mention tokens, lists, code and links. */
function markupHelpers() {
  return {
    /** Used by the template compiler for every `{{x}}`: escape unless already markup. */
    esc: (value: unknown) => {
      if (value === undefined) throw new Error('value is undefined (pass it, or guard it with {{#if}})');
      return safe(toMarkup(value));
    },
    /** `{{date at "datetime"}}`: a date token each platform renders for its reader. */
    date: (...args: unknown[]) => {
      const [at, style = 'datetime'] = positional(args);
      if (typeof style !== 'string' || !DATE_STYLES.includes(style as DateStyle)) {
        throw new Error(`{{date}}: style must be one of ${DATE_STYLES.join(', ')}`);
      }
      return safe(dateToken(toDate('date', at), style as DateStyle));
    },
    /** `{{dated message}}`: a string, or words and instants (TextPart[]) shown in the reader's zone. */
    dated: (...args: unknown[]) => safe(textMarkup(required('dated', 'message', positional(args)[0]))),
    /** `{{relative at}}`: "in 3 days" / "2 hours ago". */
    relative: (...args: unknown[]) => safe(dateToken(toDate('relative', positional(args)[0]), 'relative')),
    /** `{{mention "person:alice"}}` or `{{mention user}}`. */
    mention: (...args: unknown[]) => mentionFor(required('mention', 'reference', positional(args)[0])),
    /** `{{list items}}`: one "- item" line per item. */
    list: (...args: unknown[]) =>
      safe(
        toArray('list', positional(args)[0])
          .map((item) => `- ${toMarkup(item)}`)
          .join('\n'),
      ),
    /** `{{join items ", "}}` (default separator ", "). */
    join: (...args: unknown[]) => {
      const [items, sep = ', '] = positional(args);
      return safe(toArray('join', items).map(toMarkup).join(toMarkup(sep)));
    },
    /** `{{code text}}`: inline code of the (escaped) text. */
    code: (...args: unknown[]) => {
      const text = required('code', 'text', positional(args)[0]);
      const s = String(text);
      return safe(s.length === 0 ? '' : `\`${escapeMarkup(s)}\``);
    },
    /** `{{link url "label"}}`: a link for http(s)/mailto URLs, otherwise the label (or URL) as text. */
    link: (...args: unknown[]) => {
      const [url, label] = positional(args);
      const u = String(required('link', 'url', url)).trim();
      const text = label === undefined || label === null || label === '' ? u : label;
      if (!isSafeUrl(u)) return safe(toMarkup(text));
      return safe(`[${toMarkup(text)}](${escapeMarkup(u)})`);
    },
  } satisfies Record<string, (...args: never[]) => unknown>;
}

/** Helpers for `{{#if}}` conditions. */
function logicHelpers() {
  return {
    eq: (...args: unknown[]) => {
      const [a, b] = positional(args);
      return a === b;
    },
    and: (...args: unknown[]) => positional(args).every(Boolean),
    or: (...args: unknown[]) => positional(args).some(Boolean),
    not: (...args: unknown[]) => !positional(args)[0],
  } satisfies Record<string, (...args: never[]) => unknown>;
}

/** Seconds in the largest fitting unit (s, min, h, d), rounded to one decimal at most. */
function durationText(seconds: number): string {
  const one = (n: number) => String(Math.round(n * 10) / 10);
  return seconds < 60 ? `${Math.round(seconds)} s` : seconds < 3600 ? `${one(seconds / 60)} min` : seconds < 48 * 3600 ? `${one(seconds / 3600)} h` : `${one(seconds / 86_400)} d`;
}

/** Helpers that turn values into escaped words: counts, durations, shortened text. */
function wordingHelpers() {
  return {
    /** `{{plural n "team"}}` → "1 team" / "2 teams"; `{{plural n "person" "people"}}`; n may be a list. */
    plural: (...args: unknown[]) => {
      const [counted, one, many] = positional(args);
      // A list counts its items, so `{{plural people "person" "people"}}` works on arrays too.
      const n = Array.isArray(counted) ? counted.length : counted;
      if (typeof n !== 'number') throw new Error(`{{plural}}: expected a number, got ${String(n)}`);
      if (typeof one !== 'string') throw new Error('{{plural}}: missing the singular word');
      return safe(escapeMarkup(typeof many === 'string' ? count(n, one, many) : count(n, one)));
    },
    /** `{{duration seconds}}`: "45 s", "2.5 min", "3 h", "2.5 d" (one decimal at most). */
    duration: (...args: unknown[]) => {
      const seconds = required('duration', 'seconds', positional(args)[0]);
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) throw new Error(`{{duration}}: expected seconds ≥ 0, got ${String(seconds)}`);
      return safe(escapeMarkup(durationText(seconds)));
    },
    /** `{{truncate text 80}}`: at most n characters, "…" marking a cut. */
    truncate: (...args: unknown[]) => {
      const [text, n] = positional(args);
      if (text instanceof SafeMarkup) throw new Error('{{truncate}}: cannot cut markup; truncate the plain value instead');
      if (typeof n !== 'number' || n < 1) throw new Error('{{truncate}}: expected a length ≥ 1');
      const chars = Array.from(String(required('truncate', 'text', text)));
      const cut = chars.length > n ? `${chars.slice(0, n - 1).join('')}…` : chars.join('');
      return safe(escapeMarkup(cut));
    },
    /** `{{article kind}}` → "an outage", "a deploy" (the word, escaped, after its article). */
    article: (...args: unknown[]) => {
      const word = String(required('article', 'word', positional(args)[0]));
      return safe(escapeMarkup(withArticle(word)));
    },
    /** `{{possessive name}}` → "Payments' managers" for a name ending in s, "Bob's" otherwise. */
    possessive: (...args: unknown[]) => {
      return safe(escapeMarkup(possessive(String(required('possessive', 'name', positional(args)[0])))));
    },
  } satisfies Record<string, (...args: never[]) => unknown>;
}

export function createHelpers(): Record<string, HelperDelegate> {
  return { ...markupHelpers(), ...logicHelpers(), ...wordingHelpers() };
}
