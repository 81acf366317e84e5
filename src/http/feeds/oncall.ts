/**
 * GET /ical/oncall/<team>.ics?token=…[&from=…&to=…] — a team's resolved on-call turns (overrides,
 * swaps and leave applied) as an iCalendar feed (ical-generator). The token is per team, derived
 * from a random secret Day2 keeps in Redis (`oncall:ical-secret`; delete it to rotate every token).
 * `from`/`to` are dates (UTC days) or date-times with an offset; the default is the UTC days from
 * 30 days back to 90 days ahead. A turn crossing either edge is shown whole (oncall-turns.ts).
 */
import type { Express } from 'express';
import ical from 'ical-generator';
import type { Config } from '../../config.js';
import type { Segment } from '../../domain/oncall/types.js';
import type { OncallService } from '../../services/oncall/service.js';
import type { Logger } from '../../log.js';
import type { FeedEventLedger } from '../../store/feed-events.js';
import { sameToken } from '../../store/feed-tokens.js';
import type { OncallIcalTokens } from '../../store/oncall/feed-tokens.js';
import { notFound } from '../not-found.js';
import { segmentUid, wholeTurns } from './oncall-turns.js';
import { MAX_RANGE_DAYS, parseRange } from './range-query.js';
import { addStampedEvents, dayWindow, sendCalendar, type FeedEvent } from './sync.js';

const DAY = 86_400_000;
const USAGE = 'Usage: /ical/oncall/<team>.ics?token=…[&from=2026-12-01][&to=2027-01-01T09:00:00Z] (dates are UTC days; date-times need Z or an offset; at most 400 days)';

const SOURCE_LABELS: Record<Segment['source'], string> = { override: 'Cover (override)', swap: 'Swapped turn', gap: 'Nobody on duty', rotation: 'Rotation turn' };

export function oncallEvents(team: { id: string; name: string }, rotationId: string, segments: readonly Segment[], nameOf: (person: string) => string): FeedEvent[] {
  return segments.map((s) => ({
    uid: segmentUid(rotationId, team.id, s),
    start: s.start,
    end: s.end,
    summary: `${team.name} ${s.slot}: ${s.person === null ? `GAP (${s.gap ?? 'nobody'})` : nameOf(s.person)}`,
    description: `${SOURCE_LABELS[s.source]} · layer ${s.layer}`,
  }));
}

export const oncallCalendar = (team: { name: string }) => ical({ name: `Day2 on-call: ${team.name}`, prodId: { company: 'day2', product: 'oncall', language: 'EN' } });

export interface OncallFeedDeps {
  config: () => Config;
  tokens: OncallIcalTokens;
  oncall: Pick<OncallService, 'entryForTeam' | 'segments'>;
  events: FeedEventLedger;
  log: Logger;
  clock: () => Date;
}

export function mountOncallIcal(app: Express, deps: OncallFeedDeps): void {
  app.get('/ical/oncall/:file', (req, res) => {
    void (async () => {
      const m = /^([a-z0-9][a-z0-9-]{0,62})\.ics$/.exec(String(req.params.file));
      const team = m ? deps.config().teams.find((t) => t.id === m[1]) : undefined;
      const entry = team ? deps.oncall.entryForTeam(team.id) : undefined;
      const token = typeof req.query.token === 'string' ? req.query.token : '';
      // Unknown team and wrong token take the same steps to the same answer, so the feed does
      // not list teams.
      const expected = await deps.tokens.tokenFor(team?.id ?? m?.[1] ?? '');
      if (!team || !entry || !sameToken(token, expected)) return notFound(res);
      const range = parseRange(req.query);
      if (!range.ok) {
        res.status(400).type('text/plain').send(`${range.problems.join('\n')}\n${USAGE}\n`);
        return;
      }
      const now = deps.clock();
      const days = dayWindow(now, 30, 90);
      const start = range.from ?? days.from;
      const end = range.to ?? (range.from ? new Date(range.from.getTime() + 90 * DAY) : days.to);
      // The query's own pair was checked above; this checks `to` against the default `from`.
      if (end.getTime() <= start.getTime() || end.getTime() - start.getTime() > MAX_RANGE_DAYS * DAY) {
        res.status(400).type('text/plain').send(`to: must be after from (by default 30 days ago) and at most ${MAX_RANGE_DAYS} days after it\n${USAGE}\n`);
        return;
      }
      const segments = await wholeTurns(deps.oncall, entry.id, start, end, now);
      const people = new Map(deps.config().people.map((p) => [p.id, p.name]));
      const cal = oncallCalendar(team);
      await addStampedEvents(cal, oncallEvents(team, entry.id, segments, (p) => people.get(p) ?? p), deps.events, now);
      sendCalendar(req, res, cal);
    })().catch((err: unknown) => {
      deps.log.error({ err }, 'on-call iCal feed failed');
      if (!res.headersSent) res.status(500).type('text/plain').send('error');
    });
  });
}
