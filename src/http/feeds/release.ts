/**
 * GET /ical/releases/<env>.ics?token=… — an environment's release calendar (releases, freezes,
 * maintenance windows, blocking events) as iCalendar, for calendar apps to subscribe to. The
 * token is an HMAC of the environment id under a per-installation secret kept in Redis, handed
 * out by `/release ical <env>`; it is compared in constant time.
 */
import type { Express } from 'express';
import ical from 'ical-generator';
import { KIND_LABELS } from '../../domain/release/view.js';
import type { Logger } from '../../log.js';
import type { ReleaseCoordinator } from '../../services/release/coordinator.js';
import type { ReleaseStore } from '../../store/release/store.js';
import { sameToken } from '../../store/feed-tokens.js';
import { feedToken } from '../../store/release/feed-tokens.js';
import { notFound } from '../not-found.js';

const DAY = 86_400_000;

export interface IcalRouteDeps {
  store: ReleaseStore;
  coordinator: ReleaseCoordinator;
  clock(): Date;
  log: Logger;
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
      const from = new Date(now.getTime() - 30 * DAY);
      const to = new Date(now.getTime() + 365 * DAY);
      const info = deps.coordinator.envInfo(known);
      const entries = await deps.coordinator.calendar([known], from, to);
      const cal = ical({ name: `Releases: ${info.env.name}`, prodId: { company: 'day2', product: 'releases' }, timezone: null, ttl: 900 });
      for (const e of entries) {
        cal.createEvent({
          id: `${known}-${e.kind}-${e.id}@day2`,
          start: e.start,
          end: e.end,
          summary: `${KIND_LABELS[e.kind]}: ${e.title}`,
          description: `Owner: ${e.owner}\nEnvironment: ${info.env.name} (${info.env.classification})`,
        });
      }
      res.status(200).type('text/calendar; charset=utf-8').send(cal.toString());
    } catch (err) {
      deps.log.error({ err }, 'release calendar feed failed');
      res.status(500).type('text/plain').send('error');
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
