/** The run-once guard's own bounds, against real Redis. */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDedupe } from '../../../src/store/dedupe.js';
import { connectRedis } from '../../../src/store/redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `t-dedupe-${randomUUID().slice(0, 8)}:`;
const redis = connectRedis(REDIS_URL, { keyPrefix: prefix });

afterEach(async () => {
  const plain = connectRedis(REDIS_URL);
  const keys = await plain.keys(`${prefix}*`);
  if (keys.length) await plain.del(...keys);
  await plain.quit();
});

describe('dedupe', () => {
  it('replays a small answer to a redelivery, and forgets the event after 15 minutes', async () => {
    const dedupe = createDedupe(redis);
    const claim = await dedupe.begin('slack:Ev1');
    expect(claim.state).toBe('new');
    await dedupe.finish('slack:Ev1', { formErrors: { a: 'b' } });
    expect(await dedupe.begin('slack:Ev1')).toEqual({ state: 'done', result: { formErrors: { a: 'b' } } });
    const ttl = await redis.pttl('dedupe:slack:Ev1');
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });

  it('does not keep a large answer (memory stays bounded under load), but still refuses to run twice', async () => {
    const dedupe = createDedupe(redis, { maxStoredAnswer: 200 });
    await dedupe.begin('slack:Ev2');
    await dedupe.finish('slack:Ev2', { formErrors: { big: 'x'.repeat(500) } });
    expect(await dedupe.begin('slack:Ev2')).toEqual({ state: 'done', result: {} });
    expect((await redis.get('dedupe:slack:Ev2'))!.length).toBeLessThan(200);
  });
});

afterAll(async () => {
  await redis.quit();
});
