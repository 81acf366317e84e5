/**
 * The bot is killed (SIGKILL) with deliveries queued and one post in the worst possible place:
 * Slack has stored it but the bot never heard back. A new bot process starts and every message
 * must end up in Slack exactly once.
 *
 * Real pieces: the Slack adapter (Bolt WebClient over HTTP) in a child process, the fake Slack
 * (test/fakes/slack.ts) in this process, Redis. Between them sits a loopback proxy that can keep
 * one chat.postMessage answer to itself, which is how the "stored but unanswered" window is hit
 * on purpose instead of by luck.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryService, type DeliveryRequest, type DeliveryService } from '../../src/delivery/service.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack.js';
import { startScriptProcess, type BotProcess } from '../support/bot-process.js';
import { redisEnv, REDIS_URL, type RedisEnv } from '../support/redis-env.js';

const CHANNELS = ['C0RESTART1', 'C0RESTART2', 'C0RESTART3', 'C0RESTART4'];
const TOTAL = 60;
const KILL_AFTER_POSTS = 20;

/** The bot process: a delivery worker with the real Slack adapter. Parameters come in the environment. */
const CHILD = `
import express from 'express';
import { Redis } from 'ioredis';
const root = process.env.DAY2_ROOT_URL;
const { startDeliveryWorker } = await import(root + '/src/delivery/service.ts');
const { createSlackAdapter } = await import(root + '/src/chat/slack/adapter.ts');
const { createMetrics } = await import(root + '/src/metrics.ts');
const { createLogger } = await import(root + '/src/log.ts');
const e = process.env;
const log = createLogger({ level: 'warn', name: 'bot-' + e.BOT_NAME });
const metrics = createMetrics({ defaultMetrics: false });
const slack = await createSlackAdapter({
  token: e.SLACK_TOKEN, signingSecret: 'unused-here', apiUrl: e.SLACK_API_URL, router: express.Router(),
  mentions: () => () => undefined, zone: () => 'UTC', log, metrics,
});
const connection = new Redis(e.REDIS_URL, { maxRetriesPerRequest: null });
const redis = new Redis(e.REDIS_URL, { keyPrefix: e.DAY2_PREFIX + ':' });
const worker = await startDeliveryWorker({
  connection, redis, prefix: e.BULL_PREFIX, adapters: new Map([['slack', slack]]), metrics, log,
  perChannelIntervalMs: 150, perPlatformPerSecond: 100, attempts: 5, concurrency: 6,
  retryBaseMs: 100, lockDurationMs: 2000, stalledIntervalMs: 500,
});
process.on('SIGTERM', async () => {
  await worker.close();
  await Promise.all([connection.quit(), redis.quit()]);
  process.exit(0);
});
process.stdout.write('ready\\n');
`;

async function startBot(name: string, env: RedisEnv, apiUrl: string, token: string): Promise<BotProcess> {
  return startScriptProcess(name, CHILD, { SLACK_TOKEN: token, SLACK_API_URL: apiUrl, REDIS_URL, DAY2_PREFIX: env.name, BULL_PREFIX: env.prefix });
}

interface Proxy {
  url: string;
  /** Keep the answer to the `n`-th chat.postMessage from now; resolves once Slack has stored it. */
  holdPost(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Forwards everything to `target`; can swallow one chat.postMessage answer. */
async function startProxy(target: string): Promise<Proxy> {
  const held: ServerResponse[] = [];
  let holdAt = 0;
  let posts = 0;
  let onHeld: (() => void) | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'authorization']) if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
      const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
      const body = Buffer.from(await upstream.arrayBuffer());
      if (req.url?.startsWith('/api/chat.postMessage')) {
        posts++;
        if (holdAt > 0 && posts === holdAt) {
          held.push(res);
          onHeld?.();
          return;
        }
      }
      const out: Record<string, string> = { 'content-type': upstream.headers.get('content-type') ?? 'application/json' };
      const retryAfter = upstream.headers.get('retry-after');
      if (retryAfter) out['retry-after'] = retryAfter;
      res.writeHead(upstream.status, out).end(body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdPost(n) {
      holdAt = posts + n;
      return new Promise<void>((r) => (onHeld = r));
    },
    async close() {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function keysIn(fake: FakeSlack, channel: string): string[] {
  return fake
    .messages(channel)
    .map((m) => m.metadata?.event_payload.key)
    .filter((k): k is string => typeof k === 'string');
}

describe('delivery across a crash and restart', () => {
  let env: RedisEnv;
  let fake: FakeSlack;
  let proxy: Proxy;
  let service: DeliveryService;
  const bots: BotProcess[] = [];

  beforeEach(async () => {
    env = await redisEnv();
    fake = await startFakeSlack();
    proxy = await startProxy(fake.url);
    service = createDeliveryService({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  });

  afterEach(async () => {
    for (const b of bots) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
    await Promise.all(bots.map((b) => b.exited));
    await service.close();
    await proxy.close();
    await fake.close();
    await env.cleanup();
  });

  it('posts every queued message exactly once after the bot is SIGKILLed mid-delivery', { timeout: 90_000 }, async () => {
    const requests: DeliveryRequest[] = Array.from({ length: TOTAL }, (_, i) => ({
      key: `restart-${i}`,
      revision: 1,
      target: { platform: 'slack', channelId: CHANNELS[i % CHANNELS.length]! },
      message: { body: `message ${i}`, summary: `message ${i}` },
    }));
    await service.enqueue(requests);

    const held = proxy.holdPost(KILL_AFTER_POSTS);
    const first = await startBot('first', env, `${proxy.url}/api/`, fake.token);
    bots.push(first);
    await held;
    // Slack has the message; the bot is waiting for the answer. Now it dies.
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const beforeRestart = CHANNELS.flatMap((c) => keysIn(fake, c));
    expect(beforeRestart.length).toBeGreaterThanOrEqual(KILL_AFTER_POSTS);
    expect(beforeRestart.length).toBeLessThan(TOTAL);
    const heldKey = fake.callsTo('chat.postMessage').at(-1)!.args.metadata as { event_payload: { key: string } };
    expect((await service.status(heldKey.event_payload.key))[0]?.state).toBe('pending');

    const second = await startBot('second', env, `${proxy.url}/api/`, fake.token);
    bots.push(second);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const done = await Promise.all(requests.map(async (r) => (await service.status(r.key))[0]?.state === 'delivered'));
      if (done.every(Boolean)) break;
      if (Date.now() > deadline) throw new Error(`not all delivered; bot output:\n${second.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // Exactly once, in the right channel.
    for (const [i, r] of requests.entries()) {
      const channel = CHANNELS[i % CHANNELS.length]!;
      expect(keysIn(fake, channel).filter((k) => k === r.key), r.key).toHaveLength(1);
    }
    expect(CHANNELS.flatMap((c) => keysIn(fake, c))).toHaveLength(TOTAL);
    // The unanswered post was found again, not posted twice: its outbox ref is Slack's copy.
    const heldStatus = (await service.status(heldKey.event_payload.key))[0]!;
    const heldChannel = heldStatus.ref!.channelId;
    const copy = fake.messages(heldChannel).find((m) => m.metadata?.event_payload.key === heldKey.event_payload.key)!;
    expect(heldStatus.ref?.messageId).toBe(copy.ts);
    expect(fake.callsTo('conversations.history').some((c) => c.args.channel === heldChannel)).toBe(true);
  });
});
