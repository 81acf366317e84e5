/**
 * Redis Sentinel (1 master, 2 replicas, 3 sentinels, started by global-setup.ts): a forced
 * failover in the middle of a burst of writes and of a delivery fan-out loses nothing that was
 * confirmed, doubles nothing, and answers no command with an error.
 */
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { connectRedis, pingMasters, type RedisClient } from '../../src/store/redis.js';
import { redisEnv, type RedisEnv } from '../support/redis-env.js';
import { sentinelFailover, sentinelSettled } from './support/failover.js';
import { deliveryFanout, stages, watchedWriteBurst, type Failover } from './support/scenarios.js';

const sentinel = inject('sentinel');

function failover(): Failover {
  let moved: { from: number; to: number } | undefined;
  return {
    start: async () => (moved = await sentinelFailover(sentinel)),
    settled: async () => moved && sentinelSettled(sentinel, moved.from, moved.to),
  };
}

describe('Redis Sentinel failover', () => {
  let env: RedisEnv<RedisClient>;
  beforeEach(async () => {
    env = await redisEnv(sentinel.url);
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('keeps every write confirmed before, during and after the failover', async () => {
    const log = stages('sentinel writes');
    const result = await watchedWriteBurst(sentinel.url, env, failover(), log);
    // A write caught by the failover may be answered "reconnecting, try again" (never an error)...
    expect(result.failed.filter((f) => !f.unavailable)).toEqual([]);
    // ...and a retry serves it; nothing answered as done is gone.
    expect(result.retryFailed).toEqual([]);
    expect(result.lost).toEqual([]);
    expect(result.confirmed.length).toBeGreaterThanOrEqual(120);
  });

  it('delivers every message of a fan-out exactly once across the failover', async () => {
    const log = stages('sentinel fan-out');
    const result = await deliveryFanout(env, failover(), log);
    expect(result.undelivered).toEqual([]);
    expect(result.wrong).toEqual([]);
  });

  it('readiness pings the current master, and only a master', async () => {
    const client = connectRedis(sentinel.url);
    await expect(pingMasters(client)).resolves.toBeUndefined();
    await client.quit();
  });
});
