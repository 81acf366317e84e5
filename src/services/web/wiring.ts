/**
 * Wires the web pages: the page data (from notices, on-call and releases) and the signed links
 * `/day2 web` hands out. The HTTP routes are mounted by the app's feature wiring.
 */
import type { Config } from '../../config.js';
import type { RedisClient } from '../../store/redis.js';
import type { NoticeService } from '../notice/service.js';
import type { OncallService } from '../oncall/service.js';
import type { ReleaseServices } from '../release/wiring.js';
import { createWebLinks, type WebLinks } from './links.js';
import { createWebPages, type WebPages } from './pages.js';

export interface WebFeature {
  webPages: WebPages;
  webLinks: WebLinks;
}

export function wireWeb(ctx: { redis: RedisClient; config: () => Config; notices: NoticeService; oncall: OncallService; releases: ReleaseServices }): WebFeature {
  return {
    webPages: createWebPages({ config: ctx.config, notices: ctx.notices.store, oncall: ctx.oncall, releases: ctx.releases }),
    webLinks: createWebLinks(ctx.redis),
  };
}
