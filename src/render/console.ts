/**
 * OutboundMessage as terminal text, for the console adapter (local development, demos, tests).
 *
 *   Title
 *   =====
 *   Body paragraphs; *bold*, _italic_, ~strike~, `code`, "label <url>", @name,
 *   dates written out in the zone; bullets as "  • item", quotes as "  │ line",
 *   code blocks indented by four spaces.
 *
 *   Label: value            (one line per field; multi-line values are indented)
 *
 *   — small print
 *   [Label] (click: /day2 click <actionId> <value>)
 *
 * The click line is what a person types at the console to press the button; a value containing
 * spaces or quotes is printed as a JSON string. Control characters (ANSI escapes included) are
 * stripped from all text so message content cannot drive the terminal.
 */
import type { Block, Inline } from './markup.js';
import type { OutboundMessage } from '../chat/message.js';
import { parseMarkup } from './markup.js';
import { mentionName } from './plain.js';
import { dateText, type SerializeOptions } from './serialize-options.js';

// C0 controls except tab and newline, DEL, and C1 controls (ESC starts ANSI sequences).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

function clean(s: string): string {
  return s.replace(CONTROL, '');
}

export function toConsoleText(msg: OutboundMessage, opts: SerializeOptions): string {
  const parts: string[] = [];
  if (msg.title) {
    const title = clean(msg.title);
    parts.push(`${title}\n${'='.repeat(Math.min(Array.from(title).length, 72))}`);
  }
  const body = consoleMarkup(msg.body, opts);
  if (body) parts.push(body);
  if (msg.fields?.length) {
    parts.push(msg.fields.map((f) => consoleField(clean(f.label), consoleMarkup(f.value, opts))).join('\n'));
  }
  if (msg.context) parts.push(`— ${consoleMarkup(msg.context, opts).replace(/\n/g, '\n  ')}`);
  if (msg.buttons?.length) {
    parts.push(
      msg.buttons
        .map((b) => {
          const value = b.value === '' ? '' : /[\s"'\\]/.test(b.value) ? ` ${JSON.stringify(b.value)}` : ` ${b.value}`;
          const style = b.style === 'danger' ? ' !' : '';
          return `[${clean(b.label)}]${style} (click: /day2 click ${b.actionId}${clean(value)})`;
        })
        .join('\n'),
    );
  }
  return parts.join('\n\n');
}

/** "Label: value" on one line; a value of several lines (a list) starts on its own line. */
function consoleField(label: string, value: string): string {
  if (!value.includes('\n') && !value.startsWith('  •')) return `${label}: ${value}`;
  return `${label}:\n${value.replace(/^(?!  )/gm, '  ')}`;
}

function consoleMarkup(m: string, opts: SerializeOptions): string {
  return parseMarkup(m)
    .map((b) => consoleBlock(b, opts))
    .join('\n\n');
}

function consoleBlock(b: Block, opts: SerializeOptions): string {
  switch (b.type) {
    case 'paragraph':
      return consoleInline(b.content, opts);
    case 'bullets':
      return b.items.map((item) => `  • ${consoleInline(item, opts).replace(/\n/g, '\n    ')}`).join('\n');
    case 'quote':
      return `  │ ${consoleInline(b.content, opts).replace(/\n/g, '\n  │ ')}`;
    case 'code':
      return clean(b.text)
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n');
  }
}

function consoleInline(nodes: Inline[], opts: SerializeOptions): string {
  let out = '';
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        out += clean(n.text);
        break;
      case 'bold':
        out += `*${consoleInline(n.children, opts)}*`;
        break;
      case 'italic':
        out += `_${consoleInline(n.children, opts)}_`;
        break;
      case 'strike':
        out += `~${consoleInline(n.children, opts)}~`;
        break;
      case 'code':
        out += `\`${clean(n.text)}\``;
        break;
      case 'link': {
        const label = consoleInline(n.children, opts);
        out += label === n.url ? clean(n.url) : `${label} <${clean(n.url)}>`;
        break;
      }
      case 'mention':
        out += `@${clean(mentionName(n.ref, opts))}`;
        break;
      case 'date':
        out += dateText(n.date, n.style, opts);
        break;
    }
  }
  return out;
}
