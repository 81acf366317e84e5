/**
 * OutboundMessage to a Mattermost post: `message` (markdown: "#### title", body, small print) and
 * one attachment carrying the fields and the buttons, as Mattermost renders them natively.
 * Buttons become attachment actions whose clicks go to the integration the adapter supplies.
 */
import type { Button, OutboundMessage } from '../chat/message.js';
import { MATTERMOST_ACTION_ID, MATTERMOST_FALLBACK, MATTERMOST_FIELD_VALUE, MATTERMOST_MESSAGE } from './limits.js';
import { parseMarkup } from './markup.js';
import { mmBlock, mmPlain, mmText } from './mattermost-markdown.js';
import type { SerializeOptions } from './serialize-options.js';
import { truncateSerialized } from './truncate.js';

export interface MattermostButtonIntegration {
  url: string;
  context: Record<string, unknown>;
}

export function toMattermostPost(
  msg: OutboundMessage,
  opts: SerializeOptions & { buttonIntegration: (b: Button) => MattermostButtonIntegration },
): { message: string; props: { attachments?: Record<string, unknown>[] } } {
  const parts: string[] = [];
  if (msg.title) parts.push(`#### ${mmText(msg.title.replace(/\s+/g, ' '))}`);
  const body = markdown(msg.body, opts);
  if (body) parts.push(body);
  if (msg.context) {
    const context = markdown(msg.context, opts);
    if (context) parts.push(context);
  }
  const message = truncateSerialized(parts.join('\n\n'), MATTERMOST_MESSAGE);

  const fields = (msg.fields ?? []).map((f) => ({
    title: mmPlain(f.label),
    value: truncateSerialized(markdown(f.value, opts), MATTERMOST_FIELD_VALUE),
    short: f.short === true,
  }));
  const actions = (msg.buttons ?? []).map((b) => action(b, opts.buttonIntegration));
  if (fields.length === 0 && actions.length === 0) return { message, props: {} };

  const attachment: Record<string, unknown> = { fallback: truncateSerialized(mmPlain(msg.summary || msg.title || ''), MATTERMOST_FALLBACK) };
  if (fields.length > 0) attachment.fields = fields;
  if (actions.length > 0) attachment.actions = actions;
  return { message, props: { attachments: [attachment] } };
}

function markdown(m: string, opts: SerializeOptions): string {
  return parseMarkup(m)
    .map((b) => mmBlock(b, opts))
    .join('\n\n');
}

function action(b: Button, integration: (b: Button) => MattermostButtonIntegration): Record<string, unknown> {
  // Mattermost routes clicks on /api/v4/actions/{id:[A-Za-z0-9]+}; any other id is a silent 404.
  if (!MATTERMOST_ACTION_ID.test(b.actionId)) {
    throw new Error(`button action id "${b.actionId}" must be letters and digits only for Mattermost`);
  }
  return { id: b.actionId, name: mmPlain(b.label), type: 'button', style: b.style ?? 'default', integration: integration(b) };
}
