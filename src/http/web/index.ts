/**
 * Mounts the web pages and their two static files on Day2's HTTP server. Read-only: every route
 * is a GET; nothing on the web changes state.
 */
import { createHash } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import type { Config } from '../../config.js';
import { linkTtlMs } from '../../domain/web/config.js';
import type { Logger } from '../../log.js';
import type { WebRenderer } from '../../render/web.js';
import type { WebLinks, WebPage } from '../../services/web/links.js';
import type { WebPages } from '../../services/web/pages.js';
import { createRateLimiter } from './rate-limit.js';
import { send, sendTagged } from './respond.js';
import { calendarRoute, oncallRoute, statusRoutes } from './routes.js';
import { pageHandler, type ServeDeps } from './serve.js';

export interface WebDeps {
  config: () => Config;
  pages: WebPages;
  links: WebLinks;
  web: WebRenderer;
  log: Logger;
  clock: () => Date;
  publicUrl: string;
  /** Feed tokens: per environment (status, calendar) and per team (on-call). */
  envToken(env: string): Promise<string>;
  teamToken(team: string): Promise<string>;
}

export function mountWeb(app: Express, d: WebDeps): void {
  const serve: ServeDeps = {
    config: d.config,
    links: d.links,
    tokenFor: (page: WebPage, id: string) => (page === 'oncall' ? d.teamToken(id) : d.envToken(id)),
    web: d.web,
    log: d.log.child({ feature: 'web' }),
    clock: d.clock,
    limiter: createRateLimiter(() => d.config().web.rateLimitPerMinute),
    generation: String(d.clock().getTime()),
    rendered: new Map(),
  };
  const routeDeps = { config: d.config, pages: d.pages, web: d.web, publicUrl: d.publicUrl, icalUrl: async (env: string) => `${d.publicUrl}/ical/maintenance/${env}.ics?token=${encodeURIComponent(await d.envToken(env))}` };
  const [status, statusJson, statusAtom] = statusRoutes(routeDeps).map((r) => pageHandler(r, serve));
  const oncall = pageHandler(oncallRoute(routeDeps), serve);
  const calendar = pageHandler(calendarRoute(routeDeps), serve);
  app.get('/status/:id/feed.atom', (req, res) => statusAtom!(req, res, String(req.params.id)));
  app.get('/status/:id', (req, res) => {
    const id = String(req.params.id);
    if (id.endsWith('.json')) return statusJson!(req, res, id.slice(0, -'.json'.length));
    status!(req, res, id);
  });
  app.get('/oncall/:id', (req, res) => oncall(req, res, String(req.params.id)));
  app.get('/calendar/:id', (req, res) => calendar(req, res, String(req.params.id)));
  app.get('/web/:asset', (req: Request, res: Response) => {
    const asset = d.web.asset(String(req.params.asset));
    if (!asset) return send(res, 404, 'text/plain; charset=utf-8', 'not found', { 'cache-control': 'no-store' });
    const etag = `"${createHash('sha256').update(asset.body).digest('base64url').slice(0, 27)}"`;
    sendTagged(req, res, etag, asset.type, () => asset.body.toString('utf8'), 'public, max-age=3600');
  });
}

/** The link `/day2 web` hands out, as a full address. */
export async function webLink(d: Pick<WebDeps, 'links' | 'config' | 'publicUrl'>, page: WebPage, id: string, person: string, now: Date): Promise<{ url: string; expires: Date }> {
  const { path, expires } = await d.links.linkFor(page, id, person, now, linkTtlMs(d.config().web));
  return { url: `${d.publicUrl}${path}`, expires };
}
