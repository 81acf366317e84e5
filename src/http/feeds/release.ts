/**
 * GET /ical/releases/<env>.ics?token=… — an environment's release calendar (releases, freezes,
 * maintenance windows, blocking events) as iCalendar, for calendar apps to subscribe to. The
 * token is an HMAC of the environment id under a per-installation secret kept in Redis, handed
 * out by `/release ical <env>`; it is compared in constant time. One UID per release, freeze,
 * window or blocking occurrence; a change to one is a higher SEQUENCE (sync.ts).
 */
import type { Express } from 'express';
import ical from 'ical-generator';
import type { Blocker } from '../../domain/release/blockers.js';
import { KIND_LABELS } from '../../domain/release/view.js';
import type { Logger } from '../../log.js';
import type { ReleaseCoordinator } from '../../services/release/coordinator.js';
import type { FeedEventLedger } from '../../store/feed-events.js';
import type { ReleaseStore } from '../../store/release/store.js';
import { sameToken } from '../../store/feed-tokens.js';
import { feedToken } from '../../store/release/feed-tokens.js';
import { notFound } from '../not-found.js';
import { addStampedEvents, dayWindow, sendCalendar, type FeedEvent } from './sync.js';

export interface IcalRouteDeps {
  store: Pick<ReleaseStore, 'feedSecret'>;
  coordinator: Pick<ReleaseCoordinator, 'envInfo' | 'calendar'>;
  events: FeedEventLedger;
  clock(): Date;
  log: Logger;
}

export function releaseEvents(envId: string, env: { name: string; classification: string }, entries: readonly Blocker[]): FeedEvent[] {
  return entries.map((e) => ({
    uid: `${envId}-${e.kind}-${e.id}@day2`,
    start: e.start,
    end: e.end,
    summary: `${KIND_LABELS[e.kind]}: ${e.title}`,
    description: `Owner: ${e.owner}\nEnvironment: ${env.name} (${env.classification})`,
  }));
}

export function mountReleaseIcal(router: Pick<Express, 'get'>, deps: IcalRouteDeps): void {
  router.get('/ical/releases/:file', async (req, res) => {
    const m = /^([a-z0-9][a-z0-9-]{0,62})\.ics$/.exec(String(req.params.file));
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    try {
      const env = m?.[1];
      const known = env ? safeEnv(deps, env) : undefined;
      // Unknown environment and wrong token take the same steps to the same answer: the feed
      // does not leak names.
      const expected = feedToken(await deps.store.feedSecret(), known ?? env ?? '');
      if (!known || !sameToken(token, expected)) return notFound(res);
      const now = deps.clock();
      const { from, to } = dayWindow(now, 30, 365);
      const info = deps.coordinator.envInfo(known);
      const entries = await deps.coordinator.calendar([known], from, to);
      const cal = ical({ name: `Releases: ${info.env.name}`, prodId: { company: 'day2', product: 'releases' }, timezone: null, ttl: 900 });
      await addStampedEvents(cal, releaseEvents(known, info.env, entries), deps.events, now);
      sendCalendar(req, res, cal);
    } catch (err) {
      deps.log.error({ err }, 'release calendar feed failed');
      if (!res.headersSent) res.status(500).type('text/plain').send('error');
    }
  });
}

function safeEnv(deps: IcalRouteDeps, env: string): string | undefined {
  try {
    return deps.coordinator.envInfo(env).env.id;
  } catch {
    return undefined;
  }
}
