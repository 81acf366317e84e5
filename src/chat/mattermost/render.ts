/**
 * OutboundMessage -> Mattermost post fields. The markdown and attachments come from the shared
 * serializer (src/render/mattermost.ts); this adds what only the adapter knows: where button
 * clicks go, their signed context, and the delivery key in props.
 */
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
}

export class PostRenderer {
  constructor(private readonly opts: PostRendererOptions) {}

  /**
   * Post fields for `msg` in `channelId`. Buttons are signed for that channel. `props.day2_key`
   * carries the delivery key so findPosted can recognise the post after an ambiguous failure.
   */
  render(msg: OutboundMessage, channelId: string, target?: RenderTarget): PostFields {
    const { actionSecret, actionsUrl } = this.opts;
    const post = toMattermostPost(msg, {
      mentions: this.opts.mentions(),
      zone: target?.readerZone ?? this.opts.zone(),
      buttonIntegration: (b: Button) => ({ url: actionsUrl, context: { ...signButton(actionSecret, b.actionId, b.value, channelId) } }),
    });
    const props: Record<string, unknown> = {};
    if (post.props.attachments && post.props.attachments.length > 0) props.attachments = post.props.attachments;
    if (msg.key !== undefined) props.day2_key = msg.key;
    return { message: clamp(post.message, MAX_MESSAGE_LENGTH), props };
  }

  /** A piece of markup alone (dialog introductions, channel headers), dates in `zone` if given. */
  markup(markup: Markup, zone?: string): string {
    return toMattermostPost({ body: markup, summary: '' }, { mentions: this.opts.mentions(), zone: zone ?? this.opts.zone(), buttonIntegration: () => ({ url: this.opts.actionsUrl, context: {} }) }).message;
  }
}
