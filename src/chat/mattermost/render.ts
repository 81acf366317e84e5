/**
 * OutboundMessage -> Mattermost post fields. The markdown and attachments come from the shared
 * serializer (src/render/mattermost.ts); this adds what only the adapter knows: where button
 * clicks go, their signed context, and the delivery key in props.
 */
import { randomBytes } from 'node:crypto';
import type { Button, Markup, OutboundMessage } from '../message.js';
import type { RenderTarget } from '../port.js';
import { toMattermostPost } from '../../render/mattermost.js';
import type { MentionResolver } from '../../render/serialize-options.js';
import { clamp } from './clamp.js';
import { signButton } from './signing.js';

export const MAX_MESSAGE_LENGTH = 16_383;

export interface PostFields {
  message: string;
  props: Record<string, unknown>;
}

export interface PostRendererOptions {
  mentions: () => MentionResolver;
  zone: () => string;
  actionSecret: string;
  /** Where Mattermost sends clicks and dialog submissions: `<publicUrl>/mattermost/actions`. */
  actionsUrl: string;
  /** How long a signed button stays valid (DAY2_ACTION_TTL). */
  actionTtlMs: number;
}

/** What a rendering's buttons are bound to, besides the channel. */
export interface PostBinding {
  /** The one user the message is shown to (ephemeral, DM): only they may click its buttons. */
  audience?: string;
  /** Key to bind to when the message has none (an update keeps the post's key). */
  key?: string;
}

/** Keys Day2 makes up for messages without a delivery key start with this; they go in `props.day2_ref`. */
const REF_MARK = '~';

/** The Day2 key a post carries (its delivery key, else the made-up one), as signed into its buttons. */
export function postKey(props: Record<string, unknown> | undefined): string | undefined {
  const k = props?.day2_key ?? props?.day2_ref;
  return typeof k === 'string' ? k : undefined;
}

export class PostRenderer {
  constructor(private readonly opts: PostRendererOptions) {}

  /**
   * Post fields for `msg` in `channelId`. Buttons are signed for that channel, the message's key,
   * an expiry and, with `bind.audience`, the one user who sees it. `props.day2_key` carries the
   * delivery key so findPosted can recognise the post after an ambiguous failure, and a click can
   * be checked against the post it claims to come from; a message without a delivery key gets a
   * random key in `props.day2_ref` for the same check.
   */
  render(msg: OutboundMessage, channelId: string, target?: RenderTarget, bind: PostBinding = {}): PostFields {
    const { actionSecret, actionsUrl } = this.opts;
    const key = msg.key ?? bind.key ?? `${REF_MARK}${randomBytes(12).toString('base64url')}`;
    const binding = { channelId, key, expiresAt: Date.now() + this.opts.actionTtlMs, ...(bind.audience ? { audience: bind.audience } : {}) };
    const post = toMattermostPost(msg, {
      mentions: this.opts.mentions(),
      // The message's own zone (an answer to its reader) wins over a looked-up profile zone.
      zone: msg.zone ?? target?.readerZone ?? this.opts.zone(),
      buttonIntegration: (b: Button) => ({ url: actionsUrl, context: { ...signButton(actionSecret, b.actionId, b.value, binding) } }),
    });
    const props: Record<string, unknown> = {};
    const hasButtons = (msg.buttons?.length ?? 0) > 0;
    if (post.props.attachments && post.props.attachments.length > 0) props.attachments = post.props.attachments;
    if (key.startsWith(REF_MARK)) {
      // Only a post with buttons needs the made-up key: nothing else is checked against it.
      if (hasButtons) props.day2_ref = key;
    } else props.day2_key = key;
    return { message: clamp(post.message, MAX_MESSAGE_LENGTH), props };
  }

  /** A piece of markup alone (dialog introductions, channel headers), dates in `zone` if given. */
  markup(markup: Markup, zone?: string): string {
    return toMattermostPost({ body: markup, summary: '' }, { mentions: this.opts.mentions(), zone: zone ?? this.opts.zone(), buttonIntegration: () => ({ url: this.opts.actionsUrl, context: {} }) }).message;
  }
}
