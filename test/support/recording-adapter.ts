/**
 * A ChatAdapter for delivery tests. It keeps what a platform would keep (messages per channel,
 * with their delivery key) and records every call with a timestamp, and it can be told to fail
 * the way real platforms do:
 *   - rate_limited: 429 with Retry-After (nothing posted)
 *   - transient:    5xx / connection refused (nothing posted)
 *   - ambiguous:    the message IS posted, then the call fails as a timeout (TransientError ambiguous)
 *   - permanent:    channel_not_found, not_in_channel, invalid_auth...
 *
 * `createRecordingServer` serves the same store over loopback HTTP and `HttpRecordingAdapter`
 * talks to it with real requests, so a bot process can be killed in the middle of a call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FormSpec, OutboundMessage } from '../../src/chat/message.js';
import type { Capabilities, ChatAdapter, Dispatch, MessageRef, Platform, UserInfo } from '../../src/chat/port.js';
import { PermanentError, RateLimitedError, TransientError, type RateLimitScope } from '../../src/errors.js';

export type Op = 'post' | 'reply' | 'update' | 'dm' | 'findPosted' | 'dmChannelOf';

export type Failure =
  | { kind: 'rate_limited'; retryAfterMs: number; scope?: RateLimitScope }
  | { kind: 'transient' }
  | { kind: 'ambiguous' }
  | { kind: 'permanent'; code?: 'not_found' | 'not_in_channel' | 'auth' | 'permanent'; message?: string };

export interface RecordedCall {
  op: Op;
  at: number;
  channelId: string;
  /** findPosted: the thread it looked in. */
  threadId?: string;
  key?: string;
  /** The message's text (summary) as sent. */
  text?: string;
  ref?: MessageRef;
  outcome: 'ok' | Failure['kind'];
}

export interface StoredMessage {
  ref: MessageRef;
  key?: string;
  text: string;
  /** How many times it was edited. */
  edits: number;
  postedAt: number;
}

const CAPS: Capabilities = { threads: true, forms: false, ephemeral: false, dateTokens: false, buttons: true, maxTextLength: 40_000, dutyGroup: 'none' };

/** The "platform" side: messages by channel. Shared by the in-memory adapter and the HTTP server. */
export class RecordingPlatform {
  readonly messages: StoredMessage[] = [];
  readonly calls: RecordedCall[] = [];
  private seq = 0;

  constructor(readonly platform: Platform = 'slack') {}

  postMessage(channelId: string, text: string, key: string | undefined, threadId?: string): MessageRef {
    const ref: MessageRef = { platform: this.platform, channelId, messageId: `m${++this.seq}` };
    if (threadId) ref.threadId = threadId;
    this.messages.push({ ref, key, text, edits: 0, postedAt: Date.now() });
    return ref;
  }

  editMessage(ref: MessageRef, text: string): void {
    const m = this.messages.find((x) => x.ref.channelId === ref.channelId && x.ref.messageId === ref.messageId);
    if (!m) throw new PermanentError('not_found', `message ${ref.messageId} not found`);
    m.text = text;
    m.edits++;
  }

  /**
   * Like Slack: without `threadId` only channel-level messages are seen (replies live in their
   * thread), with it only that thread's replies.
   */
  find(channelId: string, key: string, sinceMs: number, threadId?: string): MessageRef | undefined {
    const since = Date.now() - sinceMs;
    return this.messages.find((m) => m.ref.channelId === channelId && m.key === key && m.postedAt >= since && m.ref.threadId === threadId)?.ref;
  }

  /** Copies of `key` the platform holds (anywhere). */
  copies(key: string): StoredMessage[] {
    return this.messages.filter((m) => m.key === key);
  }

  /** Calls that created a message, including ones whose answer was lost (ambiguous). */
  created(): RecordedCall[] {
    return this.calls.filter((c) => (c.op === 'post' || c.op === 'reply' || c.op === 'dm') && (c.outcome === 'ok' || c.outcome === 'ambiguous'));
  }
}

interface Rule {
  ops?: Op[];
  channelId?: string;
  failure: Failure;
  remaining: number;
}

function dmChannel(userId: string): string {
  return `D-${userId}`;
}

export class RecordingAdapter implements ChatAdapter {
  readonly capabilities = CAPS;
  readonly store: RecordingPlatform;
  private readonly rules: Rule[] = [];
  /** Milliseconds each platform call takes. */
  latencyMs = 0;

