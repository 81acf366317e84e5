/**
 * A fake Slack for tests: a real HTTP server on 127.0.0.1 that answers the Web API methods Day2
 * uses in the shapes of Slack's published spec (see slack-spec.ts), and that can act like Slack
 * toward the app: signed slash commands, button clicks, modal submissions and Events API calls.
 *
 * Wire format as real Slack and @slack/web-api use it: POST /api/<method>, form-encoded (or JSON)
 * body with object arguments (`blocks`, `view`, `metadata`) JSON-encoded into one field, token in
 * `Authorization: Bearer`. Errors come back as HTTP 200 `{ok:false,error}`, rate limits as 429 +
 * Retry-After. Every call is recorded for assertions.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { modalProblems, parseMetadata, publicMessage, stateValue, usergroupObject, userObject } from './slack-shapes.js';
import { manifestBotScopes, missingScope } from './slack-scopes.js';
import { specMethod, validateSlackCall } from './slack-spec.js';

export interface FakeSlackOptions {
  /** Bot token the fake accepts (default `xoxb-fake-token`). */
  token?: string;
  /** App-level token for Socket Mode's apps.connections.open (default `xapp-1-fake-app-token`). */
  appToken?: string;
  /** Secret used to sign requests toward the app (default `fake-signing-secret`). */
  signingSecret?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** Enforce Slack's ~1 message/s per channel on chat.postMessage with a 429 (default false). */
  perChannelRateLimit?: boolean;
  /** How long a trigger_id can open a modal (Slack: about 3 s). */
  triggerTtlMs?: number;
  /** Where the app under test listens, for sendCommand/clickButton/submitView/sendEvent. */
  appBaseUrl?: string;
  /** OAuth scopes the bot token holds (default: those slack-app-manifest.yaml requests). */
  scopes?: string[];
}

export interface RecordedCall {
  method: string;
  /** Arguments as Slack parsed them (JSON-encoded fields decoded). */
  args: Record<string, unknown>;
  at: number;
  contentType: string;
  /** HTTP status sent (0 when the connection was dropped on purpose). */
  status: number;
  response?: Record<string, unknown>;
}

export type Failure =
  | { status: 429; retryAfter: number }
  | { status: number }
  | { error: string }
  /** Process the call (store the message), then drop the connection without answering. */
  | { hangAfterProcessing: true };

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  display_name?: string;
  tz?: string;
  is_bot?: boolean;
}

export interface FakeUsergroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
  /** Disabled with usergroups.disable (listed only with include_disabled). */
  disabled?: boolean;
}

export interface StoredMessage {
  type: 'message';
  ts: string;
  text: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  blocks?: unknown[];
  thread_ts?: string;
  reply_broadcast?: boolean;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edited?: { user: string; ts: string };
}

export interface StoredEphemeral {
  channel: string;
  user: string;
  text: string;
  blocks?: unknown[];
  via: 'chat.postEphemeral' | 'response_url';
  at: number;
}

export interface ResponseUrlPost {
  id: string;
  body: Record<string, unknown>;
  at: number;
}

export interface SignedRequestOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Sign with this secret instead of the fake's (to forge). */
  secret?: string;
  retryNum?: number;
  retryReason?: string;
  contentType?: string;
}

export interface AppResponse {
  status: number;
  text: string;
  /** Parsed JSON body, when the app answered JSON. */
  json?: Record<string, unknown>;
}

export type ChannelState = 'missing' | 'archived' | 'not_in_channel';

type Json = Record<string, unknown>;

/**
 * Methods newer than the 2020 spec: served, but not validated against it.
 * apps.connections.open: https://docs.slack.dev/reference/methods/apps.connections.open
 */
const NEWER_THAN_SPEC = new Set(['apps.connections.open']);

const JSON_FIELDS: Record<string, string> = { blocks: 'invalid_blocks', attachments: 'invalid_attachments', view: 'invalid_arguments', metadata: 'invalid_metadata_format' };
const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;

export class FakeSlack {
  readonly token: string;
  readonly appToken: string;
  readonly signingSecret: string;
  readonly teamId: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  perChannelRateLimit: boolean;
  readonly triggerTtlMs: number;
  /** Scopes the bot token holds; a method needing another answers `missing_scope`. */
  scopes: string[];
  /** Whether the workspace lets apps manage user groups (else `permission_denied`, as Slack). */
  usergroupsEditable = true;
  appBaseUrl: string | undefined;

