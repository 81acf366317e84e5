/**
 * GET /ical/cadence.ics?token=… — every cadence as an iCalendar feed (ical-generator).
 *
 * Each occurrence from 30 days back to a year ahead is its own event, at its exact instant:
 * Day2's occurrences already carry holiday shifts, skips, single moves and the DST rules, which
 * a calendar client re-expanding the RRULE in its own way would not reproduce. The event keeps
 * the rule in its description and a stable UID per (cadence, occurrence), so clients update
 * rather than duplicate it when the feed changes.
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
import { sameToken } from '../../store/feed-tokens.js';
import { notFound } from '../not-found.js';

const PAST_MS = 30 * 86_400_000;
const FUTURE_MS = 365 * 86_400_000;

export function buildCadenceCalendar(cadences: Cadence[], calendars: Parameters<typeof timingOf>[1], now: Date) {
  const cal = ical({ name: 'Day2 platform cadence', prodId: { company: 'day2', product: 'cadence', language: 'EN' } });
  for (const c of cadences) {
    if (c.paused) continue;
    const len = lengthMs(c.duration);
    for (const o of occurrencesBetween(timingOf(c, calendars), new Date(now.getTime() - PAST_MS), new Date(now.getTime() + FUTURE_MS))) {
      const notes = [`${c.kind} · ${c.schedule} at ${String(c.time.hour).padStart(2, '0')}:${String(c.time.minute).padStart(2, '0')} ${c.zone}`];
      if (o.change === 'shifted') notes.push(`Shifted from its usual day for ${o.holiday ?? 'a holiday'}.`);
      if (o.change === 'moved') notes.push('Moved from its usual time.');
      if (c.blocking) notes.push(`Blocks releases${c.environments.length ? ` in ${c.environments.join(', ')}` : ''}.`);
      cal.createEvent({
        id: `day2-cadence-${c.name}-${o.id}`,
        start: o.at,
        end: new Date(o.at.getTime() + len),
        summary: c.title ?? c.name,
        description: notes.join('\n'),
      });
    }
  }
  return cal;
}

export function mountCadenceIcal(app: Express, deps: { config: () => Config; cadence: CadenceService; log: Logger; clock?: () => Date }): void {
  app.get('/ical/cadence.ics', (req, res) => {
    void (async () => {
      const expected = deps.config().cadence.icalToken;
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      // Feed off and wrong token answer like any unknown path.
      if (!expected || !sameToken(token, expected)) return notFound(res);
      const cadences = (await deps.cadence.store.cadences.list()).map((r) => r.value);
      const cal = buildCadenceCalendar(cadences, deps.cadence.calendars(), (deps.clock ?? (() => new Date()))());
      res.status(200).type('text/calendar; charset=utf-8').send(cal.toString());
    })().catch((err: unknown) => {
      deps.log.error({ err }, 'cadence iCal feed failed');
      if (!res.headersSent) res.status(500).type('text/plain').send('error');
    });
  });
}
