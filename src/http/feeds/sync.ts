/**
 * What every iCalendar feed does the same way so calendar clients can sync it without churn:
 * events carry a UID that names the turn, occurrence, window or release (never the query window
 * or the time of the request), SEQUENCE / LAST-MODIFIED / DTSTAMP from the event ledger
 * (store/feed-events.ts), a deterministic order, and the answer an ETag computed from the bytes,
 * so an unchanged feed is a 304 to a client that sends If-None-Match.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ICalCalendar } from 'ical-generator';
import type { FeedEventLedger } from '../../store/feed-events.js';
import { notModified } from '../conditional.js';

/** Calendar clients poll; five minutes keeps a shared cache from serving a stale feed for long. */
export const FEED_CACHE_CONTROL = 'private, max-age=300';

const DAY = 86_400_000;

/** One event as a feed shows it. */
export interface FeedEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  url?: string;
}

/**
 * A feed's default window: whole UTC days from `pastDays` before today to `futureDays` after it,
 * so every fetch of one day covers the same events (and an unchanged feed the same bytes).
 */
export function dayWindow(now: Date, pastDays: number, futureDays: number): { from: Date; to: Date } {
  const midnight = Math.floor(now.getTime() / DAY) * DAY;
  return { from: new Date(midnight - pastDays * DAY), to: new Date(midnight + (futureDays + 1) * DAY) };
}

/** What a client sees of an event: a change to any of it is a new SEQUENCE. */
function fingerprint(e: FeedEvent): string {
  const shown = [e.start.toISOString(), e.end.toISOString(), e.summary, e.description, e.url ?? null];
  return createHash('sha256').update(JSON.stringify(shown)).digest('base64url');
}

/** Add `events` to `cal` in a stable order, each stamped by the ledger (recording changes at `now`). */
export async function addStampedEvents(cal: ICalCalendar, events: readonly FeedEvent[], ledger: FeedEventLedger, now: Date): Promise<void> {
  const ordered = [...events].sort((a, b) => a.start.getTime() - b.start.getTime() || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  const stamps = await ledger.stamp(ordered.map((e) => ({ uid: e.uid, fingerprint: fingerprint(e) })), now);
  for (const e of ordered) {
    const stamp = stamps.get(e.uid) ?? { sequence: 0, changedAt: now };
    cal.createEvent({
      id: e.uid,
      start: e.start,
      end: e.end,
      summary: e.summary,
      description: e.description,
      ...(e.url ? { url: e.url } : {}),
      sequence: stamp.sequence,
      stamp: stamp.changedAt,
      lastModified: stamp.changedAt,
    });
  }
}

/** Answer with the calendar: CRLF after its last line, ETag, Cache-Control, and 304 when the client has it. */
export function sendCalendar(req: Request, res: Response, cal: ICalCalendar): void {
  const text = cal.toString();
  // RFC 5545: every content line ends in CRLF, the last one too.
  const body = text.endsWith('\r\n') ? text : `${text}\r\n`;
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
  res.set({ 'Cache-Control': FEED_CACHE_CONTROL, ETag: etag });
  if (notModified(req, etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).type('text/calendar; charset=utf-8').send(body);
}
