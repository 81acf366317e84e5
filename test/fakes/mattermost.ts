/**
 * A fake Mattermost server for tests: a real HTTP server on 127.0.0.1 answering the REST calls
 * Day2 makes, in the spec's shapes (Content-Type exactly `application/json`, AppError bodies), a
 * WebSocket endpoint (mattermost-socket.ts), failure injection, and helpers that act like
 * Mattermost toward the app (slash command form posts, button clicks, dialog submissions).
 * Every call is recorded so tests can check it against the spec (mattermost-spec.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FakeSocketHub } from './mattermost-socket.js';

/** Mattermost ids: 26 lowercase letters and digits. */
export function mattermostId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(26);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export interface FakeTimezone {
  useAutomaticTimezone: 'true' | 'false';
  automaticTimezone: string;
  manualTimezone: string;
}

export interface FakeUser {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  nickname: string;
  email: string;
  is_bot: boolean;
  roles: string;
  locale: string;
  timezone: FakeTimezone;
  create_at: number;
  update_at: number;
  delete_at: number;
}

export interface FakeTeam {
  id: string;
  name: string;
  display_name: string;
  type: 'O' | 'I';
  create_at: number;
  update_at: number;
  delete_at: number;
  members: Set<string>;
}

export interface FakeChannel {
  id: string;
  team_id: string;
  type: 'O' | 'P' | 'D';
  name: string;
  display_name: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  members: Set<string>;
  /** Markdown shown at the top of the channel (upstream model.Channel.Header, at most 1024 runes). */
  header: string;
  /**
   * Members allowed to edit the channel's properties (header…): upstream's channel_user role has
   * manage_public/private_channel_properties by default; a permission scheme may take it away.
   */
  membersMayEdit: boolean;
}

export interface FakePost {
  id: string;
  create_at: number;
  update_at: number;
  edit_at: number;
  delete_at: number;
  is_pinned: boolean;
  user_id: string;
  channel_id: string;
  root_id: string;
  original_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
  hashtags: string;
  file_ids: string[];
  pending_post_id: string;
  metadata: Record<string, unknown>;
}

export interface FakeCommand {
  id: string;
  token: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  creator_id: string;
  team_id: string;
  trigger: string;
  method: string;
  username: string;
  icon_url: string;
  auto_complete: boolean;
  auto_complete_desc: string;
  auto_complete_hint: string;
  display_name: string;
  description: string;
  url: string;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  status: number;
  /** Which injected failure answered, if any. */
  injected?: string;
  userId?: string;
}

export interface OpenedDialog {
  trigger_id: string;
  url: string;
  dialog: Record<string, unknown> & { callback_id?: string; state?: string; elements: Record<string, unknown>[] };
  user_id: string;
  channel_id: string;
  team_id: string;
}

export interface EphemeralRecord {
  user_id: string;
  channel_id: string;
  message: string;
  props: Record<string, unknown>;
  /**
   * api: POST /posts/ephemeral; command: a slash command's JSON answer; hook: posted later to the
   * command's response_url; action: a click's ephemeral_text.
   */
  via: 'api' | 'command' | 'hook' | 'action';
}

export type Failure =
  /** Like the real limiter: plain-text body `limit exceeded`, Retry-After and X-RateLimit-* headers. */
  | { status: 429; retryAfter?: number; reset?: number }
  | { status: 400 | 401 | 403 | 404 | 500 | 502 | 503; id?: string; message?: string }
  /** Do the work, then never answer (the client times out; the post exists). */
  | { hangAfterProcessing: true }
  /** Cut the connection before doing anything. */
  | { dropConnection: true };

interface Injection {
  method?: string;
  pattern: string | RegExp;
  failure: Failure;
}

type Reply = { status: number; body: unknown };

interface Ctx {
  user: FakeUser;
  params: string[];
  query: URLSearchParams;
  body: unknown;
}

export interface FakeMattermostOptions {
  /** The bot's access token (default: random). */
  botToken?: string;
  botUsername?: string;
  /** Roles of the bot account. `system_admin` is what POST /posts/ephemeral needs. Default `system_user system_admin`. */
  botRoles?: string;
  /** How long a trigger id stays valid (upstream: OutgoingIntegrationRequestsTimeout, 30 s). */
  triggerTtlMs?: number;
  /** How long a command's response_url takes answers (upstream model.CommandWebhookLifetime, 30 min). */
  commandHookTtlMs?: number;
}

export interface AppResponse {
  status: number;
  contentType: string | null;
  text: string;
  /** Parsed JSON body, when the body was JSON. */
  body: unknown;
}

