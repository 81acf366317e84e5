/**
 * /metrics and /healthz never wait on Redis.
 *
 * - The scrape path sends no Redis command: a real probe on a real ioredis client, watched with
 *   Redis MONITOR (filtered to that client's address), sees commands from a background refresh
 *   and none from any number of scrapes.
 * - The whole bot, on a private redis-server of its own: a scrape answers while that Redis is
 *   frozen (SIGSTOP: connections stay open, nothing answers, as in an outage), and /healthz
 *   answers while Redis is not there at all at start. The shared Redis is never touched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { createQueueDepthProbe, startQueueDepthRefresh } from '../../../src/delivery/queue-depths.js';
import { parseEnv } from '../../../src/env.js';
import { createHttpServer } from '../../../src/http/server.js';
import { silentLogger } from '../../../src/log.js';
import { createMetrics } from '../../../src/metrics.js';
import { REDIS_URL } from '../../support/redis-env.js';

const cleanups: (() => Promise<unknown>)[] = [];
const servers: ChildProcess[] = [];
afterEach(async () => {
  // Thaw first, so a bot that is stopping can still say goodbye to its Redis.
  for (const p of servers) p.kill('SIGCONT');
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  for (const p of servers.splice(0)) p.kill('SIGKILL');
});

/** A scrape that fails the test if it hangs (it used to wait ~22 s on a dead Redis). */
async function scrape(base: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(8_000) });
  return { status: res.status, text: await res.text() };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function privateRedis(port: number): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  servers.push(proc);
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined); // refused until the server is up: expected while polling
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return proc;
    } catch {
      if (i > 100) throw new Error(`redis-server did not start on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** The bot being created (wrapped: an async function would flatten, i.e. wait for, the promise). */
function botOn(redisPort: number, httpPort: number): { pending: Promise<Bot> } {
  const config = parseConfig('timezone: UTC\nredisPrefix: t-outage\npeople:\n  - { id: alice, name: Alice }\nroles: { admin: [alice] }\n');
  const env = parseEnv({ DAY2_QUEUE_DEPTH_INTERVAL_MS: '100' });
  if (!config.ok || !env.ok) throw new Error('bad test settings');
  const pending = createBot({ env: env.env, config: config.config, redisUrl: `redis://127.0.0.1:${redisPort}`, log: silentLogger, listenEarly: { port: httpPort, host: '127.0.0.1' } });
  cleanups.push(async () => (await pending).stop(2_000));
  return { pending };
}

describe('the scrape path', () => {
  it('sends no Redis command: queue depths come from the background refresh only', async () => {
    const prefix = `{t-scrape-${Date.now()}}`;
    const client = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const admin = new Redis(REDIS_URL);
    cleanups.push(() => Promise.all([client.quit(), admin.quit()]));
    const addr = /addr=(\S+)/.exec(String(await client.call('CLIENT', 'INFO')))![1]!;
    const metrics = createMetrics({ defaultMetrics: false });
    const probe = createQueueDepthProbe({ connection: client, prefix });
    // An hour: no timer reading can fall inside the scrapes below.
    const refresh = startQueueDepthRefresh({ probe, metrics, log: silentLogger, intervalMs: 3_600_000 });
    cleanups.push(async () => (refresh.stop(), probe.close()));
    await refresh.refresh();
    const http = createHttpServer({ metrics, log: silentLogger, checks: () => [] });
    const base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
    cleanups.push(() => http.close());

    // Every command the probe's client sends, as Redis itself saw it.
    const seen: string[] = [];
    const monitor = await admin.monitor();
    cleanups.push(async () => monitor.disconnect());
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (source === addr) seen.push(args.join(' ').toLowerCase());
    });
    // MONITOR shows commands in order, so a marker sent after the scrapes closes their window.
    await client.echo('monitor-started');
    await expect.poll(() => seen.includes('echo monitor-started')).toBe(true);
    for (let i = 0; i < 5; i++) {
      const res = await scrape(base);
      expect(res.status).toBe(200);
      expect(res.text).toMatch(/day2_queue_depth\{queue="delivery",state="waiting"\} 0/);
      expect(res.text).toMatch(/day2_queue_depth_age_seconds \d/);
    }
    await client.echo('scrapes-done');
    await expect.poll(() => seen.includes('echo scrapes-done')).toBe(true);
    expect(seen.slice(seen.indexOf('echo monitor-started') + 1, seen.indexOf('echo scrapes-done'))).toEqual([]);
    // The instrument works: a refresh does show up from that same client.
    await refresh.refresh();
    await expect.poll(() => seen.length > seen.indexOf('echo scrapes-done') + 1).toBe(true);
  });
});

describe('the whole bot while Redis is away', () => {
  it('serves /metrics from the last reading while Redis is frozen, with the reading growing older', async () => {
    const redisPort = await freePort();
    const redis = await privateRedis(redisPort);
    const bot = await botOn(redisPort, 0).pending;
    const base = `http://127.0.0.1:${await bot.start(0, '127.0.0.1')}`;
    await expect.poll(async () => /day2_queue_depth\{queue="delivery",state="waiting"\} 0/.test((await scrape(base)).text), { timeout: 10_000 }).toBe(true);

    redis.kill('SIGSTOP');
    const first = await scrape(base);
    expect(first.status).toBe(200);
    expect(first.text).toMatch(/day2_queue_depth\{queue="delivery",state="waiting"\} 0/);
    const age = (t: string) => Number(/^day2_queue_depth_age_seconds (\S+)$/m.exec(t)?.[1]);
    // Readings stop while Redis is frozen, so the age only grows (refresh is every 100 ms).
    await expect.poll(async () => age((await scrape(base)).text) > 0.5, { timeout: 10_000 }).toBe(true);
    redis.kill('SIGCONT');
    await expect.poll(async () => age((await scrape(base)).text) < 0.5, { timeout: 10_000 }).toBe(true);
  });

  it('answers /healthz (and /metrics) while Redis is not there at start, and starts once it is', async () => {
    const redisPort = await freePort();
    const httpPort = await freePort();
    const { pending } = botOn(redisPort, httpPort);
    const base = `http://127.0.0.1:${httpPort}`;
    await expect.poll(async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.status, { timeout: 10_000 }).toBe(200);
    expect((await scrape(base)).status).toBe(200);
    // Platform work is refused, not hung, until the bot has started.
    expect((await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(8_000) })).status).toBe(503);

    await privateRedis(redisPort);
    const bot = await pending;
    expect(await bot.start(0, '127.0.0.1')).toBe(httpPort);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