  /** Every Web API call, in arrival order. */
  readonly calls: RecordedCall[] = [];
  readonly ephemerals: StoredEphemeral[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly usergroups: FakeUsergroup[] = [];
  /** Modals opened through views.open, by view id. */
  readonly views = new Map<string, Json>();

  private readonly channels = new Map<string, StoredMessage[]>();
  private readonly channelNames = new Map<string, string>();
  private readonly channelStates = new Map<string, ChannelState>();
  private readonly failures = new Map<string, Failure[]>();
  private readonly lastPostAt = new Map<string, number>();
  private readonly triggers = new Map<string, { issuedAt: number; used: boolean }>();
  private readonly responseUrls = new Map<string, { channel: string; user: string; messageTs?: string; ephemeral: boolean }>();
  private readonly dmChannels = new Map<string, string>();
  private lastMicros = 0;
  private counter = 0;
  private server: Server | undefined;
  private baseUrl = '';
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly socketAcks = new Map<string, (payload: Json) => void>();
  /** Every frame the app sent over Socket Mode (its acks), as received. */
  readonly socketFrames: string[] = [];
  private pinger: NodeJS.Timeout | undefined;

  constructor(opts: FakeSlackOptions = {}) {
    this.token = opts.token ?? 'xoxb-fake-token';
    this.appToken = opts.appToken ?? 'xapp-1-fake-app-token';
    this.signingSecret = opts.signingSecret ?? 'fake-signing-secret';
    this.teamId = opts.teamId ?? 'T0DAY2TEAM';
    this.botUserId = opts.botUserId ?? 'U0DAY2BOT';
    this.botId = opts.botId ?? 'B0DAY2BOT1';
    this.appId = opts.appId ?? 'A0DAY2APP1';
    this.perChannelRateLimit = opts.perChannelRateLimit ?? false;
    this.triggerTtlMs = opts.triggerTtlMs ?? 3000;
    this.appBaseUrl = opts.appBaseUrl;
    this.scopes = opts.scopes ?? [...manifestBotScopes()];
    this.addUser({ id: this.botUserId, name: 'day2', real_name: 'Day2', is_bot: true });
  }

  /** `http://127.0.0.1:PORT` */
  get url(): string {
    return this.baseUrl;
  }

  /** Value for SLACK_API_URL / `slackApiUrl`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  async listen(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(err));
      });
    });
    // Socket Mode: the URL handed out by apps.connections.open upgrades to a websocket here.
    server.on('upgrade', (req, socket, head) => {
      if (!(req.url ?? '').startsWith('/link/')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.acceptSocket(ws));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    clearInterval(this.pinger);
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  // ---- set-up --------------------------------------------------------------------------------

  addUser(user: FakeUser): void {
    this.users.set(user.id, user);
  }

  addUsergroup(group: FakeUsergroup): void {
    this.usergroups.push(group);
  }

  /** The user group with this handle, as Slack holds it now. */
  usergroupByHandle(handle: string): FakeUsergroup | undefined {
    return this.usergroups.find((g) => g.handle === handle);
  }

  /** Give a channel the name conversations.info answers (default: its id in lowercase). */
  nameChannel(channel: string, name: string): void {
    this.channelNames.set(channel, name);
  }

  /** Make a channel behave as deleted, archived, or one the bot is not a member of. */
  setChannelState(channel: string, state: ChannelState | undefined): void {
    if (state) this.channelStates.set(channel, state);
    else this.channelStates.delete(channel);
  }

  /** Queue a failure for the next call to `method` (several queue up in order). */
  failNext(method: string, failure: Failure): void {
    const list = this.failures.get(method) ?? [];
    list.push(failure);
    this.failures.set(method, list);
  }

  /** Put a message in a channel as if someone (default: the bot) had posted it earlier. */
  seedMessage(channel: string, message: Partial<StoredMessage> & { text: string }): StoredMessage {
    const stored: StoredMessage = { type: 'message', ts: this.nextTs(), user: this.botUserId, bot_id: this.botId, app_id: this.appId, team: this.teamId, ...message };
    this.history(channel).push(stored);
    return stored;
  }

  /** A fresh trigger_id, valid for `triggerTtlMs`. */
  issueTrigger(): string {
    const id = `${Date.now()}.${this.counter++}.${randomBytes(6).toString('hex')}`;
    this.triggers.set(id, { issuedAt: Date.now(), used: false });
    return id;
  }

  // ---- inspection ----------------------------------------------------------------------------

  messages(channel: string): StoredMessage[] {
    return [...(this.channels.get(channel) ?? [])];
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first call to `method` matching `pred`, polling until `timeoutMs`. */
  async waitForCall(method: string, pred: (c: RecordedCall) => boolean = () => true, timeoutMs = 10_000): Promise<RecordedCall> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.calls.find((c) => c.method === method && pred(c));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${method} call arrived within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Resolves with the first response_url post matching `pred`. */
  async waitForResponseUrl(pred: (p: ResponseUrlPost) => boolean = () => true, timeoutMs = 10_000): Promise<ResponseUrlPost> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.responseUrlPosts.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no response_url post arrived within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  // ---- acting as Slack toward the app ---------------------------------------------------------

  /** Sign exactly like Slack: `v0=` + hex HMAC-SHA256(secret, `v0:<ts>:<raw body>`). */
  sign(rawBody: string, timestamp: number, secret = this.signingSecret): string {
    return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  }

  /**
   * POST a signed request to the app. A string body is sent as-is (form-encoded unless told
   * otherwise), URLSearchParams as a form, anything else as JSON.
   */
  async signedRequest(appBaseUrl: string, path = '/slack/events', body: string | URLSearchParams | Json = {}, opts: SignedRequestOptions = {}): Promise<AppResponse> {
    let raw: string;
    let contentType: string;
    if (typeof body === 'string') {
      raw = body;
      contentType = opts.contentType ?? 'application/x-www-form-urlencoded';
    } else if (body instanceof URLSearchParams) {
      raw = body.toString();
      contentType = 'application/x-www-form-urlencoded';
    } else {
      raw = JSON.stringify(body);
      contentType = 'application/json';
    }
    const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': this.sign(raw, ts, opts.secret),
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (opts.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(opts.retryNum);
      headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
    }
    const res = await fetch(new URL(path, appBaseUrl), { method: 'POST', headers, body: raw });
    const text = await res.text();
    let json: Json | undefined;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text) json = JSON.parse(text) as Json;
    return { status: res.status, text, json };
  }

  /**
   * What the user sees after a slash command: the acknowledgement's own answer or, when it is
   * empty, the message that arrives on the command's response_url.
   */
  async commandAnswer(cmd: Parameters<FakeSlack['sendCommand']>[0]): Promise<{ status: number; body: { text?: string; blocks?: unknown[] } }> {
    const res = await this.sendCommand(cmd);
    let body = res.json as { text?: string; blocks?: unknown[] } | undefined;
    if (res.status === 200 && !body?.text && !body?.blocks) {
      const id = res.responseUrl.split('/').at(-1);
      body = (await this.waitForResponseUrl((p) => p.id === id)).body as { text?: string; blocks?: unknown[] };
    }
    return { status: res.status, body: body ?? {} };
  }

  /** A slash command, form-encoded like Slack sends it, with a live trigger_id and response_url. */
  async sendCommand(
    cmd: { command: string; text?: string; user_id: string; user_name?: string; channel_id: string; channel_name?: string },
    opts: SignedRequestOptions = {},
  ): Promise<AppResponse & { triggerId: string; responseUrl: string }> {
    const triggerId = this.issueTrigger();
    const responseUrl = this.newResponseUrl({ channel: cmd.channel_id, user: cmd.user_id, ephemeral: true });
    const form = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: this.teamId,
      team_domain: 'day2-fake',
      channel_id: cmd.channel_id,
      channel_name: cmd.channel_name ?? 'general',
      user_id: cmd.user_id,
      user_name: cmd.user_name ?? this.users.get(cmd.user_id)?.name ?? 'someone',
      command: cmd.command,
      text: cmd.text ?? '',
      api_app_id: this.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: triggerId,
    });
    const res = await this.signedRequest(this.app(), '/slack/events', form, opts);
    return { ...res, triggerId, responseUrl };
  }

  /** A block_actions click on a button of a stored (or ephemeral) message. */
  async clickButton(
    click: { actionId: string; value: string; blockId?: string; user_id: string; channel_id: string; message_ts: string; isEphemeral?: boolean },
    opts: SignedRequestOptions = {},
  ): Promise<AppResponse & { triggerId: string; responseUrl: string }> {
    const triggerId = this.issueTrigger();
    const ephemeral = click.isEphemeral ?? false;
    const responseUrl = this.newResponseUrl({ channel: click.channel_id, user: click.user_id, messageTs: click.message_ts, ephemeral });
    const stored = this.channels.get(click.channel_id)?.find((m) => m.ts === click.message_ts);
    const payload = {
      type: 'block_actions',
      user: { id: click.user_id, username: this.users.get(click.user_id)?.name ?? 'someone', name: this.users.get(click.user_id)?.name ?? 'someone', team_id: this.teamId },
      api_app_id: this.appId,
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: click.message_ts, channel_id: click.channel_id, is_ephemeral: ephemeral },
      trigger_id: triggerId,
      team: { id: this.teamId, domain: 'day2-fake' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: click.channel_id, name: 'general' },
      message: stored ?? { type: 'message', ts: click.message_ts, text: '', user: this.botUserId },
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          action_id: click.actionId,
          block_id: click.blockId ?? 'actions',
          text: { type: 'plain_text', text: click.actionId, emoji: true },
          value: click.value,
          type: 'button',
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
    const res = await this.signedRequest(this.app(), '/slack/events', new URLSearchParams({ payload: JSON.stringify(payload) }), opts);
    return { ...res, triggerId, responseUrl };
  }

  /**
   * Submit a modal opened through views.open. `values` are by block id (= Day2 field name) and
   * become `view.state.values` in the element's own shape, as Slack builds it.
   */
  async submitView(sub: { viewId: string; user_id: string; values: Record<string, string | string[] | boolean | undefined> }, opts: SignedRequestOptions = {}): Promise<AppResponse> {
    const view = this.views.get(sub.viewId);
    if (!view) throw new Error(`no view ${sub.viewId} was opened`);
    const values: Record<string, Record<string, Json>> = {};
    for (const block of (view.blocks as Json[]) ?? []) {
      if (block.type !== 'input') continue;
      const element = block.element as Json;
      const blockId = String(block.block_id);
      values[blockId] = { [String(element.action_id)]: stateValue(element, sub.values[blockId]) };
    }
    const payload = {
      type: 'view_submission',
      team: { id: this.teamId, domain: 'day2-fake' },
      user: { id: sub.user_id, username: this.users.get(sub.user_id)?.name ?? 'someone', name: this.users.get(sub.user_id)?.name ?? 'someone', team_id: this.teamId },
      api_app_id: this.appId,
      token: 'legacy-verification-token',
      trigger_id: this.issueTrigger(),
      view: { ...view, state: { values } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.signedRequest(this.app(), '/slack/events', new URLSearchParams({ payload: JSON.stringify(payload) }), opts);
  }

  /**
   * The user closes a modal (the X or the close button) with `values` typed but not submitted.
   * Slack sends `view_closed` only for views opened with `notify_on_close: true`; otherwise
   * nothing reaches the app and this resolves undefined. Payload shape per the view interaction
   * payload reference (no trigger_id; `is_cleared` false for a user's close).
   */
  async closeView(sub: { viewId: string; user_id: string; values?: Record<string, string | string[] | boolean | undefined> }, opts: SignedRequestOptions = {}): Promise<AppResponse | undefined> {
    const view = this.views.get(sub.viewId);
    if (!view) throw new Error(`no view ${sub.viewId} was opened`);
    if (view.notify_on_close !== true) return undefined;
    const values: Record<string, Record<string, Json>> = {};
    for (const block of (view.blocks as Json[]) ?? []) {
      if (block.type !== 'input') continue;
      const element = block.element as Json;
      const blockId = String(block.block_id);
      values[blockId] = { [String(element.action_id)]: stateValue(element, sub.values?.[blockId]) };
    }
    const name = this.users.get(sub.user_id)?.name ?? 'someone';
    const payload = {
      type: 'view_closed',
      team: { id: this.teamId, domain: 'day2-fake' },
      user: { id: sub.user_id, username: name, name, team_id: this.teamId },
      api_app_id: this.appId,
      token: 'legacy-verification-token',
      view: { ...view, state: { values } },
      is_cleared: false,
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.signedRequest(this.app(), '/slack/events', new URLSearchParams({ payload: JSON.stringify(payload) }), opts);
  }

  /** An Events API `event_callback`; pass the same `eventId` with `retryNum` to model a redelivery. */
  async sendEvent(event: Json, opts: SignedRequestOptions & { eventId?: string } = {}): Promise<AppResponse & { eventId: string }> {
    const eventId = opts.eventId ?? `Ev${Date.now().toString(36).toUpperCase()}${this.counter++}`;
    const envelope = {
      token: 'legacy-verification-token',
      team_id: this.teamId,
      api_app_id: this.appId,
      event: { event_ts: `${(Date.now() / 1000).toFixed(6)}`, ...event },
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.teamId, user_id: this.botUserId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
    const res = await this.signedRequest(this.app(), '/slack/events', envelope, opts);
    return { ...res, eventId };
  }

  // ---- Socket Mode -----------------------------------------------------------------------------

  /** Open Socket Mode connections (the app connects after apps.connections.open). */
  get socketCount(): number {
    return this.sockets.size;
  }

  /**
   * Send one Socket Mode envelope to the connected app and resolve with the payload of its ack
   * (`{envelope_id, payload}` on the wire).
   */
  async socketSend(type: 'slash_commands' | 'interactive' | 'events_api', payload: Json, opts: { retryAttempt?: number; retryReason?: string; timeoutMs?: number } = {}): Promise<Json> {
    const ws = [...this.sockets][0];
    if (!ws) throw new Error('no Socket Mode connection is open');
    const envelopeId = randomBytes(8).toString('hex');
    const acked = new Promise<Json>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ack for ${type} envelope within ${opts.timeoutMs ?? 10_000} ms`)), opts.timeoutMs ?? 10_000);
      this.socketAcks.set(envelopeId, (p) => {
        clearTimeout(timer);
        resolve(p);
      });
    });
    ws.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        ...(type === 'events_api' ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' } : {}),
      }),
    );
    return acked;
  }

  /**
   * Send one text frame exactly as given (malformed envelopes). With an `envelopeId`, resolves
   * with the payload of its ack, or undefined when none arrives within `waitMs` (default 1 s).
   */
  async socketSendRaw(text: string, opts: { envelopeId?: string; waitMs?: number } = {}): Promise<Json | undefined> {
    const ws = [...this.sockets][0];
    if (!ws) throw new Error('no Socket Mode connection is open');
    const waitMs = opts.waitMs ?? 1000;
    const acked = new Promise<Json | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      if (opts.envelopeId)
        this.socketAcks.set(opts.envelopeId, (p) => {
          clearTimeout(timer);
          resolve(p);
        });
    });
    ws.send(text);
    return acked;
  }

  /** A slash command over Socket Mode; resolves with the ack payload (the app's answer). */
  async socketCommand(cmd: { command: string; text?: string; user_id: string; channel_id: string }): Promise<{ ack: Json; triggerId: string }> {
    const triggerId = this.issueTrigger();
    const ack = await this.socketSend('slash_commands', {
      token: 'legacy-verification-token',
      team_id: this.teamId,
      team_domain: 'day2-fake',
      channel_id: cmd.channel_id,
      channel_name: 'general',
      user_id: cmd.user_id,
      user_name: this.users.get(cmd.user_id)?.name ?? 'someone',
      command: cmd.command,
      text: cmd.text ?? '',
      api_app_id: this.appId,
      is_enterprise_install: 'false',
      response_url: this.newResponseUrl({ channel: cmd.channel_id, user: cmd.user_id, ephemeral: true }),
      trigger_id: triggerId,
    });
    return { ack, triggerId };
  }

  /** An Events API event over Socket Mode, with Slack's retry_attempt for redeliveries. */
  async socketEvent(event: Json, opts: { eventId?: string; retryAttempt?: number } = {}): Promise<{ eventId: string }> {
    const eventId = opts.eventId ?? `Ev${Date.now().toString(36).toUpperCase()}${this.counter++}`;
    await this.socketSend(
      'events_api',
      {
        token: 'legacy-verification-token',
        team_id: this.teamId,
        api_app_id: this.appId,
        event: { event_ts: `${(Date.now() / 1000).toFixed(6)}`, ...event },
        type: 'event_callback',
        event_id: eventId,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ enterprise_id: null, team_id: this.teamId, user_id: this.botUserId, is_bot: true, is_enterprise_install: false }],
      },
      { ...(opts.retryAttempt !== undefined ? { retryAttempt: opts.retryAttempt, retryReason: 'timeout' } : {}) },
    );
    return { eventId };
  }

  private acceptSocket(ws: WebSocket): void {
    this.sockets.add(ws);
    ws.on('close', () => this.sockets.delete(ws));
    ws.on('message', (data) => {
      this.socketFrames.push(String(data));
      const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: Json };
      if (msg.envelope_id) this.socketAcks.get(msg.envelope_id)?.(msg.payload ?? {});
    });
    // Slack pings its Socket Mode clients; the client drops a connection that stays silent.
    if (!this.pinger) {
      this.pinger = setInterval(() => this.sockets.forEach((s) => s.ping()), 5_000);
      this.pinger.unref();
    }
    ws.send(JSON.stringify({ type: 'hello', num_connections: this.sockets.size, debug_info: { host: 'fake-slack' }, connection_info: { app_id: this.appId } }));
  }

  // ---- the server ------------------------------------------------------------------------------

  private app(): string {
    if (!this.appBaseUrl) throw new Error('set fake.appBaseUrl to the app under test first');
    return this.appBaseUrl;
  }

  private newResponseUrl(target: { channel: string; user: string; messageTs?: string; ephemeral: boolean }): string {
    const id = randomBytes(8).toString('hex');
    this.responseUrls.set(id, target);
    return `${this.baseUrl}/response/${id}`;
  }

  private history(channel: string): StoredMessage[] {
    let list = this.channels.get(channel);
    if (!list) this.channels.set(channel, (list = []));
    return list;
  }

  /** Message timestamps as Slack writes them (`1700000000.000100`), strictly increasing. */
  private nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();

    const responseMatch = /^\/response\/([a-f0-9]+)$/.exec(url.pathname);
    if (responseMatch && req.method === 'POST') return this.handleResponseUrl(responseMatch[1]!, raw, res);

    const apiMatch = /^\/api\/([A-Za-z.]+)$/.exec(url.pathname);
    if (!apiMatch) {
      res.writeHead(404).end();
      return;
    }
    const method = apiMatch[1]!;

    // Arguments: query string, then the body (form or JSON), with object fields JSON-decoded.
    const args: Json = Object.fromEntries(url.searchParams);
    if (contentType === 'application/json' && raw) Object.assign(args, JSON.parse(raw) as Json);
    else if (raw) Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
    const call: RecordedCall = { method, args, at: Date.now(), contentType, status: 200 };
    this.calls.push(call);

    const send = (status: number, body: Json | string, headers: Record<string, string> = {}) => {
      call.status = status;
      if (typeof body === 'string') {
        res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
        return;
      }
      call.response = body;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
    };

    for (const [field, error] of Object.entries(JSON_FIELDS)) {
      if (typeof args[field] !== 'string') continue;
      try {
        args[field] = JSON.parse(args[field] as string);
      } catch {
        return send(200, { ok: false, error });
      }
    }

    if (method !== 'api.test') {
      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
      if (!token) return send(200, { ok: false, error: 'not_authed' });
      // apps.connections.open takes the app-level token; everything else the bot token.
      if (token !== (method === 'apps.connections.open' ? this.appToken : this.token)) return send(200, { ok: false, error: 'invalid_auth' });
    }

    const failure = this.failures.get(method)?.shift();
    if (failure && 'status' in failure) {
      if (failure.status === 429) {
        const retryAfter = 'retryAfter' in failure ? failure.retryAfter : 1;
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
      }
      return send(failure.status, `fake failure ${failure.status}`);
    }
    if (failure && 'error' in failure) return send(200, { ok: false, error: failure.error });

    if (!NEWER_THAN_SPEC.has(method)) {
      if (!specMethod(method)) return send(200, { ok: false, error: 'unknown_method' });
      const needed = missingScope(method, this.scopes);
      if (needed) return send(200, { ok: false, error: 'missing_scope', needed, provided: this.scopes.join(',') });
      const problems = validateSlackCall({ method, args });
      if (problems.length > 0) return send(200, { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } });
    }

    const result = this.perform(method, args);
    if (failure && 'hangAfterProcessing' in failure) {
      // The work is done but the client never hears back: the "did it post or not?" case.
      call.status = 0;
      call.response = result.body;
      req.socket.destroy();
      return;
    }
    send(result.status ?? 200, result.body, result.headers);
  }

  private perform(method: string, args: Json): { status?: number; body: Json; headers?: Record<string, string> } {
    const ok = (body: Json) => ({ body: { ok: true, ...body } });
    const fail = (error: string, extra: Json = {}) => ({ body: { ok: false, error, ...extra } });
    const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? undefined : String(v));

    switch (method) {
      case 'api.test':
        return typeof args.error === 'string' ? fail(args.error, { args }) : ok({ args });

      case 'apps.connections.open':
        return ok({ url: `${this.baseUrl.replace(/^http/, 'ws')}/link/?ticket=${randomBytes(8).toString('hex')}&app_id=${this.appId}` });

      case 'auth.test':
        return ok({ url: 'https://day2-fake.slack.com/', team: 'Day2 Fake', user: 'day2', team_id: this.teamId, user_id: this.botUserId, bot_id: this.botId, is_enterprise_install: false });

      case 'chat.postMessage': {
        const channel = str(args.channel)!;
        const problem = this.channelProblem(channel);
        if (problem) return fail(problem);
        if (!args.text && !args.blocks && !args.attachments) return fail('no_text');
        if (args.blocks !== undefined && (!Array.isArray(args.blocks) || args.blocks.length > 50)) return fail('invalid_blocks');
        if (this.perChannelRateLimit) {
          const last = this.lastPostAt.get(channel);
          if (last !== undefined && Date.now() - last < 1000) return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } };
        }
        this.lastPostAt.set(channel, Date.now());
        const metadata = parseMetadata(args.metadata);
        if (metadata === null) return fail('invalid_metadata_format');
        const message: StoredMessage = {
          type: 'message',
          ts: this.nextTs(),
          // Slack truncates text past 40 000 characters rather than failing.
          text: (str(args.text) ?? '').slice(0, 40_000),
          user: this.botUserId,
          bot_id: this.botId,
          app_id: this.appId,
          team: this.teamId,
          ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
          ...(args.thread_ts ? { thread_ts: str(args.thread_ts) } : {}),
          ...(args.reply_broadcast === 'true' || args.reply_broadcast === true ? { reply_broadcast: true } : {}),
          ...(metadata ? { metadata } : {}),
        };
        this.history(channel).push(message);
        return ok({ channel, ts: message.ts, message: publicMessage(message, true) });
      }

      case 'chat.update': {
        const channel = str(args.channel)!;
        const problem = this.channelProblem(channel);
        if (problem) return fail(problem);
        const message = this.channels.get(channel)?.find((m) => m.ts === str(args.ts));
        if (!message) return fail('message_not_found');
        if (message.bot_id !== this.botId) return fail('cant_update_message');
        if (args.text === undefined && args.blocks === undefined) return fail('no_text');
        const metadata = parseMetadata(args.metadata);
        if (metadata === null) return fail('invalid_metadata_format');
        if (args.text !== undefined) message.text = String(args.text).slice(0, 40_000);
        if (Array.isArray(args.blocks)) message.blocks = args.blocks;
        if (metadata) message.metadata = metadata;
        message.edited = { user: this.botUserId, ts: this.nextTs() };
        // The 2020 spec types `message.blocks` here as an object, so the echo leaves blocks out.
        return ok({ channel, ts: message.ts, text: message.text, message: { text: message.text } });
      }

      case 'chat.postEphemeral': {
        const channel = str(args.channel)!;
        const problem = this.channelProblem(channel);
        if (problem) return fail(problem);
        const user = str(args.user)!;
        if (!this.users.has(user)) return fail('user_not_in_channel');
        if (!args.text && !args.blocks && !args.attachments) return fail('no_text');
        this.ephemerals.push({ channel, user, text: str(args.text) ?? '', ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}), via: 'chat.postEphemeral', at: Date.now() });
        return ok({ message_ts: this.nextTs() });
      }

      case 'conversations.info': {
        const channel = str(args.channel);
        if (!channel || !CHANNEL_ID.test(channel) || this.channelStates.get(channel) === 'missing') return fail('channel_not_found');
        const name = this.channelNames.get(channel) ?? channel.toLowerCase();
        return ok({ channel: { id: channel, name, is_channel: channel.startsWith('C'), is_private: channel.startsWith('G'), is_archived: this.channelStates.get(channel) === 'archived' } });
      }

      case 'conversations.open': {
        const users = (str(args.users) ?? '').split(',').filter(Boolean);
        if (users.length === 0 && !args.channel) return fail('users_list_not_supplied');
        if (users.length > 1) return fail('method_not_supported_for_channel_type');
        const user = users[0]!;
        if (!this.users.has(user)) return fail('user_not_found');
        let id = this.dmChannels.get(user);
        const already = id !== undefined;
        if (!id) this.dmChannels.set(user, (id = `D${String(this.dmChannels.size + 1).padStart(9, '0')}`));
        return ok({ channel: { id }, ...(already ? { already_open: true, no_op: true } : {}) });
      }

      case 'conversations.history': {
        const channel = str(args.channel);
        if (!channel) return fail('channel_not_found');
        const problem = this.channelProblem(channel);
        if (problem && problem !== 'is_archived') return fail(problem);
        const inclusive = args.inclusive === 'true' || args.inclusive === '1' || args.inclusive === true;
        const oldest = Number(str(args.oldest) ?? '0');
        const latest = args.latest !== undefined ? Number(str(args.latest)) : Number.POSITIVE_INFINITY;
        const limit = Math.min(Math.max(Number(str(args.limit) ?? '100') || 100, 1), 999);
        const withMetadata = args.include_all_metadata === 'true' || args.include_all_metadata === '1' || args.include_all_metadata === true;
        // Only channel-level messages: thread replies live in conversations.replies unless broadcast.
        let list = this.messages(channel)
          .filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast)
          .filter((m) => {
            const ts = Number(m.ts);
            return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest);
          })
          .reverse();
        const cursor = str(args.cursor);
        if (cursor) {
          const before = Buffer.from(cursor, 'base64').toString('utf8').replace(/^next_ts:/, '');
          list = list.filter((m) => Number(m.ts) < Number(before));
        }
        const page = list.slice(0, limit);
        const hasMore = list.length > limit;
        return ok({
          messages: page.map((m) => publicMessage(m, withMetadata)),
          has_more: hasMore,
          pin_count: 0,
          channel_actions_ts: null,
          channel_actions_count: 0,
          ...(hasMore ? { response_metadata: { next_cursor: Buffer.from(`next_ts:${page[page.length - 1]!.ts}`).toString('base64') } } : {}),
        });
      }

      case 'conversations.replies': {
        // A thread: its parent first, then the replies oldest first; ts may name any message of it.
        const channel = str(args.channel);
        if (!channel) return fail('channel_not_found');
        const problem = this.channelProblem(channel);
        if (problem && problem !== 'is_archived') return fail(problem);
        const all = this.messages(channel);
        const named = all.find((m) => m.ts === str(args.ts));
        if (!named) return fail('thread_not_found');
        const rootTs = named.thread_ts ?? named.ts;
        const parent = all.find((m) => m.ts === rootTs);
        if (!parent) return fail('thread_not_found');
        const inclusive = args.inclusive === 'true' || args.inclusive === '1' || args.inclusive === true;
        const oldest = Number(str(args.oldest) ?? '0');
        const latest = args.latest !== undefined ? Number(str(args.latest)) : Number.POSITIVE_INFINITY;
        const limit = Math.min(Math.max(Number(str(args.limit) ?? '1000') || 1000, 1), 1000);
        const withMetadata = args.include_all_metadata === 'true' || args.include_all_metadata === '1' || args.include_all_metadata === true;
        const replies = all.filter((m) => m.thread_ts === rootTs && m.ts !== rootTs);
        let list = replies.filter((m) => {
          const ts = Number(m.ts);
          return (inclusive ? ts >= oldest : ts > oldest) && (inclusive ? ts <= latest : ts < latest);
        });
        const cursor = str(args.cursor);
        if (cursor) {
          const after = Buffer.from(cursor, 'base64').toString('utf8').replace(/^next_ts:/, '');
          list = list.filter((m) => Number(m.ts) > Number(after));
        }
        const page = list.slice(0, limit);
        const hasMore = list.length > limit;
        const head = cursor
          ? []
          : [
              {
                ...publicMessage(parent, withMetadata),
                thread_ts: rootTs,
                reply_count: replies.length,
                subscribed: false,
                reply_users_count: new Set(replies.map((m) => m.user)).size,
                ...(replies.length > 0 ? { latest_reply: replies[replies.length - 1]!.ts, reply_users: [...new Set(replies.map((m) => m.user))] } : {}),
              },
            ];
        return ok({
          messages: [...head, ...page.map((m) => ({ ...publicMessage(m, withMetadata), parent_user_id: parent.user }))],
          has_more: hasMore,
          ...(hasMore ? { response_metadata: { next_cursor: Buffer.from(`next_ts:${page[page.length - 1]!.ts}`).toString('base64') } } : {}),
        });
      }

      case 'users.info': {
        const user = this.users.get(str(args.user) ?? '');
        if (!user) return fail('user_not_found');
        return ok({ user: userObject(user, this.teamId) });
      }

      case 'usergroups.list': {
        const includeUsers = args.include_users === 'true' || args.include_users === '1' || args.include_users === true;
        const includeDisabled = args.include_disabled === 'true' || args.include_disabled === '1' || args.include_disabled === true;
        return ok({ usergroups: this.usergroups.filter((g) => includeDisabled || !g.disabled).map((g) => usergroupObject(g, this.teamId, includeUsers)) });
      }

      case 'usergroups.create':
      case 'usergroups.users.update':
      case 'usergroups.disable':
      case 'usergroups.enable':
        return this.changeUsergroup(method, args);

      case 'views.open':
        return this.openView(args);

      default:
        return fail('unknown_method');
    }
  }

  /**
   * Writes to user groups, as the method pages describe them: the workspace may keep them to
   * admins (`permission_denied`); handles and names are unique; members are the entire new list,
   * workspace humans only (bots: `invalid_user`), never none (that is usergroups.disable).
   */
  private changeUsergroup(method: string, args: Json): { body: Json } {
    const ok = (g: FakeUsergroup) => ({ body: { ok: true, usergroup: usergroupObject(g, this.teamId, true) } });
    const fail = (error: string) => ({ body: { ok: false, error } });
    if (!this.usergroupsEditable) return fail('permission_denied');
    if (method === 'usergroups.create') {
      const name = String(args.name);
      const handle = typeof args.handle === 'string' && args.handle !== '' ? args.handle : name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
      if (this.usergroups.some((g) => g.name === name)) return fail('name_already_exists');
      if (this.usergroups.some((g) => g.handle === handle) || [...this.users.values()].some((u) => u.name === handle)) return fail('handle_already_exists');
      const group: FakeUsergroup = { id: `S${String(this.usergroups.length + 1).padStart(9, '0')}`, handle, name, users: [] };
      this.usergroups.push(group);
      return ok(group);
    }
    const group = this.usergroups.find((g) => g.id === String(args.usergroup));
    if (!group) return fail('no_such_subteam');
    if (method === 'usergroups.disable') group.disabled = true;
    else if (method === 'usergroups.enable') group.disabled = false;
    else {
      const users = String(args.users).split(',').map((u) => u.trim()).filter(Boolean);
      if (users.length === 0) return fail('no_users_provided');
      if (users.some((u) => !this.users.has(u))) return fail('invalid_users');
      if (users.some((u) => this.users.get(u)!.is_bot)) return fail('invalid_user');
      group.users = [...new Set(users)];
    }
    return ok(group);
  }

  private channelProblem(channel: string): string | undefined {
    if (!CHANNEL_ID.test(channel)) return 'channel_not_found';
    const state = this.channelStates.get(channel);
    if (state === 'missing') return 'channel_not_found';
    if (state === 'archived') return 'is_archived';
    if (state === 'not_in_channel') return 'not_in_channel';
    return undefined;
  }

  private openView(args: Json): { body: Json } {
    const invalid = (...messages: string[]) => ({ body: { ok: false, error: 'invalid_arguments', response_metadata: { messages } } });
    const trigger = this.triggers.get(String(args.trigger_id));
    if (!trigger) return invalid('invalid `trigger_id`');
    if (trigger.used) return { body: { ok: false, error: 'exchanged_trigger_id' } };
    if (Date.now() - trigger.issuedAt > this.triggerTtlMs) return { body: { ok: false, error: 'expired_trigger_id' } };
    const view = args.view as Json;
    const problems = modalProblems(view);
    if (problems.length > 0) return invalid(...problems);
    trigger.used = true;
    const id = `V${String(this.views.size + 1).padStart(9, '0')}`;
    const stored: Json = {
      id,
      team_id: this.teamId,
      app_id: this.appId,
      bot_id: this.botId,
      callback_id: '',
      private_metadata: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      ...view,
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      root_view_id: id,
      previous_view_id: null,
    };
    this.views.set(id, stored);
    return { body: { ok: true, view: stored } };
  }

  private handleResponseUrl(id: string, raw: string, res: ServerResponse): void {
    const target = this.responseUrls.get(id);
    if (!target) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no_such_response_url');
      return;
    }
    const body = JSON.parse(raw || '{}') as Json;
    this.responseUrlPosts.push({ id, body, at: Date.now() });
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    if (body.delete_original === true && target.messageTs) {
      const list = this.channels.get(target.channel);
      const i = list?.findIndex((m) => m.ts === target.messageTs) ?? -1;
      if (list && i >= 0) list.splice(i, 1);
    } else if (body.replace_original === true && target.messageTs && !target.ephemeral) {
      const message = this.channels.get(target.channel)?.find((m) => m.ts === target.messageTs);
      if (message) {
        message.text = text;
        if (blocks) message.blocks = blocks;
      }
    } else if (body.response_type === 'in_channel') {
      this.seedMessage(target.channel, { text, ...(blocks ? { blocks } : {}) });
    } else {
      this.ephemerals.push({ channel: target.channel, user: target.user, text, ...(blocks ? { blocks } : {}), via: 'response_url', at: Date.now() });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
  }
}

/** Start a fake Slack on 127.0.0.1 and an ephemeral port. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  return new FakeSlack(opts).listen();
}

// ---- helpers -----------------------------------------------------------------------------------

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
