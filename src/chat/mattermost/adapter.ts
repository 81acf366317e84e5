/**
 * Day2's Mattermost adapter: slash commands, buttons and dialogs over HTTP (routes.ts), direct
 * messages over the WebSocket (websocket.ts), everything outbound through the REST wrapper
 * (rest.ts) whose errors are already Day2's coded errors.
 */
import { randomUUID } from 'node:crypto';
import express, { type Router } from 'express';
import type { Logger } from '../../log.js';
import { PermanentError } from '../../errors.js';
import type { FormSpec, OutboundMessage } from '../message.js';
import type { Capabilities, ChatAdapter, Dispatch, DutyGroupResult, DutyGroupSpec, MessageRef, RenderTarget, UserInfo } from '../port.js';
import { toUserInfo, type MmPost, type MmUser } from './api-types.js';
import { findBotPost, syncDutyHeader } from './channel-posts.js';
import { commandHookId, ephemeralCommandResponse, postToCommandHook } from './command-hook.js';
import { toDialog } from './dialog.js';
import { MattermostIdentity } from './identity.js';
import { directMessageEvent } from './inbound.js';
import { DEFAULT_ACTION_TTL_MS, type MattermostAdapterOptions } from './options.js';
import { PostRenderer, type PostBinding } from './render.js';
import { MattermostRest } from './rest.js';
import { ACTIONS_PATH, mattermostRoutes } from './routes.js';
import { TtlCache } from '../ttl-cache.js';
import { MattermostSocket, type SocketMessage } from './websocket.js';

export { profileZone } from './api-types.js';
export type { MattermostAdapterOptions } from './options.js';

/** A reply is not held up longer than this for the reader's zone; it falls back to the default. */
const ZONE_LOOKUP_MS = 500;

export class MattermostAdapter implements ChatAdapter {
  readonly platform = 'mattermost' as const;
  readonly capabilities: Capabilities = { threads: true, forms: true, ephemeral: true, dateTokens: false, buttons: true, maxTextLength: 16_383, dutyGroup: 'channel-header' };
  /** The Mattermost endpoints; mount it at the root of the HTTP app (done for you with `router`). */
  readonly router: Router;

  private readonly rest: MattermostRest;
  private readonly renderer: PostRenderer;
  private readonly log: Logger;
  private dispatch: Dispatch | undefined;
  private socket: MattermostSocket | undefined;
  private me: Promise<MmUser> | undefined;
  private botId: string | undefined;
  private readonly dmChannels = new Map<string, string>();
  private readonly groups = new TtlCache<string[]>();
  private readonly zones = new TtlCache<string | null>();
  /** Channel names by id (null: could not be read); names change rarely. */
  private readonly channelNames = new TtlCache<string | null>();
  /** username -> user id; only found users are kept, so someone added later is found at once. */
  private readonly userIds = new TtlCache<string>();

  private get actionTtlMs(): number {
    return this.opts.actionTtlMs ?? DEFAULT_ACTION_TTL_MS;
  }

  constructor(private readonly opts: MattermostAdapterOptions) {
    this.log = opts.log.child({ platform: 'mattermost' });
    this.rest = new MattermostRest({ url: opts.url, token: opts.token, timeoutMs: opts.requestTimeoutMs });
    const publicUrl = opts.publicUrl.replace(/\/+$/, '');
    this.renderer = new PostRenderer({ mentions: opts.mentions, zone: opts.zone, actionSecret: opts.actionSecret, actionsUrl: `${publicUrl}${ACTIONS_PATH}`, actionTtlMs: this.actionTtlMs });
    this.router = express.Router();
    this.router.use(
      mattermostRoutes({
        commandTokens: opts.commandTokens,
        actionSecret: opts.actionSecret,
        ackBudgetMs: opts.ackBudgetMs ?? 2500,
        log: this.log,
        metrics: opts.metrics,
        dispatch: () => this.dispatch,
        render: async (msg, channelId, readerId, bind) => this.renderer.render(msg, channelId, readerId ? await this.targetFor(readerId, msg) : undefined, { ...(readerId ? { audience: readerId } : {}), ...bind }),
        identity: new MattermostIdentity(this.rest),
        late: { ephemeral: (c, u, m) => this.lateAnswer(c, u, m), commandReply: (url, c, u, m) => this.commandReply(url, c, u, m), update: (r, m) => this.update(r, m) },
      }),
    );
    opts.router?.use(this.router);
  }

  /** The bot's own user, fetched once (a failed attempt is retried on the next call). */
  private async bot(): Promise<MmUser> {
    if (!this.me) {
      this.me = this.rest.request<MmUser>({ method: 'GET', path: '/users/me' });
      this.me.then(
        (u) => (this.botId = u.id),
        () => (this.me = undefined),
      );
    }
    return this.me;
  }

