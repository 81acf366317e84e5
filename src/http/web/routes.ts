/**
 * The web pages, one route each: `/status/<env>` (and `.json`, `/feed.atom`), `/oncall/<team>`
 * and `/calendar/<env>`. Each says where its subject comes from, who may see it without a link,
 * and how to load and render it; serve.ts does the rest the same way for all.
 */
import type { Config, Environment } from '../../config.js';
import { wallMidnight } from '../../domain/web/days.js';
import { HISTORY_LISTED } from '../../domain/web/status.js';
import type { WebRenderer } from '../../render/web.js';
import type { WebPages } from '../../services/web/pages.js';
import { fingerprint } from '../../services/web/pages.js';
import type { PageRoute, Viewing } from './serve.js';
import { statusSummary } from './status-feeds.js';

type Team = Config['teams'][number];

/** A feed reader wants what is new; a hundred entries reach far enough back. */
const ATOM_ENTRIES = 100;

export interface RouteDeps {
  config: () => Config;
  pages: WebPages;
  web: WebRenderer;
  publicUrl: string;
  /** The iCal feed address for an environment's maintenance (with its token), for the page's footer. */
  icalUrl(env: string): Promise<string>;
}

const envPage = (d: RouteDeps) => ({
  find: (id: string) => d.config().environments.find((e) => e.id === id),
  defaultZone: (e: Environment, person: string | undefined) => personZone(d.config(), person) ?? e.timezone ?? d.config().timezone,
});

const personZone = (cfg: Config, person: string | undefined) => (person ? cfg.people.find((p) => p.id === person)?.timezone : undefined);

const page = (v: Viewing) => ({ zone: v.zone, now: v.now, badZone: v.badZone, keep: v.keep });

export function statusRoutes(d: RouteDeps): PageRoute<Environment>[] {
  const base = { page: 'status' as const, allowed: ['tz', 'link', 'token'] as const, usage: 'Usage: /status/<environment>[?tz=Europe/Berlin]', ...envPage(d), isPublic: (e: Environment) => e.public };
  const quickVersion = (e: Environment) => d.pages.statusVersion(e);
  const indicatorText = (indicator: string, v: Viewing) => d.web.render('indicator', { ...page(v), indicator }).trim();
  const html: PageRoute<Environment> = {
    ...base,
    name: 'status',
    quickVersion,
    async load(env, v) {
      const view = await d.pages.status(env, v.now, v.zone);
      const ical = v.person || v.q.token ? await d.icalUrl(env.id) : undefined;
      const history = { listed: view.history.slice(0, HISTORY_LISTED), more: Math.max(0, view.history.length - HISTORY_LISTED) };
      return { version: '', body: () => d.web.render('status', { ...page(v), env, view, history, indicatorText: indicatorText(view.indicator, v), ical }) };
    },
  };
  const json: PageRoute<Environment> = {
    ...base,
    name: 'status.json',
    type: 'application/json; charset=utf-8',
    quickVersion,
    async load(env, v) {
      const view = await d.pages.status(env, v.now, 'UTC');
      return { version: '', body: () => `${JSON.stringify(statusSummary(env, view, `${d.publicUrl}/status/${env.id}`, indicatorText(view.indicator, v)), null, 2)}\n` };
    },
  };
  const atom: PageRoute<Environment> = {
    ...base,
    name: 'status.atom',
    type: 'application/atom+xml; charset=utf-8',
    quickVersion,
    async load(env, v) {
      const view = await d.pages.status(env, v.now, 'UTC');
      const entries = [...view.outages, ...view.maintenanceNow, ...view.maintenanceNext, ...view.history].sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()).slice(0, ATOM_ENTRIES);
      const updated = view.updatedAt ?? new Date(0);
      return { version: '', body: () => d.web.render('status.atom', { ...page(v), env, entries, updated, pageUrl: `${d.publicUrl}/status/${env.id}` }) };
    },
  };
  return [html, json, atom];
}

export function oncallRoute(d: RouteDeps): PageRoute<Team> {
  return {
    name: 'oncall',
    page: 'oncall',
    allowed: ['tz', 'link', 'token'],
    usage: 'Usage: /oncall/<team>[?tz=Europe/Berlin]',
    find: (id) => d.config().teams.find((t) => t.id === id),
    isPublic: () => false,
    defaultZone: (t, person) => personZone(d.config(), person) ?? d.config().rotations.find((r) => r.team === t.id)?.timezone ?? d.config().timezone,
    async load(team, v) {
      const data = await d.pages.oncall(team, v.now, v.zone);
      return { version: data?.fingerprint ?? fingerprint(team), body: () => d.web.render('oncall', { ...page(v), team, data }) };
    },
  };
}

export function calendarRoute(d: RouteDeps): PageRoute<Environment> {
  return {
    name: 'calendar',
    page: 'calendar',
    allowed: ['tz', 'link', 'token', 'view', 'date'],
    usage: 'Usage: /calendar/<environment>[?view=month|week][&date=2026-12-07][&tz=Europe/Berlin]',
    ...envPage(d),
    isPublic: () => false,
    async load(env, v) {
      const view = v.q.view ?? 'month';
      const anchor = v.q.date ?? new Date(wallMidnight(v.now.getTime(), v.zone)).toISOString().slice(0, 10);
      const grid = await d.pages.calendar(env, view, anchor, v.now, v.zone);
      return { version: fingerprint(grid), body: () => d.web.render('calendar', { ...page(v), env, grid, isMonth: view === 'month' }) };
    },
  };
}
