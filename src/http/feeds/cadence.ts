/**
 * GET /ical/cadence.ics?token=… — every cadence as an iCalendar feed (ical-generator).
 *
 * Each occurrence in the UTC days from 30 days back to a year ahead is its own event, at its exact
 * instant: Day2's occurrences already carry holiday shifts, skips, single moves and the DST rules,
 * which a calendar client re-expanding the RRULE in its own way would not reproduce. The event
 * keeps the rule in its description and a UID per (cadence, occurrence) that a move keeps, so
 * clients update rather than duplicate it (with a higher SEQUENCE, see sync.ts).
 *
 * The feed is off unless `cadence.icalToken` is set; a wrong or missing token is a plain 404.
 */
import type { Express } from 'express';
import ical from 'ical-generator';
import type { Config } from '../../config.js';
import { timingOf, type Cadence } from '../../domain/cadence/model.js';
import { occurrencesBetween } from '../../domain/cadence/occurrences.js';
import { lengthMs } from '../../domain/cadence/reminders.js';
import type { CadenceService } from '../../services/cadence/service.js';
import type { Logger } from '../../log.js';
import type { FeedEventLedger } from '../../store/feed-events.js';
import { sameToken } from '../../store/feed-tokens.js';
import { notFound } from '../not-found.js';
import { addStampedEvents, dayWindow, sendCalendar, type FeedEvent } from './sync.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** The occurrences of every running cadence in [from, to) as feed events. */
export function cadenceEvents(cadences: readonly Cadence[], calendars: Parameters<typeof timingOf>[1], from: Date, to: Date): FeedEvent[] {
  const out: FeedEvent[] = [];
  for (const c of cadences) {
    if (c.paused) continue;
    const len = lengthMs(c.duration);
    for (const o of occurrencesBetween(timingOf(c, calendars), from, to)) {
      const notes = [`${c.kind} · ${c.schedule} at ${pad(c.time.hour)}:${pad(c.time.minute)} ${c.zone}`];
      if (o.change === 'shifted') notes.push(`Shifted from its usual day for ${o.holiday ?? 'a holiday'}.`);
      if (o.change === 'moved') notes.push('Moved from its usual time.');
      if (c.blocking) notes.push(`Blocks releases${c.environments.length ? ` in ${c.environments.join(', ')}` : ''}.`);
      out.push({ uid: `day2-cadence-${c.name}-${o.id}`, start: o.at, end: new Date(o.at.getTime() + len), summary: c.title ?? c.name, description: notes.join('\n') });
    }
  }
  return out;
}

export const cadenceCalendar = () => ical({ name: 'Day2 platform cadence', prodId: { company: 'day2', product: 'cadence', language: 'EN' } });

export interface CadenceFeedDeps {
  config: () => Config;
  cadence: Pick<CadenceService, 'store' | 'calendars'>;
  events: FeedEventLedger;
  log: Logger;
  clock: () => Date;
}

export function mountCadenceIcal(app: Express, deps: CadenceFeedDeps): void {
  app.get('/ical/cadence.ics', (req, res) => {
    void (async () => {
      const expected = deps.config().cadence.icalToken;
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      // Feed off and wrong token answer like any unknown path.
      if (!expected || !sameToken(token, expected)) return notFound(res);
      const now = deps.clock();
      const { from, to } = dayWindow(now, 30, 365);
      const cadences = (await deps.cadence.store.cadences.list()).map((r) => r.value);
      const cal = cadenceCalendar();
      await addStampedEvents(cal, cadenceEvents(cadences, deps.cadence.calendars(), from, to), deps.events, now);
      sendCalendar(req, res, cal);
    })().catch((err: unknown) => {
      deps.log.error({ err }, 'cadence iCal feed failed');
      if (!res.headersSent) res.status(500).type('text/plain').send('error');
    });
  });
}
