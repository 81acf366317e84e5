/**
 * GET /ical/maintenance/<env>.ics?token=… — an environment's maintenance windows as an
 * iCalendar feed (ical-generator). The token is per environment: the one set under
 * notices.icalTokens, or one derived from a random secret Day2 keeps in Redis, so a feed link
 * reveals nothing about other environments and can be rotated by deleting that secret.
 * One event per notice (UID from the notice id): an extended or moved window is the same event
 * with a higher SEQUENCE (sync.ts).
 */
import type { Express } from 'express';
import ical from 'ical-generator';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { FeedEventLedger } from '../../store/feed-events.js';
import type { MaintenanceWindow } from '../../store/notice/store.js';
import { sameToken } from '../../store/feed-tokens.js';
import type { IcalTokens } from '../../store/notice/feed-tokens.js';
import { notFound } from '../not-found.js';
import { addStampedEvents, dayWindow, sendCalendar, type FeedEvent } from './sync.js';

type Env = { id: string; name: string; classification: string };

export function maintenanceEvents(env: Env, windows: readonly MaintenanceWindow[], publicUrl?: string): FeedEvent[] {
  return windows.map((w) => ({
    uid: `day2-notice-${w.noticeId}@${env.id}`,
    start: w.start,
    end: w.end,
    summary: `[${env.classification}] ${env.name} maintenance: ${w.summary}`,
    description: `Status: ${w.status}${w.components.length ? `\nComponents: ${w.components.join(', ')}` : ''}\nNotice ${w.noticeId}`,
    ...(publicUrl ? { url: publicUrl } : {}),
  }));
}

export const maintenanceCalendar = (env: Env) => ical({ name: `Day2 maintenance: ${env.name} [${env.classification}]`, prodId: { company: 'day2', product: 'notices', language: 'EN' } });

export interface MaintenanceFeedDeps {
  config: () => Config;
  tokens: IcalTokens;
  windows: (env: string, from: Date, to: Date) => Promise<MaintenanceWindow[]>;
  events: FeedEventLedger;
  log: Logger;
  clock: () => Date;
}

export function mountMaintenanceIcal(app: Express, deps: MaintenanceFeedDeps): void {
  app.get('/ical/maintenance/:file', (req, res) => {
    void (async () => {
      const m = /^([a-z0-9][a-z0-9-]{0,62})\.ics$/.exec(String(req.params.file));
      const env = m ? deps.config().environments.find((e) => e.id === m[1]) : undefined;
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      // Unknown environment and wrong token take the same steps to the same answer, so the feed
      // does not list environments.
      const expected = await deps.tokens.tokenFor(env?.id ?? m?.[1] ?? '');
      if (!env || !sameToken(token, expected)) return notFound(res);
      const now = deps.clock();
      const { from, to } = dayWindow(now, 30, 365);
      const cal = maintenanceCalendar(env);
      await addStampedEvents(cal, maintenanceEvents(env, await deps.windows(env.id, from, to)), deps.events, now);
      sendCalendar(req, res, cal);
    })().catch((err: unknown) => {
      deps.log.error({ err }, 'iCal feed failed');
      if (!res.headersSent) res.status(500).type('text/plain').send('error');
    });
  });
}
