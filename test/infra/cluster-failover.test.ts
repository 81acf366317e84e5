/**
 * Redis Cluster (3 masters, 3 replicas, started by global-setup.ts): `CLUSTER FAILOVER` on the
 * replica of the master that holds the test's keys, in the middle of a burst of writes and of a
 * delivery fan-out. Nothing confirmed is lost, nothing doubled, no command answered with an error.
 */
import type { Cluster } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { connectRedis, pingMasters, type RedisClient } from '../../src/store/redis.js';
import { redisEnv, type RedisEnv } from '../support/redis-env.js';
import { clusterFailover, clusterSettled } from './support/failover.js';
import { deliveryFanout, stages, watchedWriteBurst, type Failover } from './support/scenarios.js';

const cluster = inject('cluster');

describe('Redis Cluster failover', () => {
  let env: RedisEnv<RedisClient>;
  // Day2's keys and BullMQ's share the hash tag `{<name>}`: fail over the master holding it.
  const failover = (): Failover => ({ start: () => clusterFailover(cluster, `{${env.name}}`), settled: () => clusterSettled(cluster) });

  beforeEach(async () => {
    env = await redisEnv(cluster.url);
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('keeps every write confirmed before, during and after the failover', async () => {
    const log = stages('cluster writes');
    const result = await watchedWriteBurst(cluster.url, env, failover(), log);
    expect(result.failed).toEqual([]);
    expect(result.lost).toEqual([]);
    expect(result.confirmed.length).toBeGreaterThanOrEqual(120);
  });

  it('delivers every message of a fan-out exactly once across the failover', async () => {
    const log = stages('cluster fan-out');
    const result = await deliveryFanout(env, failover(), log);
    expect(result.undelivered).toEqual([]);
    expect(result.wrong).toEqual([]);
  });

  it('readiness pings every master', async () => {
    const client = connectRedis(cluster.url, { lazyConnect: true });
    await expect(pingMasters(client)).rejects.toThrow(/cluster connection is wait/);
    await client.connect();
    await expect(pingMasters(client)).resolves.toBeUndefined();
    expect(client.isCluster && (client as Cluster).nodes('master').length).toBe(3);
    await client.quit();
  });
});
