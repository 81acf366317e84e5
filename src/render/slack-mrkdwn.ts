/**
 * Neutral markup to Slack mrkdwn (https://docs.slack.dev/messaging/formatting-message-text).
 *
 * Slack has no escape for its formatting characters, only for `& < >`. Literal text therefore:
 * - escapes `&`, `<`, `>` as entities, so `<!channel>`, `<@U1>` or `<url|x>` in user text stay text;
 * - swaps formatting characters that could open or close formatting for look-alikes
 *   (`*`→`∗`, `~`→`∼`, `` ` ``→`ˋ`, and `_` at a word boundary→`ˍ`), so `*x*` never bolds while
 *   snake_case names keep their underscores;
 * - puts a soft hyphen before a `>` that starts a line (Slack quotes `&gt;` at line start too);
 * - puts a WORD JOINER (U+2060) after `@` (not inside words like e-mail addresses) and after the
 *   first colon of `:name:` so `@channel`/`@here` and emoji shortcodes stay literal text.
 */
import type { Block, Inline } from './markup.js';
import { mentionName } from './plain.js';
import { dateText, type SerializeOptions } from './serialize-options.js';

const WJ = '\u2060';
const SOFT_HYPHEN = '\u00AD';
const LOOKALIKE: Record<string, string> = { '*': '\u2217', '~': '\u223C', '`': '\u02CB', _: '\u02CD' };
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;
const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** Escape `& < >` only (for code, where formatting is not interpreted). */
export function slackEntities(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Literal text as mrkdwn that renders as exactly this text (see the file comment). */
export function slackText(s: string): string {
  let out = '';
  const chars = Array.from(s);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const prev = chars[i - 1];
    const next = chars[i + 1];
    if (ch === '_') out += isWordChar(prev) && isWordChar(next) ? '_' : LOOKALIKE._;
    else if (ch === '*' || ch === '~' || ch === '`') out += LOOKALIKE[ch];
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += i === 0 || prev === '\n' ? `${SOFT_HYPHEN}&gt;` : '&gt;';
    else if (ch === '@') out += /[A-Za-z0-9_]/.test(prev ?? '') ? '@' : `@${WJ}`;
    else if (ch === ':' && /^[a-z0-9_+'-]+:/i.test(chars.slice(i + 1, i + 40).join(''))) out += `:${WJ}`;
    else out += ch;
  }
  return out;
}

/** Plain text for plain_text objects (header, button labels): no entities, but no emoji or pings. */
export function slackPlainText(s: string): string {
  return s.replace(/:(?=[a-z0-9_+'-]+:)/gi, `:${WJ}`).replace(/(^|[^A-Za-z0-9_])@/g, `$1@${WJ}`);
}

/** Code span text: a backtick would end the span. */
function codeText(s: string): string {
  return slackEntities(s).replace(/`/g, LOOKALIKE['`']!);
}

/** Code block text: only a run of three backticks would end the block. */
function codeBlockText(s: string): string {
  return slackEntities(s).replace(/`{3,}/g, (run) => LOOKALIKE['`']!.repeat(run.length));
}

/** Wrap with a formatting marker, keeping edge whitespace outside (Slack ignores "* x *"). */
function wrap(marker: string, inner: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(inner)!;
  if (!m[2]) return inner;
  return `${m[1]}${marker}${m[2]}${marker}${m[3]}`;
}

function linkUrl(url: string): string {
  return url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C').replace(/\s/g, '%20');
}

const DATE_FORMAT: Record<string, string> = {
  date: '{date_short_pretty}',
  time: '{time}',
  datetime: '{date_short_pretty} {time}',
  relative: '{ago}',
};

export function slackInline(nodes: Inline[], opts: SerializeOptions): string {
  let out = '';
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        out += slackText(n.text);
        break;
      case 'bold':
        out += wrap('*', slackInline(n.children, opts));
        break;
      case 'italic':
        out += wrap('_', slackInline(n.children, opts));
        break;
      case 'strike':
        out += wrap('~', slackInline(n.children, opts));
        break;
      case 'code':
        out += n.text.length > 0 ? `\`${codeText(n.text.replace(/\n/g, ' '))}\`` : '';
        break;
      case 'link': {
        // Labels are shown as text: formatting inside a link label is not reliable in Slack.
        const label = slackText(plainOf(n.children, opts)).replace(/\|/g, '\u2223');
        out += `<${linkUrl(n.url)}|${label}>`;
        break;
      }
      case 'mention':
        out += slackMention(n.ref, opts);
        break;
      case 'date': {
        const unix = Math.floor(n.date.getTime() / 1000);
        const fallback = slackText(dateText(n.date, n.style, opts)).replace(/\|/g, '\u2223');
        out += `<!date^${unix}^${DATE_FORMAT[n.style]}|${fallback}>`;
        break;
      }
    }
  }
  return out;
}

function plainOf(nodes: Inline[], opts: SerializeOptions): string {
  return nodes
    .map((n) => {
      switch (n.type) {
        case 'text':
        case 'code':
          return n.text;
        case 'bold':
        case 'italic':
        case 'strike':
        case 'link':
          return plainOf(n.children, opts);
        case 'mention':
          return mentionName(n.ref, opts);
        case 'date':
          return dateText(n.date, n.style, opts);
      }
    })
    .join('');
}

/** `<@U123>` when the reference resolves to a Slack user, else the person's name as text. */
export function slackMention(ref: string, opts: SerializeOptions): string {
  const resolved = opts.mentions(ref);
  const id = resolved?.slack ?? (ref.startsWith('slack:') ? ref.slice('slack:'.length) : undefined);
  if (id && SLACK_USER_ID.test(id)) return `<@${id}>`;
  return slackText(mentionName(ref, opts));
}

/** One neutral block as mrkdwn. */
export function slackBlock(block: Block, opts: SerializeOptions): string {
  switch (block.type) {
    case 'paragraph':
      return slackInline(block.content, opts);
    case 'bullets':
      return block.items.map((item) => `• ${slackInline(item, opts)}`).join('\n');
    case 'quote':
      return slackInline(block.content, opts)
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'code':
      return `\`\`\`\n${codeBlockText(block.text)}\n\`\`\``;
  }
}
