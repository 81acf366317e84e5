/**
 * The feed event ledger against real Redis: unchanged content keeps its stamp, changed content
 * gets one more SEQUENCE at the instant it was first served, and two processes serving the same
 * change at once agree on one stamp (neither bumps it twice).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedEventLedger, type FeedEventLedger } from '../../../src/store/feed-events.js';
import { redisEnv, REDIS_URL, type RedisEnv } from '../../support/redis-env.js';

const T0 = new Date('2030-01-07T12:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let env: RedisEnv;
let other: Redis;
let a: FeedEventLedger;
let b: FeedEventLedger;

beforeAll(async () => {
  env = await redisEnv();
  // A second process: its own connection to the same keys.
  other = new Redis(REDIS_URL, { keyPrefix: `${env.name}:` });
  a = createFeedEventLedger(env.redis);
  b = createFeedEventLedger(other);
});

afterAll(async () => {
  await other?.quit();
  await env?.cleanup();
});

describe('feed event ledger', () => {
  it('keeps the stamp of unchanged content and bumps changed content once, at the instant it was first served', async () => {
    const events = Array.from({ length: 1_200 }, (_, i) => ({ uid: `day2-test-${i}@x`, fingerprint: 'v1' }));
    const first = await a.stamp(events, at(0));
    expect(first.size).toBe(1_200);
    for (const s of first.values()) expect(s).toEqual({ sequence: 0, changedAt: at(0) });
    const again = await b.stamp(events, at(5));
    expect(again).toEqual(first);
    const changed = events.map((e, i) => (i === 700 ? { ...e, fingerprint: 'v2' } : e));
    const bumped = await a.stamp(changed, at(10));
    expect(bumped.get('day2-test-700@x')).toEqual({ sequence: 1, changedAt: at(10) });
    expect(bumped.get('day2-test-699@x')).toEqual({ sequence: 0, changedAt: at(0) });
    expect((await b.stamp(changed, at(20))).get('day2-test-700@x')).toEqual({ sequence: 1, changedAt: at(10) });
  });

  it('two processes serving the same change at once agree on one stamp', async () => {
    const uids = Array.from({ length: 50 }, (_, i) => `day2-race-${i}@x`);
    await a.stamp(uids.map((uid) => ({ uid, fingerprint: 'old' })), at(0));
    const next = uids.map((uid) => ({ uid, fingerprint: 'new' }));
    const [fromA, fromB] = await Promise.all([a.stamp(next, at(1)), b.stamp(next, at(2))]);
    for (const uid of uids) {
      expect(fromA.get(uid)).toEqual(fromB.get(uid));
      expect(fromA.get(uid)!.sequence).toBe(1);
    }
    expect((await a.stamp(next, at(3))).get(uids[0]!)!.sequence).toBe(1);
  });
});
