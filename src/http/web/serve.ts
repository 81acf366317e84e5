/**
 * One web page request from start to answer, the same for every page: rate limit, query check,
 * access, the viewer's zone, then the ETag from what the page shows and the minute shown as
 * "now" — an unchanged page is a 304 without rendering — and the rendered HTML, kept a while
 * under its ETag so many viewers of one page cost one render a minute.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { WebRenderer } from '../../render/web.js';
import { fingerprint } from '../../services/web/pages.js';
import type { WebPage } from '../../services/web/links.js';
import { accessTo, type AccessDeps } from './access.js';
import { parseWebQuery, viewerZone, type WebQuery } from './query.js';
import type { RateLimiter } from './rate-limit.js';
import { notModified } from '../conditional.js';
import { send, sendError, sendTagged } from './respond.js';

export interface ServeDeps extends AccessDeps {
  web: WebRenderer;
  log: Logger;
  clock: () => Date;
  limiter: RateLimiter;
  /** Changes when the process restarts with other templates. */
  generation: string;
  /** Rendered pages by ETag (this server's own: several bots in one process never share one). */
  rendered: Map<string, string>;
}

export interface Viewing {
  q: WebQuery;
  zone: string;
  badZone?: string;
  /** "Now" as the page shows it: the current minute. */
  now: Date;
  person?: string;
  /** Query ("tz=…&link=…") links on the page carry on. */
  keep: string;
}

/** What one route knows how to do. */
export interface PageRoute<S> {
  /** Names the variant in the ETag ("status", "status.json", …). */
  name: string;
  page: WebPage;
  /** Content type (default HTML). */
  type?: string;
  allowed: readonly (keyof WebQuery)[];
  usage: string;
  /** The environment or team, or undefined when there is none of that name. */
  find(id: string): S | undefined;
  isPublic(subject: S): boolean;
  /** Zone for a viewer who sent no ?tz= (a link's person's own zone, else the page's). */
  defaultZone(subject: S, person: string | undefined): string;
  /** A fingerprint of the page's data known without loading it (status pages), so a 304 loads nothing. */
  quickVersion?(subject: S, v: Viewing): Promise<string>;
  /** The page: its data's fingerprint and how to render it. */
  load(subject: S, v: Viewing): Promise<{ version: string; body: () => string }>;
}

const HTML = 'text/html; charset=utf-8';
const MAX_RENDERED = 256;

export async function servePage<S>(req: IncomingMessage, res: ServerResponse, route: PageRoute<S>, id: string, deps: ServeDeps): Promise<void> {
  const now = deps.clock();
  const fallbackZone = deps.config().timezone;
  const wait = deps.limiter.take(clientOf(req, deps.config().web.trustProxy), now.getTime());
  if (wait !== undefined) return sendError(res, deps.web, { status: 429, retryAfter: wait }, fallbackZone, now);
  // Everything after the first "?" is the query: a second "?" is part of a value, checked like the rest.
  const url = req.url ?? '';
  const parsed = parseWebQuery(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '', route.allowed);
  if (!parsed.ok) return sendError(res, deps.web, { status: 400, problem: parsed.problem, usage: route.usage }, fallbackZone, now);
  const subject = /^[a-z0-9][a-z0-9-]{0,62}$/.test(id) ? route.find(id) : undefined;
  if (subject === undefined) return sendError(res, deps.web, { status: 404 }, fallbackZone, now);
  const access = await accessTo(route.page, id, route.isPublic(subject), parsed.query, deps, now);
  if (!access.ok) return sendError(res, deps.web, access.status === 404 ? { status: 404 } : { status: 403, why: access.why, page: `${route.page} ${id}` }, fallbackZone, now);
  const { zone, badZone } = viewerZone(parsed.query, route.defaultZone(subject, access.person));
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const v: Viewing = { q: parsed.query, zone, ...(badZone ? { badZone } : {}), now: minute, ...(access.person ? { person: access.person } : {}), keep: keepQuery(parsed.query) };
  // Opened with a link or a token, the page carries it (and a token opens more than this page).
  const cache = route.isPublic(subject) && !access.person && parsed.query.token === undefined ? 'public, no-cache' : 'private, no-cache';
  // Everything the HTML depends on besides the data: the page's links carry the viewer's own link
  // or token (so one viewer's page, kept under its ETag, is never served to another).
  const shown = [route.name, id, zone, badZone ?? '', parsed.query.view ?? '', parsed.query.date ?? '', v.keep, minute.getTime(), deps.generation];
  const tag = (version: string) => `"${fingerprint(shown, version)}"`;
  if (route.quickVersion) {
    const etag = tag(await route.quickVersion(subject, v));
    const type = route.type ?? HTML;
    if (notModified(req, etag)) return sendTagged(req, res, etag, type, () => '', cache);
    const hit = deps.rendered.get(etag);
    if (hit !== undefined) return sendTagged(req, res, etag, type, () => hit, cache);
    const page = await route.load(subject, v);
    return sendTagged(req, res, etag, type, () => remember(deps.rendered, etag, page.body), cache);
  }
  const page = await route.load(subject, v);
  const etag = tag(page.version);
  sendTagged(req, res, etag, route.type ?? HTML, () => remember(deps.rendered, etag, page.body), cache);
}

/**
 * Who a request counts against: the peer, or behind a trusted proxy the address that proxy saw —
 * the last of X-Forwarded-For, as it appends it; anything before it came from the client, who
 * could otherwise start a fresh count with every request.
 */
export function clientOf(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').at(-1)?.trim();
  return last || req.socket.remoteAddress || 'unknown';
}

/** The query every link on the page carries on: the viewer's zone and their link or token. */
export function keepQuery(q: WebQuery): string {
  const keep = new URLSearchParams();
  for (const k of ['tz', 'link', 'token'] as const) if (q[k] !== undefined) keep.set(k, q[k]!);
  return keep.toString();
}

function remember(rendered: Map<string, string>, etag: string, render: () => string): string {
  const hit = rendered.get(etag);
  if (hit !== undefined) return hit;
  const html = render();
  if (rendered.size >= MAX_RENDERED) rendered.delete(rendered.keys().next().value!);
  rendered.set(etag, html);
  return html;
}

/** A route's handler for express, errors logged and answered without a stack. */
export function pageHandler<S>(route: PageRoute<S>, deps: ServeDeps) {
  return (req: IncomingMessage, res: ServerResponse, id: string) => {
    servePage(req, res, route, id, deps).catch((err: unknown) => {
      deps.log.error({ err, page: route.page }, 'web page failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Day2 could not show this page; try again in a moment.\n', { 'cache-control': 'no-store' });
    });
  };
}
