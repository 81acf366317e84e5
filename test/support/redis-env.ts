/**
 * A private corner of the real Redis for one test: a unique prefix for Day2's keys and BullMQ's,
 * the two connections Day2 uses, and a cleanup that removes every key under both prefixes.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { queuePrefix } from '../../src/store/redis.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface RedisEnv {
  /** Day2 redis prefix (config.redisPrefix). */
  name: string;
  /** BullMQ prefix: queuePrefix(name). */
  prefix: string;
  /** Plain, blocking-safe connection for BullMQ. */
  connection: Redis;
  /** Key-prefixed connection for Day2's own keys. */
  redis: Redis;
  /** Every key under both prefixes (to assert cleanup or inspect). */
  keys(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export async function redisEnv(): Promise<RedisEnv> {
  const name = `t-${randomUUID()}`;
  const prefix = queuePrefix(name);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const redis = new Redis(REDIS_URL, { keyPrefix: `${name}:`, maxRetriesPerRequest: 3 });
  const admin = new Redis(REDIS_URL);
  const keys = async () => {
    const out: string[] = [];
    for (const pattern of [`${name}:*`, `${prefix}:*`]) {
      let cursor = '0';
      do {
        const [next, batch] = await admin.scan(cursor, 'MATCH', pattern.replace(/[{}]/g, '\\$&'), 'COUNT', 500);
        cursor = next;
        out.push(...batch);
      } while (cursor !== '0');
    }
    return out;
  };
  return {
    name,
    prefix,
    connection,
    redis,
    keys,
    async cleanup() {
      const list = await keys();
      for (let i = 0; i < list.length; i += 500) await admin.del(...list.slice(i, i + 500));
      await Promise.all([connection.quit(), redis.quit()]);
      await admin.quit();
    },
  };
}
