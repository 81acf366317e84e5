/**
 * Signed, expiring links to one web page for one person (`/day2 web`). The link names the page,
 * the person and the expiry, and carries an HMAC of all three from a secret Day2 keeps in Redis
 * (deleting `web:link-secret` voids every link at once). A link opens only the page it was made
 * for: a status link for one environment says nothing about another.
 */
import type { FeedTokens } from '../../store/feed-tokens.js';
import { derivedFeedTokens, sameToken } from '../../store/feed-tokens.js';
import type { RedisClient } from '../../store/redis.js';

export type WebPage = 'status' | 'oncall' | 'calendar';

export const WEB_PAGES: readonly WebPage[] = ['status', 'oncall', 'calendar'];

export type LinkCheck = { ok: true; person: string } | { ok: false; why: 'expired' | 'forged' };

export interface WebLinks {
  /** The path (with its `link` query) that opens `page`/`id` for `person` until `now` + ttl. */
  linkFor(page: WebPage, id: string, person: string, now: Date, ttlMs: number): Promise<{ path: string; expires: Date }>;
  /** Whether a presented `link` value opens `page`/`id` at `now`. */
  check(page: WebPage, id: string, link: string, now: Date): Promise<LinkCheck>;
}

const LINK = /^([a-z0-9][a-z0-9-]{0,62})\.(\d{1,12})\.([A-Za-z0-9_-]{32})$/;

export function createWebLinks(redis: RedisClient): WebLinks {
  const tokens: FeedTokens = derivedFeedTokens(redis, 'web:link-secret', 'web-link');
  const sign = (page: WebPage, id: string, person: string, exp: number) => tokens.tokenFor(`${page}/${id}/${person}/${exp}`);
  return {
    async linkFor(page, id, person, now, ttlMs) {
      const exp = Math.floor((now.getTime() + ttlMs) / 1000);
      const sig = await sign(page, id, person, exp);
      return { path: `/${page}/${id}?link=${person}.${exp}.${sig}`, expires: new Date(exp * 1000) };
    },
    async check(page, id, link, now) {
      const m = LINK.exec(link);
      if (!m) return { ok: false, why: 'forged' };
      const [, person, exp] = m;
      // Signature first: an altered expiry is a forgery, not an expired link.
      if (!sameToken(m[3]!, await sign(page, id, person!, Number(exp)))) return { ok: false, why: 'forged' };
      if (Number(exp) * 1000 <= now.getTime()) return { ok: false, why: 'expired' };
      return { ok: true, person: person! };
    },
  };
}
