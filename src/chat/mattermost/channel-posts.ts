/**
 * Reading and writing a channel through the API on the adapter's behalf: the on-duty part of its
 * header, and the search for a post Day2 already made under a delivery key.
 */
import { PermanentError } from '../../errors.js';
import type { Markup } from '../message.js';
import type { DutyGroupResult, DutyGroupSpec, MessageRef } from '../port.js';
import type { MmPostList } from './api-types.js';
import { DUTY_CLOSE, DUTY_OPEN, HEADER_MAX_RUNES, mergeDutyHeader, runeLength } from './duty-header.js';
import type { MattermostRest } from './rest.js';

/**
 * The on-duty line goes into the Day2 part of the channel's header (duty-header.ts); the rest of
 * the header stays as the channel's people wrote it. Mattermost posts a "header changed" system
 * message on every change, so an unchanged header is not written again.
 */
export async function syncDutyHeader(rest: MattermostRest, markup: (m: Markup, zone?: string) => string, spec: DutyGroupSpec): Promise<DutyGroupResult> {
  const path = `/channels/${encodeURIComponent(spec.target)}`;
  // posting: a 403 here means the bot is not in the channel (or may not edit it).
  const channel = await rest.request<{ id: string; header?: string }>({ method: 'GET', path, posting: true });
  const before = channel.header ?? '';
  const header = mergeDutyHeader(before, markup(spec.line.body, spec.render?.readerZone));
  if (header === before) return { changed: false };
  if (runeLength(header) > HEADER_MAX_RUNES) {
    throw new PermanentError('permanent', `mattermost channel ${spec.target}: the header would be ${runeLength(header)} characters, over Mattermost's ${HEADER_MAX_RUNES}: shorten the text outside ${DUTY_OPEN} … ${DUTY_CLOSE}`);
  }
  await rest.request({ method: 'PUT', path: `${path}/patch`, body: { header }, posting: true });
  return { changed: true };
}

/**
 * Channel posts since the window began include thread replies, so one read covers both; with
 * `threadId` only replies under that root count.
 */
export async function findBotPost(rest: MattermostRest, botId: string, channelId: string, key: string, sinceMs: number, threadId?: string): Promise<MessageRef | undefined> {
  // sinceMs is a look-back window; an absolute epoch value (> 2001) is accepted as such.
  const since = sinceMs > 1e12 ? sinceMs : Date.now() - sinceMs;
  const list = await rest.request<MmPostList>({ method: 'GET', path: `/channels/${encodeURIComponent(channelId)}/posts`, query: { since: Math.max(1, Math.floor(since)) } });
  const matches = Object.values(list.posts ?? {})
    .filter((p) => p.user_id === botId && !p.delete_at && p.props?.day2_key === key && (threadId === undefined || p.root_id === threadId))
    .sort((a, b) => a.create_at - b.create_at);
  const first = matches[0];
  if (!first) return undefined;
  return { platform: 'mattermost', channelId, messageId: first.id, ...(first.root_id ? { threadId: first.root_id } : {}) };
}
