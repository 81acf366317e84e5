/**
 * What Mattermost sends us -> neutral InboundEvents. Payload shapes are upstream's
 * `model/command_args.go` (slash command form), `model/integration_action.go` (button click and
 * dialog submission JSON) and the `posted` WebSocket event.
 */
import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ButtonEvent, CommandEvent, DirectMessageEvent, FormEvent } from '../port.js';

type Fields = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * A slash command's fields (form or query) as upstream model/command_args.go sends them. The
 * request's token proves Mattermost sent it, so `user_name` is Mattermost's own word here.
 */
export const commandFields = z.looseObject({
  user_id: z.string().min(1).max(64),
  channel_id: z.string().min(1).max(64),
  command: z.string().min(1).max(1000),
  text: z.string().max(16_383).optional(),
  trigger_id: z.string().max(1000).optional(),
  user_name: z.string().max(64).optional(),
  channel_name: z.string().max(64).optional(),
  team_id: z.string().max(64).optional(),
  response_url: z.string().max(2000).optional(),
});

/** Slash command. Undefined when a field is missing or of the wrong type. */
export function commandEvent(raw: Fields): CommandEvent | undefined {
  const parsed = commandFields.safeParse(raw);
  if (!parsed.success) return undefined;
  const f = parsed.data;
  const triggerId = str(f.trigger_id);
  return {
    kind: 'command',
    platform: 'mattermost',
    // Mattermost never retries a slash command, so without a trigger id any unique id is right.
    eventId: triggerId ?? `mm-cmd-${randomUUID()}`,
    user: { platform: 'mattermost', id: f.user_id, name: str(f.user_name) },
    channel: { platform: 'mattermost', id: f.channel_id, name: str(f.channel_name), teamId: str(f.team_id) },
    triggerId,
    command: f.command.split(/\s+/)[0] ?? f.command,
    text: (f.text ?? '').trim(),
  };
}

/**
 * Button click whose context verified to `actionId`/`value`; the clicker is who Mattermost says
 * `user_id` is (identity.ts), never the body's `user_name`.
 */
export function buttonEvent(body: Fields, action: { actionId: string; value: string; user: { id: string; username: string } }): ButtonEvent | undefined {
  const userId = action.user.id;
  const channelId = str(body.channel_id);
  if (!channelId) return undefined;
  const triggerId = str(body.trigger_id);
  const postId = str(body.post_id);
  return {
    kind: 'button',
    platform: 'mattermost',
    eventId: triggerId ?? `mm-btn-${randomUUID()}`,
    user: { platform: 'mattermost', id: userId, name: action.user.username },
    channel: { platform: 'mattermost', id: channelId, name: str(body.channel_name), teamId: str(body.team_id) },
    triggerId,
    actionId: action.actionId,
    value: action.value,
    message: postId ? { platform: 'mattermost', channelId, messageId: postId } : undefined,
  };
}

/** JSON with sorted keys, so equal submissions hash equally. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Fields)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * Dialog submission. Submissions carry no trigger id; the event id is derived from the dialog's
 * nonce, the user and the values, so a double-clicked submit is one event while a corrected
 * resubmission after validation errors is a new one.
 */
export function formEvent(body: Fields, form: { formId: string; state: string; nonce: string }, values: Record<string, string | string[]>, user: { id: string; username: string }): FormEvent {
  const userId = user.id;
  // A cancel (notify_on_cancel) comes with an empty submission; one dialog is cancelled once.
  const cancelled = body.cancelled === true;
  const digest = createHash('sha256').update(canonical([form.nonce, userId, cancelled ? 'cancelled' : (body.submission ?? null)])).digest('hex').slice(0, 32);
  return {
    kind: 'form',
    platform: 'mattermost',
    eventId: `mm-dlg-${cancelled ? 'x-' : ''}${digest}`,
    // Submissions carry no user_name; the name (which role grants use) comes from the API.
    user: { platform: 'mattermost', id: userId, name: user.username },
    channel: { platform: 'mattermost', id: str(body.channel_id) ?? '', teamId: str(body.team_id) },
    formId: form.formId,
    state: form.state,
    values,
    ...(cancelled ? { closed: true } : {}),
  };
}

/** A user's post in a direct channel with the bot, from a `posted` WebSocket event. */
export function directMessageEvent(msg: { event?: string; data?: Fields }, botUserId: string): DirectMessageEvent | undefined {
  if (msg.event !== 'posted' || !msg.data) return undefined;
  if (msg.data.channel_type !== 'D') return undefined;
  let post: Fields;
  try {
    post = typeof msg.data.post === 'string' ? (JSON.parse(msg.data.post) as Fields) : (msg.data.post as Fields);
  } catch {
    return undefined;
  }
  if (typeof post !== 'object' || post === null) return undefined;
  const id = str(post.id);
  const userId = str(post.user_id);
  const channelId = str(post.channel_id);
  if (!id || !userId || !channelId) return undefined;
  if (userId === botUserId) return undefined; // our own replies come back on the socket too
  if (str(post.type)) return undefined; // system messages (joins, header changes…)
  const props = (typeof post.props === 'object' && post.props !== null ? post.props : {}) as Fields;
  // Other bots and webhooks: answering them risks two bots talking to each other forever.
  if (props.from_bot === 'true' || props.from_bot === true || props.from_webhook === 'true') return undefined;
  const sender = str(msg.data.sender_name)?.replace(/^@/, '');
  return {
    kind: 'dm',
    platform: 'mattermost',
    eventId: id,
    user: { platform: 'mattermost', id: userId, name: sender },
    channel: { platform: 'mattermost', id: channelId, name: str(msg.data.channel_name) },
    text: typeof post.message === 'string' ? post.message : '',
  };
}