  constructor(
    readonly platform: Platform = 'slack',
    store?: RecordingPlatform,
  ) {
    this.store = store ?? new RecordingPlatform(platform);
  }

  get calls(): RecordedCall[] {
    return this.store.calls;
  }

  /** Fail the next `times` calls matching `match` with `failure`. */
  failNext(failure: Failure, match: { ops?: Op[]; channelId?: string } = {}, times = 1): this {
    this.rules.push({ ...match, failure, remaining: times });
    return this;
  }

  private failureFor(op: Op, channelId: string): Failure | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (!r.ops || r.ops.includes(op)) && (!r.channelId || r.channelId === channelId));
    if (!rule) return undefined;
    rule.remaining--;
    return rule.failure;
  }

  private async call<T>(op: Op, channelId: string, message: OutboundMessage | undefined, act: () => T, threadId?: string): Promise<T> {
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const at = Date.now();
    const failure = this.failureFor(op, channelId);
    const record = (outcome: RecordedCall['outcome'], ref?: MessageRef) => {
      const entry: RecordedCall = { op, at, channelId, outcome };
      if (threadId) entry.threadId = threadId;
      if (message?.key) entry.key = message.key;
      if (message) entry.text = message.summary;
      if (ref) entry.ref = ref;
      this.store.calls.push(entry);
    };
    if (!failure) {
      const result = act();
      record('ok', (result as MessageRef | undefined)?.messageId ? (result as MessageRef) : undefined);
      return result;
    }
    if (failure.kind === 'ambiguous') {
      // The platform did it; we just never heard back.
      const result = act();
      record('ambiguous', (result as MessageRef | undefined)?.messageId ? (result as MessageRef) : undefined);
      throw new TransientError('timeout after the request was sent', true);
    }
    record(failure.kind);
    if (failure.kind === 'rate_limited') {
      throw new RateLimitedError(failure.retryAfterMs, undefined, failure.scope ? { scope: failure.scope } : undefined);
    }
    if (failure.kind === 'transient') throw new TransientError('503 service unavailable', false);
    throw new PermanentError(failure.code ?? 'not_found', failure.message ?? 'channel_not_found');
  }

  async start(_dispatch: Dispatch): Promise<void> {}
  async stop(): Promise<void> {}
  async ping(): Promise<void> {}

  post(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.call('post', channelId, message, () => this.store.postMessage(channelId, message.summary, message.key));
  }

  reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.call('reply', thread.channelId, message, () => this.store.postMessage(thread.channelId, message.summary, message.key, thread.threadId ?? thread.messageId));
  }

  update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    return this.call('update', ref.channelId, message, () => this.store.editMessage(ref, message.summary));
  }

  dm(userId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.call('dm', dmChannel(userId), message, () => this.store.postMessage(dmChannel(userId), message.summary, message.key));
  }

  /** Like a real platform, findPosted knows channels only: a user id finds nothing. */
  findPosted(channelId: string, key: string, sinceMs: number, threadId?: string): Promise<MessageRef | undefined> {
    return this.call('findPosted', channelId, undefined, () => this.store.find(channelId, key, sinceMs, threadId), threadId);
  }

  dmChannelOf(userId: string): Promise<string> {
    return this.call('dmChannelOf', dmChannel(userId), undefined, () => dmChannel(userId));
  }

  async ephemeral(): Promise<void> {}
  async openForm(_t: string, _f: FormSpec): Promise<void> {}
  async getUser(userId: string): Promise<UserInfo> {
    return { platform: this.platform, id: userId, name: userId };
  }
  /** Handles are user ids here, unless a test names the user id behind a handle. */
  readonly userIds = new Map<string, string | undefined>();
  async userIdOf(handle: string): Promise<string | undefined> {
    return this.userIds.has(handle) ? this.userIds.get(handle) : handle;
  }
  async groupsOf(): Promise<string[]> {
    return [];
  }
  /** Delivery tests have no duty groups (capability `none`). */
  async syncDutyGroup(): Promise<never> {
    throw new PermanentError('permanent', 'the recording adapter has no duty groups');
  }
}

// ---------------------------------------------------------------------------------------------
// Loopback HTTP variant

export interface RecordingServer {
  url: string;
  store: RecordingPlatform;
  /**
   * Hold the response to the `n`-th successful post (1-based, counting from now): the message is
   * stored, the reply never comes. Resolves when that post has arrived.
   */
  holdPost(n: number): Promise<void>;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, string>;
}

function send(res: ServerResponse, status: number, data: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(data));
}

