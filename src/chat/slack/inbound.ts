/**
 * Slack payloads -> Day2's neutral inbound events. Nothing Slack-shaped leaves this file.
 */
import type { BlockAction, SlashCommand, ViewClosedAction, ViewSubmitAction } from '@slack/bolt';
import type { ButtonEvent, CommandEvent, DirectMessageEvent, FormEvent, MessageRef } from '../port.js';
import { decodeMetadata, readFormValues, type SlackStateValue } from './form.js';

/**
 * Slack escapes `&`, `<` and `>` in the text it sends us (it uses `<…>` for its own mention and
 * link syntax). Commands are parsed as the user typed them, so undo exactly those three.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * The run-once key of a command, click or submission: its trigger id, unique per invocation. A
 * request without one is named by the digest of its signed body instead (see REQUEST_DIGEST in
 * receiver.ts), never by a placeholder several unrelated requests would share.
 */
export function eventIdOf(triggerId: unknown, digest: string): string {
  return typeof triggerId === 'string' && triggerId.length > 0 ? triggerId : `body-sha256.${digest}`;
}

/** The trigger id when Slack sent one (modals can only be opened with it). */
const triggerOf = (triggerId: unknown) => (typeof triggerId === 'string' && triggerId.length > 0 ? { triggerId } : {});

export function commandEvent(body: SlashCommand, digest: string, retryNum?: number): CommandEvent {
  return {
    kind: 'command',
    platform: 'slack',
    eventId: eventIdOf(body.trigger_id, digest),
    user: { platform: 'slack', id: body.user_id, ...(body.user_name ? { name: body.user_name } : {}) },
    channel: { platform: 'slack', id: body.channel_id, ...(body.channel_name ? { name: body.channel_name } : {}), teamId: body.team_id },
    ...triggerOf(body.trigger_id),
    ...(retryNum !== undefined ? { retryNum } : {}),
    command: body.command,
    text: unescapeSlackText(body.text ?? '').trim(),
  };
}

/** The first action of a block_actions payload; undefined for elements that carry no value. */
export function buttonEvent(body: BlockAction, digest: string, retryNum?: number): ButtonEvent | undefined {
  const action = body.actions[0] as { action_id?: string; value?: string; selected_option?: { value: string } } | undefined;
  if (!action?.action_id) return undefined;
  const value = action.value ?? action.selected_option?.value ?? '';
  const container = body.container as { channel_id?: string; message_ts?: string } | undefined;
  const channelId = container?.channel_id ?? body.channel?.id ?? '';
  const messageTs = container?.message_ts ?? body.message?.ts;
  const threadTs = body.message?.thread_ts as string | undefined;
  const message: MessageRef | undefined =
    channelId && messageTs ? { platform: 'slack', channelId, messageId: messageTs, ...(threadTs && threadTs !== messageTs ? { threadId: threadTs } : {}) } : undefined;
  return {
    kind: 'button',
    platform: 'slack',
    eventId: eventIdOf(body.trigger_id, digest),
    user: { platform: 'slack', id: body.user.id, ...(body.user.username ? { name: body.user.username } : {}) },
    channel: { platform: 'slack', id: channelId, ...(body.channel?.name ? { name: body.channel.name } : {}), ...(body.team?.id ? { teamId: body.team.id } : {}) },
    ...triggerOf(body.trigger_id),
    ...(retryNum !== undefined ? { retryNum } : {}),
    actionId: action.action_id,
    value,
    ...(message ? { message } : {}),
  };
}

/** A modal submission; the channel is the one the form was opened from (kept in private_metadata). */
export function formEvent(body: ViewSubmitAction, digest: string, retryNum?: number): FormEvent {
  const meta = decodeMetadata(body.view.private_metadata ?? '');
  return {
    kind: 'form',
    platform: 'slack',
    eventId: eventIdOf(body.trigger_id, digest),
    user: { platform: 'slack', id: body.user.id, ...(body.user.name ? { name: body.user.name } : {}) },
    channel: { platform: 'slack', id: meta.channelId ?? '', ...(body.team?.id ? { teamId: body.team.id } : {}) },
    ...triggerOf(body.trigger_id),
    ...(retryNum !== undefined ? { retryNum } : {}),
    formId: body.view.callback_id,
    state: meta.state,
    values: readFormValues(body.view.state.values as Record<string, Record<string, SlackStateValue>>),
  };
}

/**
 * A modal the user closed (`view_closed`, sent because Day2 opens modals with notify_on_close).
 * It carries no trigger id; a view is closed once, so its id and hash name the event.
 */
export function formClosedEvent(body: ViewClosedAction, retryNum?: number): FormEvent {
  const meta = decodeMetadata(body.view.private_metadata ?? '');
  return {
    kind: 'form',
    platform: 'slack',
    eventId: `view_closed.${body.view.id}.${body.view.hash ?? ''}`,
    user: { platform: 'slack', id: body.user.id, ...(body.user.name ? { name: body.user.name } : {}) },
    channel: { platform: 'slack', id: meta.channelId ?? '', ...(body.team?.id ? { teamId: body.team.id } : {}) },
    ...(retryNum !== undefined ? { retryNum } : {}),
    formId: body.view.callback_id,
    state: meta.state,
    values: readFormValues((body.view.state?.values ?? {}) as Record<string, Record<string, SlackStateValue>>),
    closed: true,
  };
}

export interface SlackMessageEvent {
  type: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
}

/**
 * A person's direct message to the bot. Everything else that arrives as a `message` event is
 * dropped here: other channel types, edits and deletions (they have a subtype), and anything a
 * bot wrote, ours included, so the bot can never answer itself.
 */
export function directMessageEvent(
  envelope: { event_id?: string; team_id?: string },
  event: SlackMessageEvent,
  botUserId: string | undefined,
  retryNum?: number,
): DirectMessageEvent | undefined {
  if (event.type !== 'message' || event.channel_type !== 'im') return undefined;
  if (event.subtype !== undefined || event.bot_id !== undefined) return undefined;
  if (!event.user || event.user === botUserId || !event.channel) return undefined;
  const text = unescapeSlackText(event.text ?? '').trim();
  if (!text || !envelope.event_id) return undefined;
  return {
    kind: 'dm',
    platform: 'slack',
    eventId: envelope.event_id,
    user: { platform: 'slack', id: event.user },
    channel: { platform: 'slack', id: event.channel, ...(envelope.team_id ? { teamId: envelope.team_id } : {}) },
    ...(retryNum !== undefined ? { retryNum } : {}),
    text,
  };
}
