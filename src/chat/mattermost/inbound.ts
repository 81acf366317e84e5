/**
 * What Mattermost sends us -> neutral InboundEvents. Payload shapes are upstream's
 * `model/command_args.go` (slash command form), `model/integration_action.go` (button click and
 * dialog submission JSON) and the `posted` WebSocket event.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ButtonEvent, CommandEvent, DirectMessageEvent, FormEvent } from '../port.js';

type Fields = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Slash command (form fields or query). Undefined when a required field is missing. */
export function commandEvent(f: Fields): CommandEvent | undefined {
  const userId = str(f.user_id);
  const channelId = str(f.channel_id);
  const command = str(f.command);
  if (!userId || !channelId || !command) return undefined;
  const triggerId = str(f.trigger_id);
  return {
    kind: 'command',
    platform: 'mattermost',
    // Mattermost never retries a slash command, so without a trigger id any unique id is right.
    eventId: triggerId ?? `mm-cmd-${randomUUID()}`,
    user: { platform: 'mattermost', id: userId, name: str(f.user_name) },
    channel: { platform: 'mattermost', id: channelId, name: str(f.channel_name), teamId: str(f.team_id) },
    triggerId,
    command: command.split(/\s+/)[0] ?? command,
    text: typeof f.text === 'string' ? f.text.trim() : '',
  };
}

/** Button click whose context already verified to `actionId`/`value`. */
export function buttonEvent(body: Fields, action: { actionId: string; value: string }): ButtonEvent | undefined {
  const userId = str(body.user_id);
  const channelId = str(body.channel_id);
  if (!userId || !channelId) return undefined;
  const triggerId = str(body.trigger_id);
  const postId = str(body.post_id);
  return {
    kind: 'button',
    platform: 'mattermost',
    eventId: triggerId ?? `mm-btn-${randomUUID()}`,
    user: { platform: 'mattermost', id: userId, name: str(body.user_name) },
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
export function formEvent(body: Fields, form: { formId: string; state: string; nonce: string }, values: Record<string, string | string[]>): FormEvent | undefined {
  const userId = str(body.user_id);
  if (!userId) return undefined;
  // A cancel (notify_on_cancel) comes with an empty submission; one dialog is cancelled once.
  const cancelled = body.cancelled === true;
  const digest = createHash('sha256').update(canonical([form.nonce, userId, cancelled ? 'cancelled' : (body.submission ?? null)])).digest('hex').slice(0, 32);
  return {
    kind: 'form',
    platform: 'mattermost',
    eventId: `mm-dlg-${cancelled ? 'x-' : ''}${digest}`,
    user: { platform: 'mattermost', id: userId },
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
