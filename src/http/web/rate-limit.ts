/**
 * Page requests per client address per minute, counted in this process (a fixed window: cheap,
 * and the point is to stop a scraper or a link-guessing loop, not to meter exactly). Over the
 * limit → 429 with Retry-After until the window turns.
 */
export interface RateLimiter {
  /** undefined: allowed; a number: seconds until the client may try again. */
  take(client: string, now: number): number | undefined;
}

const WINDOW = 60_000;
/** Forget windows of addresses that went quiet, so the map stays small. */
const MAX_CLIENTS = 50_000;

export function createRateLimiter(perMinute: () => number): RateLimiter {
  let windowStart = 0;
  let counts = new Map<string, number>();
  return {
    take(client, now) {
      if (now - windowStart >= WINDOW || counts.size > MAX_CLIENTS) {
        windowStart = now - (now % WINDOW);
        counts = new Map();
      }
      const n = (counts.get(client) ?? 0) + 1;
      counts.set(client, n);
      return n > perMinute() ? Math.max(1, Math.ceil((windowStart + WINDOW - now) / 1000)) : undefined;
    },
  };
}