  async start(dispatch: Dispatch): Promise<void> {
    // Fail at boot on a bad token or URL rather than on the first message.
    const me = await this.bot();
    this.botId = me.id;
    this.dispatch = dispatch;
    if ((this.opts.websocket ?? true) && !this.socket) {
      const retry = this.opts.websocketRetry ?? {};
      this.socket = new MattermostSocket({
        url: this.opts.url,
        token: this.opts.token,
        log: this.log,
        onMessage: (msg) => this.onSocketMessage(msg),
        minRetryMs: retry.minMs,
        jitterMs: retry.jitterMs,
        pingIntervalMs: retry.pingIntervalMs,
      });
      this.socket.start();
    }
    this.log.info({ bot: me.username }, 'mattermost adapter started');
  }

  async stop(): Promise<void> {
    this.dispatch = undefined;
    this.socket?.stop();
    this.socket = undefined;
  }

  private onSocketMessage(msg: SocketMessage): void {
    const dispatch = this.dispatch;
    if (!dispatch || !this.botId) return;
    const event = directMessageEvent(msg, this.botId);
    if (!event) return;
    const elog = this.log.child({ eventId: event.eventId, kind: 'dm' });
    dispatch(event)
      .then(async (result) => {
        if (result.reply) await this.createPost(event.channel.id, result.reply, undefined, await this.targetFor(event.user.id, result.reply), { audience: event.user.id });
      })
      .catch((err: unknown) => elog.error({ err }, 'mattermost direct message handling failed'));
  }

  async ping(): Promise<void> {
    await this.rest.request({ method: 'GET', path: '/users/me' });
  }

  private async createPost(channelId: string, message: OutboundMessage, rootId: string | undefined, target?: RenderTarget, bind?: PostBinding): Promise<MessageRef> {
    const fields = this.renderer.render(message, channelId, target, bind);
    const post = await this.rest.request<MmPost>({
      method: 'POST',
      path: '/posts',
      body: { channel_id: channelId, message: fields.message, props: fields.props, ...(rootId ? { root_id: rootId } : {}) },
      creates: true,
      posting: true,
    });
    return { platform: 'mattermost', channelId, messageId: post.id, ...(post.root_id ? { threadId: post.root_id } : {}) };
  }

  post(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.createPost(channelId, message, undefined);
  }

  reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    // Mattermost threads are flat: a reply to a reply belongs to the same root.
    return this.createPost(thread.channelId, message, thread.threadId ?? thread.messageId);
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const fields = this.renderer.render(message, ref.channelId);
    // Patch replaces props as a whole, so the full set (attachments, day2_key) is always sent.
    await this.rest.request({ method: 'PUT', path: `/posts/${encodeURIComponent(ref.messageId)}/patch`, body: { message: fields.message, props: fields.props }, posting: true });
  }

  /**
   * Render target for a message to one user: the given zone, else the zone from their profile
   * (cached; a slow or failed lookup falls back to the default zone rather than delaying the reply).
   * A message that names its reader's zone already (an answer) needs no lookup.
   */
  private async targetFor(userId: string, message: OutboundMessage, target?: RenderTarget): Promise<RenderTarget | undefined> {
    if (target?.readerZone || message.zone) return target;
    const cached = this.zones.get(userId);
    if (cached !== undefined) return cached ? { ...target, readerZone: cached } : target;
    let timer: NodeJS.Timeout | undefined;
    const lookup = this.getUser(userId).then(
      (u) => {
        this.zones.set(userId, u.timeZone ?? null);
        return u.timeZone;
      },
      (err: unknown) => {
        this.log.debug({ err, userId }, 'mattermost zone lookup failed');
        return undefined;
      },
    );
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ZONE_LOOKUP_MS)));
    const zone = await Promise.race([lookup, timeout]).finally(() => clearTimeout(timer));
    return zone ? { ...target, readerZone: zone } : target;
  }

  async ephemeral(channelId: string, userId: string, message: OutboundMessage, target?: RenderTarget): Promise<void> {
    const fields = this.renderer.render(message, channelId, await this.targetFor(userId, message, target), { audience: userId });
    await this.rest.request({
      method: 'POST',
      path: '/posts/ephemeral',
      body: { user_id: userId, post: { channel_id: channelId, message: fields.message, props: fields.props } },
      // Mattermost gives create_post_ephemeral to system admins only.
      forbiddenHint: 'the bot account needs the create_post_ephemeral permission (System Admin role) for ephemeral posts',
    });
  }

  /**
   * An answer to a click or a dialog after its HTTP response went out: an ephemeral post where the
   * bot may make one (system admins only), otherwise a direct message, so the answer is not lost.
   */
  async lateAnswer(channelId: string, userId: string, message: OutboundMessage): Promise<void> {
    try {
      await this.ephemeral(channelId, userId, message);
    } catch (err) {
      if (!(err instanceof PermanentError)) throw err;
      this.log.info({ err, userId }, 'mattermost: ephemeral post refused; sending the late answer as a direct message');
      await this.dm(userId, message);
    }
  }

  /**
   * A slash command's answer after its HTTP response went out. The command's response_url takes
   * it without any permission; POST /posts/ephemeral needs create_post_ephemeral (system admins
   * only) and is the fallback for an expired, used-up or missing hook.
   */
  async commandReply(responseUrl: unknown, channelId: string, userId: string, message: OutboundMessage): Promise<void> {
    const hookId = commandHookId(responseUrl);
    if (hookId) {
      const fields = this.renderer.render(message, channelId, await this.targetFor(userId, message), { audience: userId });
      try {
        await postToCommandHook(this.opts.url, hookId, ephemeralCommandResponse(fields), this.opts.requestTimeoutMs ?? 10_000);
        return;
      } catch (err) {
        // After a timeout the hook may have shown it already; a repeated note beats a lost answer.
        this.log.info({ err }, 'mattermost command response_url refused the late reply; sending it as an ephemeral post');
      }
    }
    await this.ephemeral(channelId, userId, message);
  }

  async dmChannelOf(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const me = await this.bot();
    const channel = await this.rest.request<{ id: string }>({ method: 'POST', path: '/channels/direct', body: [me.id, userId], posting: true });
    this.dmChannels.set(userId, channel.id);
    return channel.id;
  }

  async dm(userId: string, message: OutboundMessage, target?: RenderTarget): Promise<MessageRef> {
    const [channelId, readerTarget] = await Promise.all([this.dmChannelOf(userId), this.targetFor(userId, message, target)]);
    // A DM is for one person: only they may click its buttons.
    return this.createPost(channelId, message, undefined, readerTarget, { audience: userId });
  }

  async openForm(triggerId: string, form: FormSpec, context: { channelId?: string; userId: string }): Promise<void> {
    const bind = { userId: context.userId, ...(context.channelId ? { channelId: context.channelId } : {}), expiresAt: Date.now() + this.actionTtlMs };
    const dialog = toDialog(form, { secret: this.opts.actionSecret, nonce: randomUUID(), ...bind, renderMarkup: (m) => this.renderer.markup(m) });
    await this.rest.request({
      method: 'POST',
      path: '/actions/dialogs/open',
      body: { trigger_id: triggerId, url: `${this.opts.publicUrl.replace(/\/+$/, '')}${ACTIONS_PATH}`, dialog },
    });
  }

  async channelName(channelId: string): Promise<string | undefined> {
    const cached = this.channelNames.get(channelId);
    if (cached !== undefined) return cached ?? undefined;
    try {
      const ch = await this.rest.request<{ name?: string; display_name?: string }>({ method: 'GET', path: `/channels/${encodeURIComponent(channelId)}` });
      // The display name is what Mattermost shows its members in the sidebar.
      const name = ch.display_name || ch.name || null;
      this.channelNames.set(channelId, name);
      return name ?? undefined;
    } catch (err) {
      this.log.debug({ err, channelId }, 'mattermost channel name lookup failed');
      return undefined;
    }
  }

  async getUser(userId: string): Promise<UserInfo> {
    const u = await this.rest.request<MmUser>({ method: 'GET', path: `/users/${encodeURIComponent(userId)}` });
    const info = toUserInfo(u);
    this.zones.set(u.id, info.timeZone ?? null);
    return info;
  }

  async userIdOf(handle: string): Promise<string | undefined> {
    const username = handle.replace(/^@/, '').toLowerCase();
    if (!username) return undefined;
    const cached = this.userIds.get(username);
    if (cached) return cached;
    let user: MmUser;
    try {
      user = await this.rest.request<MmUser>({ method: 'GET', path: `/users/username/${encodeURIComponent(username)}` });
    } catch (e) {
      if (e instanceof PermanentError && e.code === 'not_found') return undefined;
      throw e;
    }
    this.userIds.set(username, user.id);
    return user.id;
  }

  /** The on-duty line in the Day2 part of the channel's header (channel-posts.ts). */
  syncDutyGroup(spec: DutyGroupSpec): Promise<DutyGroupResult> {
    return syncDutyHeader(this.rest, (m, zone) => this.renderer.markup(m, zone), spec);
  }

  async groupsOf(userId: string): Promise<string[]> {
    const cached = this.groups.get(userId);
    if (cached) return cached;
    const teams = await this.rest.request<{ id: string; delete_at?: number }[]>({ method: 'GET', path: `/users/${encodeURIComponent(userId)}/teams` });
    const groups = teams.filter((t) => !t.delete_at).map((t) => `mattermost-team:${t.id}`);
    this.groups.set(userId, groups);
    return groups;
  }

  async findPosted(channelId: string, key: string, sinceMs: number, threadId?: string): Promise<MessageRef | undefined> {
    return findBotPost(this.rest, (await this.bot()).id, channelId, key, sinceMs, threadId);
  }
}

/** Build the adapter; routes are mounted on `opts.router` at once (they answer 503 until start()). */
export async function createMattermostAdapter(opts: MattermostAdapterOptions): Promise<MattermostAdapter> {
  if (opts.commandTokens.length === 0) throw new Error('Mattermost adapter: commandTokens is empty; set MATTERMOST_COMMAND_TOKENS');
  if (opts.actionSecret.length < 16) throw new Error('Mattermost adapter: actionSecret must be at least 16 characters');
  return new MattermostAdapter(opts);
}
