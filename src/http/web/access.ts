/**
 * Who may open a web page: the page's own environment or team must exist, then a signed link
 * for that very page (from `/day2 web`), or the page's feed token, or — for a status page the
 * config marks `public: true` — nobody needs anything. An unknown page and a private page asked
 * for without anything get the same 404; a link or token that does not open an existing page
 * gets a 403 that says how to get a new one.
 */
import type { Config } from '../../config.js';
import type { WebLinks, WebPage } from '../../services/web/links.js';
import { sameToken } from '../../store/feed-tokens.js';
import type { WebQuery } from './query.js';

export type Access = { ok: true; person?: string } | { ok: false; status: 404 } | { ok: false; status: 403; why: 'expired' | 'forged' | 'revoked' };

export interface AccessDeps {
  config: () => Config;
  links: WebLinks;
  /** The feed token that opens `page`/`id` (per environment or per team). */
  tokenFor(page: WebPage, id: string): Promise<string>;
}

export async function accessTo(page: WebPage, id: string, isPublic: boolean, q: WebQuery, deps: AccessDeps, now: Date): Promise<Access> {
  if (q.link !== undefined) {
    const c = await deps.links.check(page, id, q.link, now);
    if (!c.ok) return { ok: false, status: 403, why: c.why };
    // Someone taken out of the config loses their links with their access.
    if (!deps.config().people.some((p) => p.id === c.person)) return { ok: false, status: 403, why: 'revoked' };
    return { ok: true, person: c.person };
  }
  if (q.token !== undefined) return sameToken(q.token, await deps.tokenFor(page, id)) ? { ok: true } : { ok: false, status: 403, why: 'forged' };
  return isPublic ? { ok: true } : { ok: false, status: 404 };
}
