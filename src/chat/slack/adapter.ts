/**
 * The Slack adapter: Day2's ChatAdapter on @slack/bolt 5. Inbound requests arrive through Bolt
 * (receiver.ts, listeners.ts); everything Day2 sends goes through its own WebClient (client.ts)
 * so failures come out as coded errors (errors.ts) and nothing is retried behind the queue's back.
 */
import type { WebClient } from '@slack/web-api';
import type { types } from '@slack/bolt';
import type { Router } from 'express';
import type { FormSpec, OutboundMessage } from '../message.js';
import type { Capabilities, ChatAdapter, Dispatch, DutyGroupResult, DutyGroupSpec, MessageRef, RenderTarget, UserInfo } from '../port.js';
import { PermanentError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import type { Logger } from '../../log.js';
import type { MentionResolver, SerializeOptions } from '../../render/serialize-options.js';
import { toSlackMessage } from '../../render/slack.js';
import { isValidZone } from '../../time/zone.js';
import { TtlCache } from '../ttl-cache.js';
import { createSlackClient, slackCall } from './client.js';
import { syncSlackUsergroup } from './duty-group.js';
import { formToModal } from './form.js';
import { registerListeners, type Replier } from './listeners.js';
import { createBolt, type BoltSetup, type RawHandler } from './receiver.js';

export interface SlackAdapterOptions {
  /** Bot token (`xoxb-…`, SLACK_BOT_TOKEN). */
  token: string;
  /** Signing secret (SLACK_SIGNING_SECRET); required in HTTP mode, unused in Socket Mode. */
  signingSecret: string;
  /** App-level token (`xapp-…`, SLACK_APP_TOKEN): when set, Socket Mode instead of HTTP. */
  appToken?: string;
  /** Web API base (SLACK_API_URL), e.g. a fake's `http://127.0.0.1:PORT/api/`. Default Slack's. */
  apiUrl?: string;
  /** HTTP mode: `POST /slack/events` is mounted on this router. Must not sit behind a body parser. */
  router?: Router;
  /** HTTP mode, preferred over `router`: mount `/slack/events` as a raw route on Day2's server. */
  mountRaw?: (method: 'POST', path: string, handler: RawHandler) => void;
  /** Read on every render, so a config reload takes effect without rebuilding the adapter. */
  mentions: () => MentionResolver;
  /** Fallback zone for dates when the reader's is unknown. */
  zone: () => string;
  log: Logger;
  metrics: Metrics;
  /** How long a command or modal submission may wait for dispatch before the ack goes out. Default 2500 ms, at most 2800. */
  ackBudgetMs?: number;
}

/** Who the token belongs to, from auth.test. */
export interface SlackIdentity {
  teamId: string;
  botUserId: string;
  botId: string;
}

type Blocks = (types.KnownBlock | types.Block)[];

const DELIVERY_EVENT_TYPE = 'day2_delivery';
const MAX_ACK_BUDGET_MS = 2800;
/** usergroups.list is Tier 2 (~20/min) and memberships change rarely: refresh every 5 minutes. */
const GROUPS_TTL_MS = 5 * 60_000;
/** findPosted reads at most this many pages of history or thread replies (200 messages each). */
const HISTORY_PAGES = 5;

/**
 * Build the adapter: checks the token with auth.test (a bad token fails here with
 * PermanentError 'auth'), mounts `/slack/events` on `opts.router` in HTTP mode, and returns an
 * adapter that refuses Slack requests (503, Slack retries) until `start(dispatch)`.
 */
export async function createSlackAdapter(opts: SlackAdapterOptions): Promise<SlackAdapter> {
  const web = createSlackClient(opts.token, opts.log, opts.apiUrl);
  const auth = await slackCall('auth.test', () => web.auth.test());
  if (!auth.user_id || !auth.bot_id || !auth.team_id) {
    throw new PermanentError('auth', 'SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot id): use the Bot User OAuth Token (xoxb-…)');
  }
  return new SlackAdapter(opts, web, { teamId: auth.team_id, botUserId: auth.user_id, botId: auth.bot_id });
}

export class SlackAdapter implements ChatAdapter, Replier {
  readonly platform = 'slack' as const;
  readonly capabilities: Capabilities = { threads: true, forms: true, ephemeral: true, dateTokens: true, buttons: true, maxTextLength: 40_000, dutyGroup: 'usergroup' };
  readonly identity: SlackIdentity;
  readonly mode: 'http' | 'socket';

  private readonly bolt: BoltSetup;
  private dispatch: Dispatch | undefined;
  private running = false;
  private readonly dmChannels = new Map<string, string>();
  /** Channel names by id (null: could not be read); names change rarely. */
  private readonly channelNames = new TtlCache<string | null>();
  private groups: { at: number; list: Promise<{ id: string; users: string[] }[]> } | undefined;

  constructor(
    private readonly opts: SlackAdapterOptions,
    private readonly web: WebClient,
    identity: SlackIdentity,
  ) {
    this.identity = identity;
    this.bolt = createBolt({
      token: opts.token,
      signingSecret: opts.signingSecret,
      ...(opts.appToken ? { appToken: opts.appToken } : {}),
      ...(opts.router ? { router: opts.router } : {}),
      ...(opts.mountRaw ? { mountRaw: opts.mountRaw } : {}),
      botId: identity.botId,
      botUserId: identity.botUserId,
      ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}),
      log: opts.log,
      accepting: () => this.running,
    });
    this.mode = this.bolt.mode;
    registerListeners(this.bolt.app, {
      dispatch: () => this.dispatch,
      replier: this,
      botUserId: identity.botUserId,
      // Bolt answers 404 itself once 3 s pass without an ack; keep a margin for the ack's own trip.
      ackBudgetMs: Math.min(opts.ackBudgetMs ?? 2500, MAX_ACK_BUDGET_MS),
      log: opts.log,
      metrics: opts.metrics,
    });
  }

  async start(dispatch: Dispatch): Promise<void> {
    if (this.running) return;
    this.dispatch = dispatch;
    // Socket Mode connects here (apps.connections.open, then the websocket); HTTP has nothing to do.
    await slackCall('apps.connections.open', () => this.bolt.start());
    this.running = true;
    this.opts.log.info({ mode: this.mode, team: this.identity.teamId, botUserId: this.identity.botUserId }, 'slack: receiving');
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.bolt.stop();
  }

  async ping(): Promise<void> {
    await slackCall('auth.test', () => this.web.auth.test());
  }

  /** Block Kit + fallback text for a message, rendered for `target` (reader's zone) when given. */
  render(message: OutboundMessage, target?: RenderTarget): { text: string; blocks: Record<string, unknown>[] } {
    // Blocks carry date tokens each reader sees in their own zone; the zone is for the fallback text.
    return toSlackMessage(message, this.serializeOptions(message.zone ? { readerZone: message.zone } : target));
  }

  async post(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    const res = await slackCall('chat.postMessage', () => {
      const m = this.render(message);
      return this.web.chat.postMessage({ channel: channelId, text: m.text, blocks: asBlocks(m.blocks), ...metadataOf(message) });
    });
    return { platform: 'slack', channelId: res.channel ?? channelId, messageId: requireTs(res.ts, 'chat.postMessage') };
  }

  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    // Replies to a reply go to the same thread: Slack threads are one level deep.
    const threadTs = thread.threadId ?? thread.messageId;
    const res = await slackCall('chat.postMessage', () => {
      const m = this.render(message);
      return this.web.chat.postMessage({ channel: thread.channelId, thread_ts: threadTs, text: m.text, blocks: asBlocks(m.blocks), ...metadataOf(message) });
    });
    return { platform: 'slack', channelId: res.channel ?? thread.channelId, messageId: requireTs(res.ts, 'chat.postMessage'), threadId: threadTs };
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    await slackCall('chat.update', () => {
      const m = this.render(message);
      return this.web.chat.update({ channel: ref.channelId, ts: ref.messageId, text: m.text, blocks: asBlocks(m.blocks), ...metadataOf(message) });
    });
  }

  async ephemeral(channelId: string, userId: string, message: OutboundMessage, target?: RenderTarget): Promise<void> {
    await slackCall('chat.postEphemeral', () => {
      const m = this.render(message, target);
      return this.web.chat.postEphemeral({ channel: channelId, user: userId, text: m.text, blocks: asBlocks(m.blocks) });
    });
  }

  async dm(userId: string, message: OutboundMessage, target?: RenderTarget): Promise<MessageRef> {
    const channelId = await this.dmChannelOf(userId);
    const res = await slackCall('chat.postMessage', () => {
      const m = this.render(message, target);
      return this.web.chat.postMessage({ channel: channelId, text: m.text, blocks: asBlocks(m.blocks), ...metadataOf(message) });
    });
    return { platform: 'slack', channelId: res.channel ?? channelId, messageId: requireTs(res.ts, 'chat.postMessage') };
  }

  async openForm(triggerId: string, form: FormSpec, context: { channelId?: string; userId: string }): Promise<void> {
    await slackCall('views.open', () => {
      const view = formToModal(form, { ...(context.channelId ? { channelId: context.channelId } : {}) }, this.serializeOptions());
      return this.web.views.open({ trigger_id: triggerId, view: view as unknown as types.ModalView });
    });
  }

  async getUser(userId: string): Promise<UserInfo> {
    const res = await slackCall('users.info', () => this.web.users.info({ user: userId }));
    const u = res.user;
    if (!u?.id) throw new PermanentError('not_found', `slack users.info: no user ${userId}`);
    const displayName = u.profile?.display_name || u.real_name || u.profile?.real_name;
    return {
      platform: 'slack',
      id: u.id,
      name: u.name ?? u.id,
      ...(displayName ? { displayName } : {}),
      // Slack sends tz for every human user; check it anyway, a bad zone would break date math.
      ...(u.tz && isValidZone(u.tz) ? { timeZone: u.tz } : {}),
      isBot: Boolean(u.is_bot),
    };
  }

  async channelName(channelId: string): Promise<string | undefined> {
    const cached = this.channelNames.get(channelId);
    if (cached !== undefined) return cached ?? undefined;
    try {
      const res = await slackCall('conversations.info', () => this.web.conversations.info({ channel: channelId }));
      const name = res.channel?.name ? `#${res.channel.name}` : null;
      this.channelNames.set(channelId, name);
      return name ?? undefined;
    } catch (err) {
      // Not a member of a private channel, or the channel is gone: the answer shows its id.
      this.opts.log.debug({ err, channelId }, 'slack: channel name lookup failed');
      return undefined;
    }
  }

  /** Slack config holds user ids (U…/W…), which DMs take as they are. */
  async userIdOf(handle: string): Promise<string | undefined> {
    const id = handle.trim();
    return id === '' ? undefined : id;
  }

  /** The on-duty people become the members of a user group (duty-group.ts). */
  async syncDutyGroup(spec: DutyGroupSpec): Promise<DutyGroupResult> {
    const result = await syncSlackUsergroup(this.web, spec);
    // Memberships changed: role checks through slack-group: principals must not wait 5 minutes.
    if (result.changed) this.groups = undefined;
    return result;
  }

  async groupsOf(userId: string): Promise<string[]> {
    const now = Date.now();
    if (!this.groups || now - this.groups.at > GROUPS_TTL_MS) {
      const list = slackCall('usergroups.list', () => this.web.usergroups.list({ include_users: true })).then((res) =>
        (res.usergroups ?? []).filter((g) => g.id).map((g) => ({ id: g.id!, users: g.users ?? [] })),
      );
      const entry = { at: now, list };
      this.groups = entry;
      // A failed fetch must not be cached: the next caller tries again.
      list.catch(() => {
        if (this.groups === entry) this.groups = undefined;
      });
    }
    const groups = await this.groups.list;
    return groups.filter((g) => g.users.includes(userId)).map((g) => `slack-group:${g.id}`);
  }

  /**
   * Looks for a message of this bot carrying the delivery key in its metadata, posted within the
   * last `sinceMs`. Slack returns metadata only with include_all_metadata. Thread replies are not
   * in conversations.history (only broadcast ones), so with `threadId` the thread itself is read
   * with conversations.replies.
   */
  async findPosted(channelId: string, key: string, sinceMs: number, threadId?: string): Promise<MessageRef | undefined> {
    const oldest = ((Date.now() - sinceMs) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const common = { channel: channelId, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const res = threadId
        ? await slackCall('conversations.replies', () => this.web.conversations.replies({ ...common, ts: threadId }))
        : await slackCall('conversations.history', () => this.web.conversations.history(common));
      for (const m of res.messages ?? []) {
        const meta = m.metadata as { event_type?: string; event_payload?: { key?: unknown } } | undefined;
        const ours = m.bot_id === this.identity.botId || m.user === this.identity.botUserId;
        if (ours && m.ts && meta?.event_type === DELIVERY_EVENT_TYPE && meta.event_payload?.key === key) {
          return { platform: 'slack', channelId, messageId: m.ts, ...(m.thread_ts && m.thread_ts !== m.ts ? { threadId: m.thread_ts } : {}) };
        }
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!res.has_more || !cursor) return undefined;
    }
    return undefined;
  }

  async dmChannelOf(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const res = await slackCall('conversations.open', () => this.web.conversations.open({ users: userId }));
    const id = res.channel?.id;
    if (!id) throw new PermanentError('not_found', `slack conversations.open: no DM channel for ${userId}`);
    // A DM channel id never changes for a user, so it is cached for the process lifetime.
    this.dmChannels.set(userId, id);
    return id;
  }

  private serializeOptions(target?: RenderTarget): SerializeOptions {
    return { mentions: this.opts.mentions(), zone: target?.readerZone ?? this.opts.zone() };
  }
}

/** Message metadata carrying the delivery key, so findPosted can recognise the post later. */
function metadataOf(message: OutboundMessage): { metadata?: { event_type: string; event_payload: { key: string } } } {
  return message.key ? { metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key: message.key } } } : {};
}

/** The renderer builds Block Kit JSON as plain records; the SDK wants its own block types. */
function asBlocks(blocks: Record<string, unknown>[]): Blocks {
  return blocks as unknown as Blocks;
}

function requireTs(ts: string | undefined, method: string): string {
  if (!ts) throw new PermanentError('permanent', `slack ${method}: ok response without ts`);
  return ts;
}
