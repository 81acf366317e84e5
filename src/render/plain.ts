/**
 * Markup to plain text: formatting dropped, links as "label (url)", mentions as names, dates
 * written out in the given zone. Used for notification summaries, titles and form labels. The
 * result is text, not markup: a platform serializer still escapes it before sending.
 */
import type { Markup } from '../chat/message.js';
import { parseMarkup, type Block, type Inline } from './markup.js';
import { dateText, type SerializeOptions } from './serialize-options.js';

export function markupToPlain(m: Markup, opts: SerializeOptions): string {
  return blocksToPlain(parseMarkup(m), opts);
}

export function blocksToPlain(blocks: Block[], opts: SerializeOptions): string {
  return blocks
    .map((b) => {
      switch (b.type) {
        case 'paragraph':
          return inlineToPlain(b.content, opts);
        case 'bullets':
          return b.items.map((item) => `• ${inlineToPlain(item, opts)}`).join('\n');
        case 'quote':
          return inlineToPlain(b.content, opts)
            .split('\n')
            .map((l) => `> ${l}`)
            .join('\n');
        case 'code':
          return b.text;
      }
    })
    .join('\n\n');
}

export function inlineToPlain(nodes: Inline[], opts: SerializeOptions): string {
  let out = '';
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
      case 'code':
        out += n.text;
        break;
      case 'bold':
      case 'italic':
      case 'strike':
        out += inlineToPlain(n.children, opts);
        break;
      case 'link': {
        const label = inlineToPlain(n.children, opts);
        const shown = n.url.replace(/^mailto:/i, '');
        out += label === n.url || label === shown ? label : `${label} (${shown})`;
        break;
      }
      case 'mention':
        out += mentionName(n.ref, opts);
        break;
      case 'date':
        out += dateText(n.date, n.style, opts);
        break;
    }
  }
  return out;
}

/** Display name of a mention reference, falling back to the id inside the reference. */
export function mentionName(ref: string, opts: Pick<SerializeOptions, 'mentions'>): string {
  const resolved = opts.mentions(ref);
  if (resolved) return resolved.name;
  return ref.slice(ref.indexOf(':') + 1);
}
