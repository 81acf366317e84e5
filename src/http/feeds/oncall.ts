/**
 * GET /ical/oncall/<team>.ics?token=…[&from=…&to=…] — a team's resolved on-call turns (overrides,
 * swaps and leave applied) as an iCalendar feed (ical-generator). The token is per team, derived
 * from a random secret Day2 keeps in Redis (`oncall:ical-secret`; delete it to rotate every token).
 * `from`/`to` are ISO dates or date-times; the default is 30 days back to 90 days ahead.
 */
import type { Express } from 'express';
import ical from 'ical-generator';
import type { Config } from '../../config.js';
import type { Segment } from '../../domain/oncall/types.js';
import type { OncallService } from '../../services/oncall/service.js';
import type { Logger } from '../../log.js';
import { sameToken } from '../../store/feed-tokens.js';
import type { OncallIcalTokens } from '../../store/oncall/feed-tokens.js';
import { notFound } from '../not-found.js';

const DAY = 86_400_000;
const MAX_RANGE = 400 * DAY;

function parseInstant(raw: unknown): Date | undefined | 'bad' {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(raw)) return 'bad';
  const d = new Date(raw.length === 10 ? `${raw}T00:00:00Z` : raw);
  return Number.isNaN(d.getTime()) ? 'bad' : d;
}

export function buildOncallCalendar(team: { id: string; name: string }, rotationId: string, segments: readonly Segment[], nameOf: (person: string) => string) {
  const cal = ical({ name: `Day2 on-call: ${team.name}`, prodId: { company: 'day2', product: 'oncall', language: 'EN' } });
  for (const s of segments) {
    const who = s.person === null ? `GAP (${s.gap ?? 'nobody'})` : nameOf(s.person);
    cal.createEvent({
      id: `day2-oncall-${rotationId}-${s.slot}-${s.start.getTime()}@${team.id}`,
      start: s.start,
      end: s.end,
      summary: `${team.name} ${s.slot}: ${who}`,
      description: `${s.source === 'override' ? 'Cover (override)' : s.source === 'swap' ? 'Swapped turn' : s.source === 'gap' ? 'Nobody on duty' : 'Rotation turn'} · layer ${s.layer}`,
    });
  }
  return cal;
}

export function mountOncallIcal(app: Express, deps: { config: () => Config; tokens: OncallIcalTokens; oncall: OncallService; log: Logger; clock: () => Date }): void {
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
      const now = deps.clock();
      const from = parseInstant(req.query.from);
      const to = parseInstant(req.query.to);
      if (from === 'bad' || to === 'bad') {
        res.status(400).type('text/plain').send('from and to must be ISO dates such as 2026-12-01 or 2026-12-01T09:00:00Z');
        return;
      }
      const start = from ?? new Date(now.getTime() - 30 * DAY);
      const end = to ?? new Date((from ?? now).getTime() + 90 * DAY);
      if (end.getTime() <= start.getTime() || end.getTime() - start.getTime() > MAX_RANGE) {
        res.status(400).type('text/plain').send('to must be after from, and the range at most 400 days');
        return;
      }
      const segments = await deps.oncall.segments(entry.id, start, end, now);
      const people = new Map(deps.config().people.map((p) => [p.id, p.name]));
      res.status(200).type('text/calendar; charset=utf-8').send(buildOncallCalendar(team, entry.id, segments, (p) => people.get(p) ?? p).toString());
    })().catch((err: unknown) => {
      deps.log.error({ err }, 'on-call iCal feed failed');
      if (!res.headersSent) res.status(500).type('text/plain').send('error');
    });
  });
}
