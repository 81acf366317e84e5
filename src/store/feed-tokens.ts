/**
 * Tokens for the iCalendar feeds: a per-name token derived (HMAC) from a random secret kept in
 * Redis, so a feed link reveals nothing about other feeds and deleting the secret rotates them
 * all; and the constant-time comparison every feed uses to check one.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RedisClient } from './redis.js';

export interface FeedTokens {
  tokenFor(name: string): Promise<string>;
}

/** Tokens `HMAC(secret, "<purpose>:<name>")`, the secret created once under `secretKey`. */
export function derivedFeedTokens(redis: RedisClient, secretKey: string, purpose: string): FeedTokens {
  let secret: string | undefined;
  return {
    async tokenFor(name) {
      if (!secret) {
        // First process to start creates it; every other process reads the same one.
        await redis.set(secretKey, randomBytes(32).toString('hex'), 'NX');
        secret = (await redis.get(secretKey)) ?? undefined;
        if (!secret) throw new Error(`${purpose} secret missing from Redis`);
      }
      return createHmac('sha256', secret).update(`${purpose}:${name}`).digest('base64url').slice(0, 32);
    },
  };
}

/** Whether a presented token equals the expected one, in time independent of where they differ. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
