/**
 * A short Redis lock: SET NX with an expiry and a random token, released only by its holder (a
 * lock that expired and was taken by someone else is left alone). For work that must not run
 * twice at once across processes; the expiry frees it if the holder dies.
 */
import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis.js';

// KEYS: lock. ARGV: token. Release only a lock we still hold.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Take `key` for `ttlMs`: the release function, or undefined when someone else holds it. */
export async function tryLock(redis: RedisClient, key: string, ttlMs: number): Promise<(() => Promise<void>) | undefined> {
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
  return async () => void (await redis.eval(RELEASE, 1, key, token));
}
