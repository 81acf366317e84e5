import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src/http/web/rate-limit.js';

describe('web rate limit', () => {
  it('lets a client make its quota in a minute, then says how long to wait; other clients are not affected', () => {
    const limiter = createRateLimiter(() => 3);
    const t = 120_000 + 15_000;
    expect([limiter.take('a', t), limiter.take('a', t), limiter.take('a', t)]).toEqual([undefined, undefined, undefined]);
    expect(limiter.take('a', t)).toBe(45);
    expect(limiter.take('b', t)).toBeUndefined();
    // A new window starts at the next whole minute.
    expect(limiter.take('a', 180_000)).toBeUndefined();
  });

  it('reads the limit at each request, so a reload applies at once', () => {
    let limit = 1;
    const limiter = createRateLimiter(() => limit);
    expect(limiter.take('a', 0)).toBeUndefined();
    expect(limiter.take('a', 1)).toBe(60);
    limit = 5;
    expect(limiter.take('a', 2)).toBeUndefined();
  });
});