export async function createRecordingServer(platform: Platform = 'slack'): Promise<RecordingServer> {
  const store = new RecordingPlatform(platform);
  const held: ServerResponse[] = [];
  let holdAt = 0;
  let postsSeen = 0;
  let onHeld: (() => void) | undefined;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const at = Date.now();
      if (req.method === 'POST' && url.pathname === '/post') {
        const b = await body(req);
        const ref = store.postMessage(b.channelId ?? '', b.text ?? '', b.key, b.threadId);
        store.calls.push({ op: b.threadId ? 'reply' : 'post', at, channelId: ref.channelId, key: b.key, text: b.text, ref, outcome: 'ok' });
        postsSeen++;
        if (holdAt > 0 && postsSeen === holdAt) {
          held.push(res);
          onHeld?.();
          return;
        }
        return send(res, 200, ref);
      }
      if (req.method === 'POST' && url.pathname === '/update') {
        const b = await body(req);
        const ref: MessageRef = { platform, channelId: b.channelId ?? '', messageId: b.messageId ?? '' };
        store.editMessage(ref, b.text ?? '');
        store.calls.push({ op: 'update', at, channelId: ref.channelId, key: b.key, text: b.text, ref, outcome: 'ok' });
        return send(res, 200, {});
      }
      if (req.method === 'GET' && url.pathname === '/find') {
        const channelId = url.searchParams.get('channelId') ?? '';
        const ref = store.find(channelId, url.searchParams.get('key') ?? '', Number(url.searchParams.get('sinceMs') ?? '0'), url.searchParams.get('threadId') ?? undefined);
        store.calls.push({ op: 'findPosted', at, channelId, key: url.searchParams.get('key') ?? undefined, ref, outcome: 'ok' });
        return send(res, 200, ref ?? {});
      }
      send(res, 404, { error: 'no route' });
    })().catch((e: unknown) => send(res, 500, { error: String(e) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    store,
    holdPost(n) {
      holdAt = postsSeen + n;
      return new Promise<void>((r) => (onHeld = r));
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Talks to a RecordingServer over HTTP, the way a real adapter talks to its platform. */
export class HttpRecordingAdapter implements ChatAdapter {
  readonly capabilities = CAPS;

  constructor(
    private readonly baseUrl: string,
    readonly platform: Platform = 'slack',
    private readonly timeoutMs = 5000,
  ) {}

  private async request(path: string, init?: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      // A timeout may come after the server acted on the request.
      throw new TransientError(`request failed: ${(e as Error).message}`, true, { cause: e });
    }
    if (res.status >= 500) throw new TransientError(`HTTP ${res.status}`, false);
    if (res.status !== 200) throw new PermanentError('permanent', `HTTP ${res.status}`);
    return res.json();
  }

  private postJson(path: string, data: unknown): Promise<unknown> {
    return this.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
  }

  async post(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return (await this.postJson('/post', { channelId, text: message.summary, key: message.key })) as MessageRef;
  }

  async reply(thread: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return (await this.postJson('/post', { channelId: thread.channelId, threadId: thread.threadId ?? thread.messageId, text: message.summary, key: message.key })) as MessageRef;
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    await this.postJson('/update', { channelId: ref.channelId, messageId: ref.messageId, text: message.summary, key: message.key });
  }

  async dm(userId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.post(dmChannel(userId), message);
  }

  async dmChannelOf(userId: string): Promise<string> {
    return dmChannel(userId);
  }

  async findPosted(channelId: string, key: string, sinceMs: number, threadId?: string): Promise<MessageRef | undefined> {
    const found = (await this.request(`/find?${new URLSearchParams({ channelId, key, sinceMs: String(sinceMs), ...(threadId ? { threadId } : {}) })}`)) as Partial<MessageRef>;
    return found.messageId ? (found as MessageRef) : undefined;
  }

  async start(_dispatch: Dispatch): Promise<void> {}
  async stop(): Promise<void> {}
  async ping(): Promise<void> {}
  async ephemeral(): Promise<void> {}
  async openForm(_t: string, _f: FormSpec): Promise<void> {}
  async getUser(userId: string): Promise<UserInfo> {
    return { platform: this.platform, id: userId, name: userId };
  }
  async userIdOf(handle: string): Promise<string | undefined> {
    return handle;
  }
  async groupsOf(): Promise<string[]> {
    return [];
  }
  /** Delivery tests have no duty groups (capability `none`). */
  async syncDutyGroup(): Promise<never> {
    throw new PermanentError('permanent', 'the recording adapter has no duty groups');
  }
}
