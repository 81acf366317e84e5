/**
 * What the failover tests do on either topology: (a) a burst of record writes through Day2's
 * repository code with a failover in the middle, (b) a fan-out of deliveries through the real
 * BullMQ delivery queue with a failover in the middle. The topology-specific part (which
 * failover, when it has settled) is passed in.
 */
import { z } from 'zod';
import type { ChatAdapter, Platform } from '../../../src/chat/port.js';
import { createDeliveryService, startDeliveryWorker, type DeliveryRequest } from '../../../src/delivery/service.js';
import { silentLogger } from '../../../src/log.js';
import { createMetrics } from '../../../src/metrics.js';
import { createRepository } from '../../../src/store/record.js';
import { isRedisUnavailable, type RedisClient } from '../../../src/store/redis.js';
import { RecordingAdapter } from '../../support/recording-adapter.js';
import type { RedisEnv } from '../../support/redis-env.js';
import { until } from './servers.js';
import { countByMessage, watchLogs } from './log-watch.js';
import { expect } from 'vitest';

export interface Failover {
  /** Force it; resolves once a new master serves. */
  start(): Promise<unknown>;
  /** Resolves once the old master has rejoined as a replica (lost writes would be gone by then). */
  settled(): Promise<unknown>;
}

/** Elapsed ms per stage, printed as the test goes (CI logs show where time went). */
export function stages(test: string): (stage: string) => void {
  const t0 = Date.now();
  let last = t0;
  return (stage) => {
    const now = Date.now();
    console.log(`[${test}] ${stage}: +${now - last} ms (total ${now - t0} ms)`);
    last = now;
  };
}

export interface BurstResult {
  confirmed: string[];
  /** Writes answered with an error; `unavailable` ones get "reconnecting, try again" from Day2. */
  failed: { id: string; error: string; unavailable: boolean }[];
  lost: string[];
  /** Failed writes that failed again when retried after the failover (should be none). */
  retryFailed: string[];
}

/**
 * Lanes of `put`s (each a versioned-record script touching three keys) until `afterFailover`
 * more writes have been confirmed after the failover; then every confirmed record is read back.
 */
