import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { createRateLimiter } from '../../../src/http/web/rate-limit.js';
import { clientOf } from '../../../src/http/web/serve.js';

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

describe('who a request counts against', () => {
  const req = (xff?: string) => ({ headers: xff ? { 'x-forwarded-for': xff } : {}, socket: { remoteAddress: '10.0.0.1' } }) as unknown as IncomingMessage;
  it('is the peer unless the proxy is trusted, then the address the proxy added', () => {
    expect(clientOf(req('203.0.113.9'), false)).toBe('10.0.0.1');
    expect(clientOf(req('203.0.113.9'), true)).toBe('203.0.113.9');
    expect(clientOf(req(), true)).toBe('10.0.0.1');
  });

  it('cannot be chosen by the client: a proxy appends the address it saw to what the client sent', () => {
    // A scraper sending its own X-Forwarded-For, new each request, still counts as itself.
    const limiter = createRateLimiter(() => 2);
    const waits = ['1.1.1.1', '2.2.2.2', '3.3.3.3'].map((forged) => limiter.take(clientOf(req(`${forged}, 203.0.113.9`), true), 0));
    expect(waits).toEqual([undefined, undefined, 60]);
  });
});
