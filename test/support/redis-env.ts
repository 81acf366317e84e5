/**
 * A private corner of the real Redis for one test: a unique prefix for Day2's keys and BullMQ's,
 * the two connections Day2 uses, and a cleanup that removes every key under both prefixes.
 *
 * Works against any REDIS_URL Day2 accepts. On a cluster the connections come from connectRedis,
 * so Day2's keys are hash-tagged (`{t-…}:`) like BullMQ's, and keys/cleanup scan every master.
 */
import { randomUUID } from 'node:crypto';
import { Redis, type Cluster } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis, parseRedisUrl, queuePrefix, type RedisClient } from '../../src/store/redis.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisEnv<C extends RedisClient = Redis> {
  /** Day2 redis prefix (config.redisPrefix). */
  name: string;
  /** BullMQ prefix: queuePrefix(name). */
  prefix: string;
  /** Plain, blocking-safe connection for BullMQ. */
  connection: C;
  /** Key-prefixed connection for Day2's own keys. */
  redis: C;
  /** Every key under both prefixes (to assert cleanup or inspect). */
  keys(): Promise<string[]>;
  cleanup(): Promise<void>;
}

async function scanAll(node: Redis, pattern: string, out: string[]): Promise<void> {
  let cursor = '0';
  do {
    const [next, batch] = await node.scan(cursor, 'MATCH', pattern.replace(/[{}]/g, '\\$&'), 'COUNT', 500);
    cursor = next;
    out.push(...batch);
  } while (cursor !== '0');
}

/** The shared single Redis by default; pass a Sentinel or Cluster URL (infra tests) for those. */
export async function redisEnv(): Promise<RedisEnv>;
export async function redisEnv(url: string): Promise<RedisEnv<RedisClient>>;
export async function redisEnv(url: string = REDIS_URL): Promise<RedisEnv<RedisClient>> {
  const name = `t-${randomUUID()}`;
  const prefix = queuePrefix(name);
  const single = parseRedisUrl(url).kind === 'single';
  const connection = single ? new Redis(url, { maxRetriesPerRequest: null }) : connectRedis(url, { blocking: true });
  const redis = single ? new Redis(url, { keyPrefix: `${name}:`, maxRetriesPerRequest: 3 }) : connectRedis(url, { keyPrefix: `${name}:` });
  const admin = single ? new Redis(url) : connectRedis(url);
  // A cluster's keys live on its masters (a failover may have moved them); scan each one.
  const nodes = () => (admin.isCluster ? (admin as Cluster).nodes('master') : [admin as Redis]);
  const keys = async () => {
    const out: string[] = [];
    for (const node of nodes()) for (const pattern of [`${name}:*`, `${prefix}:*`]) await scanAll(node, pattern, out);
    return [...new Set(out)];
  };
  return {
    name,
    prefix,
    connection,
    redis,
    keys,
    async cleanup() {
      const list = await keys();
      // One key per DEL on a cluster: a batch may span slots (CROSSSLOT).
      if (admin.isCluster) await Promise.all(list.map((k) => admin.del(k)));
      else for (let i = 0; i < list.length; i += 500) await admin.del(...list.slice(i, i + 500));
      await Promise.all([connection.quit(), redis.quit()]);
      await admin.quit();
    },
  };
}

/**
 * One RedisEnv for a whole test file: made before its tests, cleaned up after them. Call at the
 * top level of the file; read `.env` inside tests.
 */
export function useRedisEnv(): { readonly env: RedisEnv } {
  let env: RedisEnv | undefined;
  beforeAll(async () => {
    env = await redisEnv();
  });
  afterAll(async () => {
    await env?.cleanup();
  });
  return {
    get env() {
      if (!env) throw new Error('useRedisEnv: read .env inside a test, after beforeAll');
      return env;
    },
  };
}