export async function writeBurst(env: RedisEnv<RedisClient>, failover: Failover, log: (s: string) => void, opts = { lanes: 4, before: 60, afterFailover: 60 }): Promise<BurstResult> {
  const repo = createRepository({ redis: env.redis, name: 'burst', schema: z.object({ n: z.number() }), version: 1, stamped: true });
  const confirmed: string[] = [];
  const failed: BurstResult['failed'] = [];
  let next = 0;
  let stopAt = Infinity;
  const lane = async () => {
    while (confirmed.length < stopAt) {
      const n = next++;
      try {
        await repo.put(`r${n}`, { n });
        confirmed.push(`r${n}`);
      } catch (e) {
        failed.push({ id: `r${n}`, error: (e as Error).message, unavailable: isRedisUnavailable(e) });
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const lanes = Array.from({ length: opts.lanes }, lane);
  await until('writes before the failover', () => confirmed.length >= opts.before, 30_000, 10);
  log(`${confirmed.length} writes confirmed, forcing failover`);
  await failover.start();
  log(`new master serves (${confirmed.length} confirmed so far)`);
  stopAt = confirmed.length + opts.afterFailover;
  await Promise.all(lanes);
  log(`burst done: ${confirmed.length} confirmed, ${failed.length} failed`);
  await failover.settled();
  log('topology settled');
  const lost: string[] = [];
  for (const id of confirmed) if (!(await repo.get(id))) lost.push(id);
  const listed = new Set((await repo.list()).map((r) => r.id));
  for (const id of confirmed) if (!listed.has(id) && !lost.includes(id)) lost.push(id);
  log(`read back ${confirmed.length} records, ${lost.length} lost`);
  // What a user told "try again in a moment" does: the same write again, now served.
  const retryFailed: string[] = [];
  for (const f of failed) await repo.upsert(f.id, () => ({ n: Number(f.id.slice(1)) })).catch(() => retryFailed.push(f.id));
  log(`retried ${failed.length} failed writes, ${retryFailed.length} failed again`);
  return { confirmed, failed, lost, retryFailed };
}

/**
 * A write burst across `failover` while a second connection to `url` is watched: it must log one
 * line per state change (not one per retry) and never ioredis' "Unhandled error event".
 */
export async function watchedWriteBurst(url: string, env: RedisEnv<RedisClient>, failover: Failover, log: (s: string) => void): Promise<BurstResult> {
  const watch = watchLogs(url, `${env.name}:`);
  const result = await writeBurst(env, failover, log);
  await watch.stop();
  log(`log lines of a watched connection: ${JSON.stringify(countByMessage(watch.lines))}`);
  expect(watch.lines.length).toBeLessThanOrEqual(12);
  expect(watch.unhandled).toEqual([]);
  return result;
}

export interface FanoutResult {
  keys: string[];
  /** Copies the platform holds per key, for keys with other than exactly one. */
  wrong: { key: string; copies: number }[];
  undelivered: string[];
}

/** `count` deliveries queued in batches through the real queue while the failover happens. */
export async function deliveryFanout(env: RedisEnv<RedisClient>, failover: Failover, log: (s: string) => void, count = 40): Promise<FanoutResult> {
  const service = createDeliveryService({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  const slack = new RecordingAdapter();
  slack.latencyMs = 20;
  const worker = await startDeliveryWorker({
    connection: env.connection,
    redis: env.redis,
    prefix: env.prefix,
    adapters: new Map<Platform, ChatAdapter>([['slack', slack]]),
    metrics: createMetrics({ defaultMetrics: false }),
    log: silentLogger,
    perChannelIntervalMs: 0,
    perPlatformPerSecond: 1000,
    attempts: 10,
    retryBaseMs: 100,
    lockDurationMs: 5_000,
    stalledIntervalMs: 2_000,
  });
  const keys = Array.from({ length: count }, (_, i) => `fan-${i}`);
  const request = (key: string, i: number): DeliveryRequest => ({ key, revision: 1, target: { platform: 'slack', channelId: `C${i}` }, message: { body: key, summary: key } });
  try {
    let failing: Promise<unknown> | undefined;
    let requeued = 0;
    for (let i = 0; i < count; i += 5) {
      if (i === 10) {
        log('10 deliveries queued, forcing failover');
        failing = failover.start();
      }
      // Queueing caught by the failover answers "unavailable"; the notice fan-out timer that
      // queues them is then retried by BullMQ, as here. Any other error fails the test.
      await queueAgainWhileUnavailable(() => service.enqueue(keys.slice(i, i + 5).map((k, j) => request(k, i + j))), () => requeued++);
      await new Promise((r) => setTimeout(r, 100));
    }
    await failing;
    log(`all ${count} queued (${requeued} batches queued again); new master serves`);
    await failover.settled();
    log('topology settled');
    const undelivered = async () => {
      const out: string[] = [];
      for (const k of keys) if (!(await service.status(k)).every((e) => e.state === 'delivered')) out.push(k);
      return out;
    };
    await until('every delivery delivered', async () => (await undelivered()).length === 0, 60_000, 200).catch(() => undefined);
    // A doubled copy could still be on its way: give the queue a moment before counting.
    await new Promise((r) => setTimeout(r, 1_000));
    log('deliveries done');
    const wrong = keys.map((key) => ({ key, copies: slack.store.copies(key).length })).filter((w) => w.copies !== 1);
    return { keys, wrong, undelivered: await undelivered() };
  } finally {
    await worker.close();
    await service.close();
  }
}

async function queueAgainWhileUnavailable(fn: () => Promise<void>, onRetry: () => void): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= 20 || !isRedisUnavailable(e)) throw e;
      onRetry();
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
