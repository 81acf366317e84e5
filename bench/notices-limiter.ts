/**
 * A rate-limiting proxy for the notices benchmark: sits in front of the fake Slack or fake
 * Mattermost and enforces what the real platforms do to a bot posting a lot — about one message
 * per second per channel, and a workspace-wide rate — answering 429 with Retry-After as each
 * platform does (Slack: JSON `ratelimited`; Mattermost: plain-text `limit exceeded`). Writes
 * (posts, replies, edits) count against both limits; reads pass through. It can also inject a
 * share of 5xx and 429 answers at random to see how the fan-out copes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LimiterOptions {
  platform: 'slack' | 'mattermost';
  target: string;
  /** Writes per second across the workspace (a token bucket holding one second's worth). */
  perSecond: number;
  /** Minimum gap between two writes to one channel. */
  perChannelMs: number;
  /** Network jitter allowed on the per-channel gap (the bot measures its gap at send time). */
  jitterMs: number;
  /** Share of writes answered with an injected 503 or 429 (half each), before the limits. */
  faultRate: number;
  /** Channel of a Mattermost post id, for edits (PUT /posts/<id>/patch carries no channel). */
  channelOfPost?: (postId: string) => string | undefined;
}

export interface LimiterStats {
  writes: number;
  accepted: number;
  limitedChannel: number;
  limitedWorkspace: number;
  injected5xx: number;
  injected429: number;
  /** Times of accepted writes (ms since epoch), for seeing where a phase spends its time. */
  acceptedAt: number[];
  /** Times of injected 429s: on Mattermost each one rightly holds the whole platform for its Retry-After. */
  injected429At: number[];
}

export interface Limiter {
  url: string;
  stats: LimiterStats;
  close(): Promise<void>;
}

function writeTarget(platform: 'slack' | 'mattermost', req: IncomingMessage, body: string, channelOfPost?: (id: string) => string | undefined): string | undefined {
  const url = req.url ?? '';
  if (platform === 'slack') {
    if (!/^\/api\/chat\.(postMessage|update)/.test(url)) return undefined;
    const args = (req.headers['content-type'] ?? '').startsWith('application/json') ? (JSON.parse(body) as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(body));
    return String(args.channel ?? '');
  }
  if (req.method === 'POST' && /^\/api\/v4\/posts\/?(\?|$)/.test(url)) return String((JSON.parse(body) as { channel_id?: string }).channel_id ?? '');
  const m = /^\/api\/v4\/posts\/([a-z0-9]+)\/patch/.exec(url);
  if (req.method === 'PUT' && m) return channelOfPost?.(m[1]!) ?? m[1]!;
  return undefined;
}

export async function startLimiter(o: LimiterOptions): Promise<Limiter> {
  const stats: LimiterStats = { writes: 0, accepted: 0, limitedChannel: 0, limitedWorkspace: 0, injected5xx: 0, injected429: 0, acceptedAt: [], injected429At: [] };
  const lastWrite = new Map<string, number>();
  let tokens = o.perSecond;
  let refilledAt = Date.now();

  const limited = (res: ServerResponse, retryAfterS: number) => {
    if (o.platform === 'slack') res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfterS) }).end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    else res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(retryAfterS), 'x-ratelimit-limit': String(o.perSecond), 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(retryAfterS) }).end('limit exceeded');
  };

  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      const channel = writeTarget(o.platform, req, body.toString(), o.channelOfPost);
      if (channel !== undefined) {
        stats.writes++;
        if (o.faultRate > 0 && Math.random() < o.faultRate) {
          if (Math.random() < 0.5) {
            stats.injected5xx++;
            res.writeHead(503, { 'content-type': 'text/plain' }).end('injected 503');
          } else {
            stats.injected429++;
            stats.injected429At.push(Date.now());
            limited(res, 1);
          }
          return;
        }
        const now = Date.now();
        tokens = Math.min(o.perSecond, tokens + ((now - refilledAt) / 1000) * o.perSecond);
        refilledAt = now;
        const last = lastWrite.get(channel);
        if (last !== undefined && now - last < o.perChannelMs - o.jitterMs) {
          stats.limitedChannel++;
          return limited(res, 1);
        }
        if (tokens < 1) {
          stats.limitedWorkspace++;
          return limited(res, 1);
        }
        tokens -= 1;
        lastWrite.set(channel, now);
        stats.accepted++;
        stats.acceptedAt.push(now);
      }
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'authorization', 'x-requested-with', 'accept']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
      const upstream = await fetch(`${o.target}${req.url}`, { method: req.method, headers, ...(body.length ? { body } : {}) });
      const out: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding'].includes(k)) out[k] = v;
      });
      res.writeHead(upstream.status, out).end(Buffer.from(await upstream.arrayBuffer()));
    })().catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