const APP_ERRORS: Record<number, { id: string; message: string }> = {
  400: { id: 'api.context.invalid_body_param.app_error', message: 'Invalid or missing body param.' },
  401: { id: 'api.context.session_expired.app_error', message: 'Invalid or expired session, please login again.' },
  403: { id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.' },
  404: { id: 'app.post.get.app_error', message: 'Unable to get the post.' },
  500: { id: 'app.post.save.app_error', message: 'Unable to save the Post.' },
  502: { id: 'api.proxy.bad_gateway', message: 'Bad gateway.' },
  503: { id: 'api.server.unavailable', message: 'Service unavailable.' },
};

const DIALOG_ELEMENT_TYPES = new Set(['text', 'textarea', 'select', 'bool', 'radio', 'date', 'datetime']);
const TEXT_SUBTYPES = new Set(['', 'text', 'email', 'number', 'password', 'tel', 'url']);

export class FakeMattermost {
  readonly bot: FakeUser;
  readonly botToken: string;
  readonly users = new Map<string, FakeUser>();
  readonly teams = new Map<string, FakeTeam>();
  readonly channels = new Map<string, FakeChannel>();
  readonly posts = new Map<string, FakePost>();
  readonly commands = new Map<string, FakeCommand>();
  readonly calls: RecordedCall[] = [];
  readonly dialogs: OpenedDialog[] = [];
  readonly ephemerals: EphemeralRecord[] = [];
  readonly sockets: FakeSocketHub;

  private readonly tokens = new Map<string, string>();
  private readonly triggers = new Map<string, { user_id: string; channel_id: string; team_id: string; at: number }>();
  /** response_url hooks by id (upstream CommandWebhooks table: who, where, when, how often used). */
  private readonly commandHooks = new Map<string, { user_id: string; channel_id: string; root_id: string; at: number; uses: number }>();
  private readonly commandHookTtlMs: number;
  private readonly injections: Injection[] = [];
  private readonly hung = new Set<ServerResponse>();
  private readonly openSockets = new Set<Socket>();
  private server: Server | undefined;
  private port = 0;
  private readonly triggerTtlMs: number;

  private constructor(opts: FakeMattermostOptions) {
    this.triggerTtlMs = opts.triggerTtlMs ?? 30_000;
    this.commandHookTtlMs = opts.commandHookTtlMs ?? 30 * 60_000;
    this.botToken = opts.botToken ?? mattermostId();
    this.bot = this.addUser({ username: opts.botUsername ?? 'day2', is_bot: true, roles: opts.botRoles ?? 'system_user system_admin', token: this.botToken });
    this.sockets = new FakeSocketHub((token) => this.tokens.get(token), mattermostId);
  }

  static async start(opts: FakeMattermostOptions = {}): Promise<FakeMattermost> {
    const fake = new FakeMattermost(opts);
    const server = createServer((req, res) => void fake.handle(req, res));
    server.on('upgrade', (req, socket, head) => fake.sockets.handleUpgrade(req, socket, head));
    server.on('connection', (s) => {
      fake.openSockets.add(s);
      s.on('close', () => fake.openSockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  /** Base URL, e.g. http://127.0.0.1:PORT (what MATTERMOST_URL would be). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    await this.sockets.close();
    for (const res of this.hung) res.destroy();
    this.hung.clear();
    for (const s of this.openSockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  // ---- directory -------------------------------------------------------------------------

  addUser(u: { username: string; first_name?: string; last_name?: string; nickname?: string; is_bot?: boolean; roles?: string; timezone?: Partial<FakeTimezone>; token?: string }): FakeUser {
    const now = Date.now();
    const user: FakeUser = {
      id: mattermostId(),
      username: u.username,
      first_name: u.first_name ?? '',
      last_name: u.last_name ?? '',
      nickname: u.nickname ?? '',
      email: `${u.username}@example.com`,
      is_bot: u.is_bot ?? false,
      roles: u.roles ?? 'system_user',
      locale: 'en',
      timezone: { useAutomaticTimezone: 'true', automaticTimezone: '', manualTimezone: '', ...u.timezone },
      create_at: now,
      update_at: now,
      delete_at: 0,
    };
    this.users.set(user.id, user);
    if (u.token) this.tokens.set(u.token, user.id);
    return user;
  }

  /** Give a user an access token (e.g. an admin for registerCommands). */
  addToken(userId: string, token = mattermostId()): string {
    this.tokens.set(token, userId);
    return token;
  }

  addTeam(name: string, members: string[] = []): FakeTeam {
    const now = Date.now();
    const team: FakeTeam = { id: mattermostId(), name, display_name: name, type: 'O', create_at: now, update_at: now, delete_at: 0, members: new Set([this.bot.id, ...members]) };
    this.teams.set(team.id, team);
    return team;
  }

  addChannel(c: { team: FakeTeam; name: string; type?: 'O' | 'P'; members?: string[]; withBot?: boolean; header?: string }): FakeChannel {
    const now = Date.now();
    const members = new Set(c.members ?? []);
    if (c.withBot ?? true) members.add(this.bot.id);
    const channel: FakeChannel = { id: mattermostId(), team_id: c.team.id, type: c.type ?? 'O', name: c.name, display_name: c.name, create_at: now, update_at: now, delete_at: 0, members, header: c.header ?? '', membersMayEdit: true };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** The direct channel between two users, created on first use (name `<id>__<id>`, ids sorted). */
  directChannel(a: string, b: string): FakeChannel {
    const name = [a, b].sort().join('__');
    for (const ch of this.channels.values()) if (ch.type === 'D' && ch.name === name) return ch;
    const now = Date.now();
    const channel: FakeChannel = { id: mattermostId(), team_id: '', type: 'D', name, display_name: '', create_at: now, update_at: now, delete_at: 0, members: new Set([a, b]), header: '', membersMayEdit: true };
    this.channels.set(channel.id, channel);
    return channel;
  }

  postsIn(channelId: string): FakePost[] {
    return [...this.posts.values()].filter((p) => p.channel_id === channelId).sort((a, b) => a.create_at - b.create_at);
  }

  /** Recorded calls, optionally only `METHOD` on paths matching `path` (string = exact). */
  callsTo(method?: string, path?: string | RegExp): RecordedCall[] {
    return this.calls.filter((c) => (!method || c.method === method) && (!path || (typeof path === 'string' ? c.path === path : path.test(c.path))));
  }

  // ---- failure injection -----------------------------------------------------------------

  /**
   * Answer the next call whose path matches `pattern` (a string is an exact path, with or
   * without the /api/v4 prefix) with `failure`. Injections are used once, in order.
   */
  failNext(pattern: string | RegExp, failure: Failure, opts: { method?: string } = {}): void {
    const p = typeof pattern === 'string' && !pattern.startsWith('/api/v4') ? `/api/v4${pattern}` : pattern;
    this.injections.push({ pattern: p, failure, method: opts.method?.toUpperCase() });
  }

  private takeInjection(method: string, path: string): Failure | undefined {
    const i = this.injections.findIndex((inj) => (!inj.method || inj.method === method) && (typeof inj.pattern === 'string' ? inj.pattern === path : inj.pattern.test(path)));
    if (i < 0) return undefined;
    const [inj] = this.injections.splice(i, 1);
    return inj?.failure;
  }

  // ---- websocket -------------------------------------------------------------------------

  /** A post by a user (not through the API), stored and sent as a `posted` event to the channel's members. */
  pushPosted(p: { channel_id: string; user_id: string; message: string; props?: Record<string, unknown>; type?: string; root_id?: string }): FakePost {
    const post = this.storePost({ ...p, props: p.props ?? {} });
    this.broadcastPosted(post);
    return post;
  }

  /** Kill every WebSocket connection (the client should reconnect). */
  dropSockets(): void {
    this.sockets.dropAll();
  }

  private broadcastPosted(post: FakePost): void {
    const channel = this.channels.get(post.channel_id);
    const sender = this.users.get(post.user_id);
    if (!channel) return;
    const other = channel.type === 'D' ? [...channel.members].find((m) => m !== post.user_id) : undefined;
    this.sockets.broadcast(
      [...channel.members],
      'posted',
      {
        channel_display_name: channel.type === 'D' ? `@${sender?.username ?? ''}` : channel.display_name,
        channel_name: channel.name,
        channel_type: channel.type,
        post: JSON.stringify(FakeMattermost.postJson(post)),
        sender_name: `@${sender?.username ?? ''}`,
        set_online: true,
        team_id: channel.team_id,
        ...(other ? { mentions: JSON.stringify([other]) } : {}),
      },
      { omit_users: null, user_id: '', channel_id: channel.id, team_id: '', connection_id: '', omit_connection_id: '' },
    );
  }

  // ---- acting like Mattermost toward the app ---------------------------------------------

  private issueTrigger(user_id: string, channel_id: string, team_id: string): string {
    const id = mattermostId();
    this.triggers.set(id, { user_id, channel_id, team_id, at: Date.now() });
    return id;
  }

  private async callApp(url: string, init: RequestInit): Promise<AppResponse> {
    const res = await fetch(url, init);
    const text = await res.text();
    const contentType = res.headers.get('content-type');
    let body: unknown;
    if (contentType?.startsWith('application/json')) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return { status: res.status, contentType, text, body };
  }

  /**
   * Run a custom slash command like the server does (upstream app/command.go): form-encoded POST
   * (or GET query) with `Authorization: Token <token>`. A 200 JSON answer with text or attachments
   * is recorded as an ephemeral post for the user, as Mattermost would show it.
   */
  async sendCommand(
    appBaseUrl: string,
    a: {
      command: string;
      text?: string;
      token: string;
      user_id: string;
      user_name?: string;
      channel_id: string;
      channel_name?: string;
      team_id?: string;
      team_domain?: string;
      root_id?: string;
      method?: 'P' | 'G';
      /** Send the token as the Authorization header (default true; the form field is always sent). */
      authHeader?: boolean;
      path?: string;
    },
  ): Promise<AppResponse & { triggerId: string; responseUrl: string }> {
    const channel = this.channels.get(a.channel_id);
    const team = this.teams.get(a.team_id ?? channel?.team_id ?? '');
    const user = this.users.get(a.user_id);
    const triggerId = this.issueTrigger(a.user_id, a.channel_id, team?.id ?? '');
    const hookId = mattermostId();
    this.commandHooks.set(hookId, { user_id: a.user_id, channel_id: a.channel_id, root_id: a.root_id ?? '', at: Date.now(), uses: 0 });
    const responseUrl = `${this.url}/hooks/commands/${hookId}`;
    const form = new URLSearchParams({
      token: a.token,
      team_id: team?.id ?? a.team_id ?? '',
      team_domain: a.team_domain ?? team?.name ?? '',
      channel_id: a.channel_id,
      channel_name: a.channel_name ?? channel?.name ?? '',
      user_id: a.user_id,
      user_name: a.user_name ?? user?.username ?? '',
      command: a.command,
      text: a.text ?? '',
      response_url: responseUrl,
      trigger_id: triggerId,
      root_id: a.root_id ?? '',
    });
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (a.authHeader ?? true) headers.Authorization = `Token ${a.token}`;
    const base = `${appBaseUrl.replace(/\/+$/, '')}${a.path ?? '/mattermost/command'}`;
    const res =
      a.method === 'G'
        ? await this.callApp(`${base}?${form.toString()}`, { method: 'GET', headers })
        : await this.callApp(base, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const body = res.body as { text?: string; props?: Record<string, unknown>; response_type?: string } | undefined;
    if (res.status === 200 && res.contentType === 'application/json' && body && (body.text || (body.props as { attachments?: unknown[] } | undefined)?.attachments?.length)) {
      this.ephemerals.push({ user_id: a.user_id, channel_id: a.channel_id, message: body.text ?? '', props: body.props ?? {}, via: 'command' });
    }
    return { ...res, triggerId, responseUrl };
  }

  /**
   * A post as the API and the WebSocket show it: upstream model.Post.EncodeJSON / ToJSON call
   * StripActionIntegrations, so no client (the bot included) ever reads a button's integration
   * URL or context back; only the stored post (and the click Mattermost sends) carries them.
   */
  static postJson(post: FakePost): FakePost {
    const copy = structuredClone(post);
    const attachments = copy.props.attachments;
    if (Array.isArray(attachments)) for (const a of attachments as { actions?: Record<string, unknown>[] }[]) for (const action of a.actions ?? []) delete action.integration;
    return copy;
  }

  /** Buttons on a post: every action of every attachment. */
  static actionsOf(post: { props?: Record<string, unknown> }): { id: string; name: string; integration: { url: string; context: Record<string, unknown> } }[] {
    const attachments = (post.props?.attachments ?? []) as { actions?: { id: string; name: string; integration: { url: string; context: Record<string, unknown> } }[] }[];
    return attachments.flatMap((a) => a.actions ?? []);
  }

  /**
   * Click a button like the server does (upstream DoPostActionWithCookie): POST JSON to the
   * action's integration URL with its stored context. Action ids outside [A-Za-z0-9]+ never reach
   * the app (the route does not match): 404. An `update` answer replaces the stored post's message
   * and props as given (an update without a message empties the post, as upstream does).
   */
  async clickButton(
    post: { id?: string; channel_id: string; props?: Record<string, unknown> },
    actionId: string,
    by: { user_id: string; user_name?: string; context?: Record<string, unknown> },
  ): Promise<AppResponse & { reachedApp: boolean; triggerId?: string }> {
    if (!/^[A-Za-z0-9]+$/.test(actionId)) return { status: 404, contentType: null, text: '', body: undefined, reachedApp: false };
    const action = FakeMattermost.actionsOf(post).find((a) => a.id === actionId);
    if (!action) return { status: 404, contentType: null, text: '', body: undefined, reachedApp: false };
    const channel = this.channels.get(post.channel_id);
    const team = channel ? this.teams.get(channel.team_id) : undefined;
    const user = this.users.get(by.user_id);
    const triggerId = this.issueTrigger(by.user_id, post.channel_id, team?.id ?? '');
    const payload = {
      user_id: by.user_id,
      user_name: by.user_name ?? user?.username ?? '',
      channel_id: post.channel_id,
      channel_name: channel?.name ?? '',
      team_id: team?.id ?? '',
      team_domain: team?.name ?? '',
      post_id: post.id ?? '',
      trigger_id: triggerId,
      type: 'button',
      data_source: '',
      context: by.context ?? action.integration.context,
    };
    const res = await this.callApp(action.integration.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
    const answer = res.body as { update?: { message?: string; props?: Record<string, unknown> }; ephemeral_text?: string } | undefined;
    if (res.status === 200 && answer) {
      const stored = post.id ? this.posts.get(post.id) : undefined;
      if (answer.update && stored) {
        stored.message = answer.update.message ?? '';
        stored.props = answer.update.props ?? {};
        stored.update_at = stored.edit_at = Date.now();
      }
      if (answer.ephemeral_text) this.ephemerals.push({ user_id: by.user_id, channel_id: post.channel_id, message: answer.ephemeral_text, props: {}, via: 'action' });
    }
    return { ...res, reachedApp: true, triggerId };
  }

  /** Submit an opened dialog like the server does (upstream SubmitInteractiveDialog). */
  async submitDialog(
    dialog: OpenedDialog,
    s: { submission: Record<string, unknown>; user_id?: string; cancelled?: boolean; state?: string; callback_id?: string },
  ): Promise<AppResponse> {
    const payload = {
      type: 'dialog_submission',
      url: dialog.url,
      callback_id: s.callback_id ?? dialog.dialog.callback_id ?? '',
      state: s.state ?? dialog.dialog.state ?? '',
      user_id: s.user_id ?? dialog.user_id,
      channel_id: dialog.channel_id,
      team_id: dialog.team_id,
      submission: s.cancelled ? {} : s.submission,
      cancelled: s.cancelled ?? false,
    };
    return this.callApp(dialog.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  }

  /**
   * The user cancels an opened dialog (the X or Cancel). The webapp tells the integration only
   * when the dialog asked for it (`notify_on_cancel`), with `cancelled: true` and an empty
   * submission (upstream webapp interactive_dialog.tsx); otherwise nothing is sent and this
   * resolves undefined.
   */
  async cancelDialog(dialog: OpenedDialog, s: { user_id?: string } = {}): Promise<AppResponse | undefined> {
    if (dialog.dialog.notify_on_cancel !== true) return undefined;
    return this.submitDialog(dialog, { submission: {}, cancelled: true, ...(s.user_id ? { user_id: s.user_id } : {}) });
  }

  // ---- HTTP ------------------------------------------------------------------------------

  private send(res: ServerResponse, reply: Reply): void {
    res.writeHead(reply.status, { 'Content-Type': 'application/json', 'X-Request-Id': mattermostId(), 'X-Version-Id': '11.9.0.fake' });
    res.end(JSON.stringify(reply.body));
  }

  private appError(status: number, id?: string, message?: string, detailed = ''): Reply {
    const d = APP_ERRORS[status] ?? { id: 'api.unknown.app_error', message: 'Something went wrong.' };
    return { status, body: { id: id ?? d.id, message: message ?? d.message, detailed_error: detailed, request_id: mattermostId(), status_code: status, is_oauth: false } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = (req.method ?? 'GET').toUpperCase();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw === '' ? undefined : raw;
    if (raw !== '' && (req.headers['content-type'] ?? '').startsWith('application/json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const call: RecordedCall = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body, status: 0 };
    this.calls.push(call);

    const failure = this.takeInjection(method, url.pathname);
    if (failure && 'dropConnection' in failure) {
      call.injected = 'dropConnection';
      req.socket.destroy();
      return;
    }
    if (failure && 'status' in failure) {
      call.injected = String(failure.status);
      call.status = failure.status;
      if (failure.status === 429) {
        const headers: Record<string, string> = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Ratelimit-Limit': '10', 'X-Ratelimit-Remaining': '0' };
        if (failure.retryAfter !== undefined) headers['Retry-After'] = String(failure.retryAfter);
        headers['X-Ratelimit-Reset'] = String(failure.reset ?? failure.retryAfter ?? 1);
        res.writeHead(429, headers);
        res.end('limit exceeded\n');
        return;
      }
      this.send(res, this.appError(failure.status, failure.id, failure.message));
      return;
    }

    // A command's response_url: no credentials (the hook id is the secret), outside /api/v4.
    const hook = /^\/hooks\/commands\/([A-Za-z0-9]+)$/.exec(url.pathname);
    if (hook) {
      if (method !== 'POST') {
        call.status = 405;
        res.writeHead(405).end();
        return;
      }
      const answer = this.commandHook(hook[1]!, req.headers['content-type'], raw);
      call.status = answer.status;
      if (answer.status !== 200) return this.send(res, answer);
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }

    let reply: Reply;
    const auth = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const userId = auth?.[1] ? this.tokens.get(auth[1]) : undefined;
    const user = userId ? this.users.get(userId) : undefined;
    if (!user) reply = this.appError(401);
    else {
      call.userId = user.id;
      reply = this.route(method, url, user, body);
    }
    call.status = reply.status;
    if (failure && 'hangAfterProcessing' in failure) {
      call.injected = 'hangAfterProcessing';
      this.hung.add(res);
      return;
    }
    this.send(res, reply);
  }

  private readonly routes: [string, RegExp, (ctx: Ctx) => Reply][] = [
    ['GET', /^\/api\/v4\/users\/username\/([^/]+)$/, (c) => this.getUserByUsername(c)],
    ['GET', /^\/api\/v4\/users\/([^/]+)$/, (c) => this.getUser(c)],
    ['GET', /^\/api\/v4\/users\/([^/]+)\/teams$/, (c) => this.getTeamsForUser(c)],
    ['POST', /^\/api\/v4\/channels\/direct$/, (c) => this.createDirect(c)],
    ['GET', /^\/api\/v4\/channels\/([a-z0-9]{26})$/, (c) => this.getChannel(c)],
    ['GET', /^\/api\/v4\/channels\/([^/]+)\/posts$/, (c) => this.getPosts(c)],
    ['GET', /^\/api\/v4\/channels\/([^/]+)\/members\/([^/]+)$/, (c) => this.getChannelMember(c)],
    ['PUT', /^\/api\/v4\/channels\/([^/]+)\/patch$/, (c) => this.patchChannel(c)],
    ['POST', /^\/api\/v4\/posts$/, (c) => this.createPost(c)],
    ['POST', /^\/api\/v4\/posts\/ephemeral$/, (c) => this.createEphemeral(c)],
    ['GET', /^\/api\/v4\/posts\/([a-z0-9]{26})$/, (c) => this.getPost(c)],
    ['PUT', /^\/api\/v4\/posts\/([a-z0-9]{26})$/, (c) => this.updatePost(c)],
    ['PUT', /^\/api\/v4\/posts\/([^/]+)\/patch$/, (c) => this.patchPost(c)],
    ['POST', /^\/api\/v4\/actions\/dialogs\/open$/, (c) => this.openDialog(c)],
    ['GET', /^\/api\/v4\/commands$/, (c) => this.listCommands(c)],
    ['POST', /^\/api\/v4\/commands$/, (c) => this.createCommand(c)],
    ['PUT', /^\/api\/v4\/commands\/([^/]+)$/, (c) => this.updateCommand(c)],
  ];

  private route(method: string, url: URL, user: FakeUser, body: unknown): Reply {
    for (const [m, re, handler] of this.routes) {
      if (m !== method) continue;
      const match = re.exec(url.pathname);
      if (match) return handler({ user, params: match.slice(1), query: url.searchParams, body });
    }
    return this.appError(404, 'api.context.404.app_error', 'Sorry, we could not find the page.');
  }

  private isAdmin(u: FakeUser): boolean {
    return u.roles.split(' ').includes('system_admin');
  }

  private canRead(u: FakeUser, ch: FakeChannel): boolean {
    return ch.members.has(u.id) || this.isAdmin(u);
  }

  private userJson(u: FakeUser): Record<string, unknown> {
    return { ...u };
  }

  private channelJson(ch: FakeChannel): Record<string, unknown> {
    const { members: _members, membersMayEdit: _mayEdit, ...rest } = ch;
    return { ...rest, purpose: '', last_post_at: 0, total_msg_count: 0, extra_update_at: 0, creator_id: '' };
  }

  private teamJson(t: FakeTeam): Record<string, unknown> {
    const { members: _members, ...rest } = t;
    return { ...rest, description: '', email: '', allowed_domains: '', invite_id: '', allow_open_invite: false };
  }

  private getUser(c: Ctx): Reply {
    const id = c.params[0] === 'me' ? c.user.id : c.params[0]!;
    const u = this.users.get(id);
    if (!u) return this.appError(404, 'app.user.missing_account.const', 'Unable to find the user.');
    return { status: 200, body: this.userJson(u) };
  }

  /** GET /users/username/{username} (users.yaml): usernames are matched as stored, lowercase. */
  private getUserByUsername(c: Ctx): Reply {
    const name = decodeURIComponent(c.params[0]!);
    const u = [...this.users.values()].find((x) => x.username === name && x.delete_at === 0);
    if (!u) return this.appError(404, 'app.user.missing_account.const', 'Unable to find the user.');
    return { status: 200, body: this.userJson(u) };
  }

  private getTeamsForUser(c: Ctx): Reply {
    const id = c.params[0] === 'me' ? c.user.id : c.params[0]!;
    if (id !== c.user.id && !this.isAdmin(c.user)) return this.appError(403);
    if (!this.users.has(id)) return this.appError(404, 'app.user.missing_account.const', 'Unable to find the user.');
    return { status: 200, body: [...this.teams.values()].filter((t) => t.members.has(id)).map((t) => this.teamJson(t)) };
  }

  /**
   * GET /channels/{channel_id}/members/{user_id} (channels.yaml GetChannelMember): read_channel
   * is needed; a user outside the channel is upstream's 404 app.channel.get_member.missing.
   */
  private getChannelMember(c: Ctx): Reply {
    const ch = this.channels.get(c.params[0]!);
    if (!ch || ch.delete_at) return this.appError(404, 'app.channel.get.existing.app_error', 'Unable to find the existing channel.');
    if (!this.canRead(c.user, ch)) return this.appError(403);
    const userId = c.params[1]!;
    if (!ch.members.has(userId)) return this.appError(404, 'app.channel.get_member.missing.app_error', 'No channel member found for that user ID and channel ID.');
    return { status: 200, body: { channel_id: ch.id, user_id: userId, roles: 'channel_user', last_viewed_at: 0, msg_count: 0, mention_count: 0, notify_props: {}, last_update_at: ch.update_at } };
  }

  private createDirect(c: Ctx): Reply {
    const ids = c.body;
    if (!Array.isArray(ids) || ids.length !== 2 || !ids.every((i) => typeof i === 'string')) return this.appError(400, 'api.context.invalid_body_param.app_error', 'Invalid or missing user_ids in request body.');
    const [a, b] = ids as [string, string];
    if (!this.users.has(a) || !this.users.has(b)) return this.appError(400, 'api.channel.create_direct_channel.invalid_user.app_error', 'Invalid user ID for direct channel creation.');
    if (a !== c.user.id && b !== c.user.id && !this.isAdmin(c.user)) return this.appError(403);
    return { status: 201, body: this.channelJson(this.directChannel(a, b)) };
  }

  /**
   * POST <SiteURL>/hooks/commands/<id> as upstream handles it (web/webhook.go commandWebhook, app
   * HandleCommandWebhook, HandleCommandResponsePost, CreateCommandPost): a CommandResponse as
   * JSON (exactly application/json) or plain text, for a hook younger than the lifetime and used
   * fewer than 5 times. Ephemeral answers with text or attachments are shown to the user who ran
   * the command; in_channel ones are posted as that user from a webhook.
   */
  private commandHook(id: string, contentType: string | undefined, raw: string): Reply {
    let response: Record<string, unknown>;
    if ((contentType ?? '').split(';')[0]!.trim() === 'application/json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        return this.appError(400, 'web.command_webhook.parse.app_error', 'Unable to parse incoming data.');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return this.appError(400, 'web.command_webhook.parse.app_error', 'Unable to parse incoming data.');
      response = parsed as Record<string, unknown>;
    } else response = { text: raw };
    const hook = this.commandHooks.get(id);
    if (!hook || Date.now() - hook.at >= this.commandHookTtlMs) return this.appError(404, 'app.command_webhook.get.missing', 'Unable to find the webhook.');
    if (hook.uses >= 5) return this.appError(400, 'app.command_webhook.try_use.invalid', 'Invalid webhook.');
    hook.uses++;
    const type = typeof response.response_type === 'string' ? response.response_type : '';
    const text = typeof response.text === 'string' ? response.text : '';
    const props = typeof response.props === 'object' && response.props !== null && !Array.isArray(response.props) ? (response.props as Record<string, unknown>) : {};
    if (type === 'in_channel') {
      const post = this.storePost({ channel_id: hook.channel_id, user_id: hook.user_id, message: text, props: { ...props, from_webhook: 'true' }, root_id: hook.root_id });
      this.broadcastPosted(post);
    } else if ((type === '' || type === 'ephemeral') && (text !== '' || response.attachments != null)) {
      this.ephemerals.push({ user_id: hook.user_id, channel_id: hook.channel_id, message: text, props, via: 'hook' });
    }
    return { status: 200, body: 'ok' };
  }

  private getChannel(c: Ctx): Reply {
    const ch = this.channels.get(c.params[0]!);
    if (!ch) return this.appError(404, 'app.channel.get.existing.app_error', 'Unable to find the existing channel.');
    if (!this.canRead(c.user, ch)) return this.appError(403);
    return { status: 200, body: this.channelJson(ch) };
  }

  /**
   * PUT /channels/{id}/patch (channels.yaml PatchChannel; upstream app.PatchChannel): only the
   * given fields change. Editing needs the channel's manage_*_channel_properties permission
   * (members by default, system admins always). A changed header is announced in the channel
   * with a `system_header_change` post, as upstream does.
   */
  private patchChannel(c: Ctx): Reply {
    const ch = this.channels.get(c.params[0]!);
    if (!ch || ch.delete_at) return this.appError(404, 'app.channel.get.existing.app_error', 'Unable to find the existing channel.');
    if (!this.isAdmin(c.user) && !(ch.members.has(c.user.id) && ch.membersMayEdit)) return this.appError(403);
    const b = c.body;
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return this.appError(400, 'api.context.invalid_body_param.app_error', 'Invalid or missing channel in request body.');
    const patch = b as Record<string, unknown>;
    for (const f of ['header', 'purpose', 'display_name', 'name']) {
      if (patch[f] !== undefined && typeof patch[f] !== 'string') return this.appError(400, 'api.context.invalid_body_param.app_error', `Invalid ${f}.`);
    }
    if (typeof patch.header === 'string') {
      if ([...patch.header].length > 1024) return this.appError(400, 'model.channel.is_valid.header.app_error', 'Invalid header.');
      const old = ch.header;
      if (patch.header !== old) {
        ch.header = patch.header;
        this.storePost({ channel_id: ch.id, user_id: c.user.id, message: '', type: 'system_header_change', props: { username: c.user.username, old_header: old, new_header: ch.header } });
      }
    }
    if (typeof patch.display_name === 'string') ch.display_name = patch.display_name;
    ch.update_at = Math.max(Date.now(), ch.update_at + 1);
    return { status: 200, body: this.channelJson(ch) };
  }

  private getPosts(c: Ctx): Reply {
    const ch = this.channels.get(c.params[0]!);
    if (!ch) return this.appError(404, 'app.channel.get.existing.app_error', 'Unable to find the existing channel.');
    if (!this.canRead(c.user, ch)) return this.appError(403);
    let list = this.postsIn(ch.id).filter((p) => p.delete_at === 0);
    const since = c.query.get('since');
    if (since !== null) {
      const t = Number(since);
      if (!Number.isInteger(t)) return this.appError(400, 'api.context.invalid_url_param.app_error', 'Invalid or missing since parameter in request URL.');
      // "posts modified after that time" (upstream store: UpdateAt > since).
      list = list.filter((p) => p.update_at > t);
    } else {
      const perPage = Number(c.query.get('per_page') ?? 60);
      const page = Number(c.query.get('page') ?? 0);
      list = [...list].reverse().slice(page * perPage, (page + 1) * perPage).reverse();
    }
    const newestFirst = [...list].sort((a, b) => b.create_at - a.create_at);
    return { status: 200, body: { order: newestFirst.map((p) => p.id), posts: Object.fromEntries(list.map((p) => [p.id, FakeMattermost.postJson(p)])), next_post_id: '', prev_post_id: '', has_next: false } };
  }

  private storePost(p: { channel_id: string; user_id: string; message: string; props: Record<string, unknown>; type?: string; root_id?: string }): FakePost {
    // Strictly increasing create_at per channel, like the server's ordering guarantees.
    const last = this.postsIn(p.channel_id).at(-1);
    const now = Math.max(Date.now(), (last?.create_at ?? 0) + 1);
    const post: FakePost = {
      id: mattermostId(),
      create_at: now,
      update_at: now,
      edit_at: 0,
      delete_at: 0,
      is_pinned: false,
      user_id: p.user_id,
      channel_id: p.channel_id,
      root_id: p.root_id ?? '',
      original_id: '',
      message: p.message,
      type: p.type ?? '',
      props: p.props,
      hashtags: '',
      file_ids: [],
      pending_post_id: '',
      metadata: {},
    };
    this.posts.set(post.id, post);
    return post;
  }

  /** Shared checks for a new post's fields; a Reply means rejected. */
  private checkNewPost(user: FakeUser, b: Record<string, unknown>): Reply | FakeChannel {
    if (typeof b.channel_id !== 'string' || typeof b.message !== 'string') return this.appError(400, 'api.context.invalid_body_param.app_error', 'Invalid or missing channel_id or message in request body.');
    const ch = this.channels.get(b.channel_id);
    // Upstream answers 403 both for a channel that does not exist and one the user is not in.
    if (!ch || !ch.members.has(user.id)) return this.appError(403, 'api.context.permissions.app_error', 'You do not have the appropriate permissions.');
    if ([...b.message].length > 16383) return this.appError(400, 'model.post.is_valid.message_length.app_error', 'Message property is longer than the maximum permitted length.');
    if (b.props !== undefined && (typeof b.props !== 'object' || b.props === null || Array.isArray(b.props))) return this.appError(400, 'api.context.invalid_body_param.app_error', 'Invalid props.');
    const attachments = (b.props as Record<string, unknown> | undefined)?.attachments;
    if (attachments !== undefined && (!Array.isArray(attachments) || !attachments.every((a) => typeof a === 'object' && a !== null))) return this.appError(400, 'model.post.is_valid.props.app_error', 'Invalid attachments.');
    return ch;
  }

  private createPost(c: Ctx): Reply {
    const b = (c.body ?? {}) as Record<string, unknown>;
    const ch = this.checkNewPost(c.user, b);
    if ('status' in ch) return ch;
    let rootId = '';
    if (b.root_id !== undefined && b.root_id !== '') {
      const root = typeof b.root_id === 'string' ? this.posts.get(b.root_id) : undefined;
      if (!root || root.channel_id !== ch.id || root.root_id !== '') return this.appError(400, 'api.post.create_post.root_id.app_error', 'Invalid RootId parameter.');
      rootId = root.id;
    }
    const post = this.storePost({ channel_id: ch.id, user_id: c.user.id, message: b.message as string, props: (b.props as Record<string, unknown>) ?? {}, root_id: rootId });
    this.broadcastPosted(post);
    return { status: 201, body: FakeMattermost.postJson(post) };
  }

  private createEphemeral(c: Ctx): Reply {
    // POST /posts/ephemeral needs create_post_ephemeral, which only system admins have.
    if (!this.isAdmin(c.user)) return this.appError(403);
    const b = (c.body ?? {}) as { user_id?: unknown; post?: Record<string, unknown> };
    if (typeof b.user_id !== 'string' || typeof b.post !== 'object' || b.post === null) return this.appError(400);
    if (typeof b.post.channel_id !== 'string' || typeof b.post.message !== 'string') return this.appError(400);
    if (!this.channels.has(b.post.channel_id)) return this.appError(403);
    const props = (b.post.props as Record<string, unknown> | undefined) ?? {};
    this.ephemerals.push({ user_id: b.user_id, channel_id: b.post.channel_id, message: b.post.message, props, via: 'api' });
    const now = Date.now();
    return { status: 201, body: { id: mattermostId(), create_at: now, update_at: now, edit_at: 0, delete_at: 0, user_id: c.user.id, channel_id: b.post.channel_id, root_id: '', original_id: '', message: b.post.message, type: 'system_ephemeral', props, hashtags: '', file_ids: [], pending_post_id: '', metadata: {} } };
  }

  private getPost(c: Ctx): Reply {
    const post = this.posts.get(c.params[0]!);
    if (!post || post.delete_at) return this.appError(404);
    const ch = this.channels.get(post.channel_id);
    if (!ch || !this.canRead(c.user, ch)) return this.appError(403);
    return { status: 200, body: FakeMattermost.postJson(post) };
  }

  private editable(c: Ctx): FakePost | Reply {
    const post = this.posts.get(c.params[0]!);
    if (!post || post.delete_at) return this.appError(404, 'app.post.get.app_error', 'Unable to get the post.');
    if (post.user_id !== c.user.id && !this.isAdmin(c.user)) return this.appError(403);
    return post;
  }

  private patchPost(c: Ctx): Reply {
    const post = this.editable(c);
    if ('status' in post) return post;
    const b = (c.body ?? {}) as Record<string, unknown>;
    if (b.message !== undefined) {
      if (typeof b.message !== 'string') return this.appError(400);
      if ([...b.message].length > 16383) return this.appError(400, 'model.post.is_valid.message_length.app_error', 'Message property is longer than the maximum permitted length.');
      post.message = b.message;
    }
    // model.PostPatch: props, when given, replace the post's props as a whole.
    if (b.props !== undefined) post.props = (b.props as Record<string, unknown>) ?? {};
    post.update_at = post.edit_at = Math.max(Date.now(), post.update_at + 1);
    return { status: 200, body: FakeMattermost.postJson(post) };
  }

  private updatePost(c: Ctx): Reply {
    const post = this.editable(c);
    if ('status' in post) return post;
    const b = (c.body ?? {}) as Record<string, unknown>;
    if (b.id !== post.id) return this.appError(400, 'api.context.invalid_body_param.app_error', 'Invalid or missing id in request body.');
    // "omitted fields will be treated as blank"
    post.message = typeof b.message === 'string' ? b.message : '';
    post.props = (b.props as Record<string, unknown>) ?? {};
    post.update_at = post.edit_at = Math.max(Date.now(), post.update_at + 1);
    return { status: 200, body: FakeMattermost.postJson(post) };
  }

  /** Dialog checks after upstream model.Dialog.IsValid (limits the adapter must respect). */
  private dialogProblems(d: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const len = (v: unknown) => (typeof v === 'string' ? [...v].length : 0);
    if (typeof d.title !== 'string' || d.title === '' || len(d.title) > 24) problems.push('title must be 1-24 characters');
    if (d.submit_label !== undefined && len(d.submit_label) > 24) problems.push('submit_label over 24 characters');
    if (!Array.isArray(d.elements)) problems.push('elements must be an array');
    const names = new Set<string>();
    for (const [i, e] of ((d.elements as Record<string, unknown>[]) ?? []).entries()) {
      const at = `elements[${i}]`;
      if (typeof e.name !== 'string' || e.name === '' || len(e.name) > 300) problems.push(`${at}.name must be 1-300 characters`);
      else if (names.has(e.name)) problems.push(`${at}.name "${e.name}" is not unique`);
      else names.add(e.name);
      if (typeof e.display_name !== 'string' || e.display_name === '' || len(e.display_name) > 24) problems.push(`${at}.display_name must be 1-24 characters`);
      if (typeof e.type !== 'string' || !DIALOG_ELEMENT_TYPES.has(e.type)) problems.push(`${at}.type "${String(e.type)}" is unknown`);
      if (len(e.help_text) > 150) problems.push(`${at}.help_text over 150 characters`);
      if (len(e.placeholder) > 150) problems.push(`${at}.placeholder over 150 characters`);
      if (e.type === 'text') {
        if (e.subtype !== undefined && !TEXT_SUBTYPES.has(String(e.subtype))) problems.push(`${at}.subtype "${String(e.subtype)}" is unknown`);
        if (typeof e.max_length === 'number' && e.max_length > 150) problems.push(`${at}.max_length over 150`);
      }
      if (e.type === 'textarea' && typeof e.max_length === 'number' && e.max_length > 3000) problems.push(`${at}.max_length over 3000`);
      if (e.type === 'bool' && e.default !== undefined && !['', 'true', 'false'].includes(String(e.default))) problems.push(`${at}.default must be "true" or "false"`);
      if ((e.type === 'select' || e.type === 'radio') && !e.data_source) {
        const options = e.options as { text?: unknown; value?: unknown }[] | undefined;
        if (!Array.isArray(options) || options.some((o) => typeof o.text !== 'string' || typeof o.value !== 'string')) problems.push(`${at}.options must be {text, value} strings`);
      }
      if (e.type === 'date' && typeof e.default === 'string' && e.default !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(e.default)) problems.push(`${at}.default must be YYYY-MM-DD`);
    }
    return problems;
  }

  private openDialog(c: Ctx): Reply {
    const b = (c.body ?? {}) as { trigger_id?: unknown; url?: unknown; dialog?: unknown };
    if (typeof b.trigger_id !== 'string' || typeof b.url !== 'string' || typeof b.dialog !== 'object' || b.dialog === null) return this.appError(400, 'api.context.invalid_body_param.app_error', 'Invalid or missing dialog in request body.');
    const trigger = this.triggers.get(b.trigger_id);
    if (!trigger) return this.appError(400, 'interactive_message.decode_trigger_id.signature_decode_failed', 'Unable to decode trigger ID signature for interactive dialog.');
    if (Date.now() - trigger.at > this.triggerTtlMs) return this.appError(400, 'interactive_message.decode_trigger_id.expired', 'Trigger ID for interactive dialog is expired.');
    if (!/^https?:\/\//.test(b.url)) return this.appError(400, 'interactive_message.open_dialog.invalid_url', 'Invalid dialog URL.');
    const problems = this.dialogProblems(b.dialog as Record<string, unknown>);
    if (problems.length > 0) return this.appError(400, 'model.dialog.is_valid.app_error', 'Invalid dialog.', problems.join('; '));
    this.dialogs.push({ trigger_id: b.trigger_id, url: b.url, dialog: b.dialog as OpenedDialog['dialog'], user_id: trigger.user_id, channel_id: trigger.channel_id, team_id: trigger.team_id });
    return { status: 200, body: { status: 'OK' } };
  }

  /** Limits of upstream model.Command.IsValid (Go len(): bytes). */
  private commandProblem(b: Record<string, unknown>): Reply | undefined {
    const bytes = (v: unknown) => (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    if (bytes(b.trigger) > 128 || (typeof b.trigger === 'string' && (b.trigger.startsWith('/') || b.trigger.includes(' ')))) return this.appError(400, 'model.command.is_valid.trigger.app_error', 'Invalid trigger.');
    if (bytes(b.display_name) > 64) return this.appError(400, 'model.command.is_valid.display_name.app_error', 'Invalid title.');
    if (bytes(b.description) > 128) return this.appError(400, 'model.command.is_valid.description.app_error', 'Invalid description.');
    return undefined;
  }

  private listCommands(c: Ctx): Reply {
    const teamId = c.query.get('team_id');
    if (!teamId) return this.appError(400, 'api.context.invalid_url_param.app_error', 'Invalid or missing team_id parameter in request URL.');
    if (!this.isAdmin(c.user)) return this.appError(403);
    return { status: 200, body: [...this.commands.values()].filter((cmd) => cmd.team_id === teamId && !cmd.delete_at) };
  }

  private createCommand(c: Ctx): Reply {
    if (!this.isAdmin(c.user)) return this.appError(403);
    const b = (c.body ?? {}) as Record<string, unknown>;
    for (const f of ['team_id', 'method', 'trigger', 'url']) if (typeof b[f] !== 'string' || b[f] === '') return this.appError(400, 'model.command.is_valid.app_error', `Invalid ${f}.`);
    const invalid = this.commandProblem(b);
    if (invalid) return invalid;
    if (!this.teams.has(b.team_id as string)) return this.appError(404, 'app.team.get.find.app_error', 'Unable to find the existing team.');
    if ([...this.commands.values()].some((cmd) => cmd.team_id === b.team_id && cmd.trigger === b.trigger && !cmd.delete_at)) return this.appError(400, 'api.command.duplicate_trigger.app_error', 'This trigger word is already in use.');
    const now = Date.now();
    const cmd: FakeCommand = {
      id: mattermostId(),
      token: mattermostId(),
      create_at: now,
      update_at: now,
      delete_at: 0,
      creator_id: c.user.id,
      team_id: b.team_id as string,
      trigger: b.trigger as string,
      method: b.method as string,
      username: typeof b.username === 'string' ? b.username : '',
      icon_url: typeof b.icon_url === 'string' ? b.icon_url : '',
      auto_complete: b.auto_complete === true,
      auto_complete_desc: typeof b.auto_complete_desc === 'string' ? b.auto_complete_desc : '',
      auto_complete_hint: typeof b.auto_complete_hint === 'string' ? b.auto_complete_hint : '',
      display_name: typeof b.display_name === 'string' ? b.display_name : '',
      description: typeof b.description === 'string' ? b.description : '',
      url: b.url as string,
    };
    this.commands.set(cmd.id, cmd);
    return { status: 201, body: cmd };
  }

  private updateCommand(c: Ctx): Reply {
    if (!this.isAdmin(c.user)) return this.appError(403);
    const cmd = this.commands.get(c.params[0]!);
    if (!cmd || cmd.delete_at) return this.appError(404, 'app.command.getcommand.app_error', 'We could not get the command.');
    const b = (c.body ?? {}) as Record<string, unknown>;
    if (b.id !== undefined && b.id !== cmd.id) return this.appError(400, 'api.command.update.app_error', 'The id in the body does not match the URL.');
    if (b.team_id !== cmd.team_id) return this.appError(400, 'api.command.team_mismatch.app_error', 'Unable to update commands across teams.');
    const invalid = this.commandProblem(b);
    if (invalid) return invalid;
    for (const f of ['trigger', 'method', 'url', 'username', 'icon_url', 'auto_complete_desc', 'auto_complete_hint', 'display_name', 'description'] as const) if (typeof b[f] === 'string') cmd[f] = b[f];
    if (typeof b.auto_complete === 'boolean') cmd.auto_complete = b.auto_complete;
    cmd.update_at = Date.now();
    return { status: 200, body: cmd };
  }
}
