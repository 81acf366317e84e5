/**
 * The on-call feed as a calendar client syncs it, with the clock injected (no sleeping): a turn
 * crossing the window's edge comes whole with its real handoffs; fetched again a minute later the
 * feed is the same bytes (same ETag, 304 to If-None-Match); fetched after the window has moved
 * past a handoff, every event present in both has the same UID, times and SEQUENCE; an override
 * bumps the SEQUENCE of the turn it cuts and sets its LAST-MODIFIED; bad dates are a 400 with the
 * reason. Every answer is parsed by ical.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.js';
import { mountOncallIcal } from '../../../src/http/feeds/oncall.js';
import { silentLogger } from '../../../src/log.js';
import { createOncallService, type OncallService } from '../../../src/services/oncall/service.js';
import { createFeedEventLedger } from '../../../src/store/feed-events.js';
import { createOncallIcalTokens } from '../../../src/store/oncall/feed-tokens.js';
import { createRotationStore } from '../../../src/store/oncall/rotation-store.js';
import { serveFeeds, type FeedServer } from '../../support/feed-server.js';
import { parseFeed, type ParsedEvent } from '../../support/ical-feed.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

const MIN = 60_000;
// Weekly turns handed over on Tuesdays at 09:00 UTC. At noon on Monday 7 January 2030 the
// default window is the UTC days from 8 December 2029 to 7 April 2030 (exclusive).
const NOW = new Date('2030-01-07T12:00:00Z');
const CONFIG = `
timezone: UTC
people:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
  - { id: carol, name: Carol }
teams:
  - { id: payments, name: Payments, members: [alice, bob, carol], managers: [alice] }
rotations:
  - { id: pay, team: payments, anchor: "2029-10-02 09:00", turn: 1w, members: [alice, bob, carol] }
`;

let env: RedisEnv;
let server: FeedServer;
let oncall: OncallService;
let now = NOW;
let path: string;

beforeAll(async () => {
  env = await redisEnv();
  const parsed = parseConfig(CONFIG);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const config: () => Config = () => parsed.config;
  oncall = createOncallService({ store: createRotationStore(env.redis), config });
  const tokens = createOncallIcalTokens(env.redis);
  server = await serveFeeds((app) => mountOncallIcal(app, { config, tokens, oncall, events: createFeedEventLedger(env.redis), log: silentLogger, clock: () => now }));
  path = `/ical/oncall/payments.ics?token=${await tokens.tokenFor('payments')}`;
});

afterAll(async () => {
  await server?.close();
  await env?.cleanup();
});

async function fetchFeed(at: Date, query = '') {
  now = at;
  const res = await server.get(path + query);
  expect(res.status).toBe(200);
  expect(res.cacheControl).toBe('private, max-age=300');
  return { ...res, events: parseFeed(res.body) };
}

const byUid = (events: ParsedEvent[]) => new Map(events.map((e) => [e.uid, e]));

describe('the on-call feed syncs cleanly', () => {
  let first: Awaited<ReturnType<typeof fetchFeed>>;

  it('shows turns crossing the window edges whole, with their real handoffs', async () => {
    first = await fetchFeed(NOW);
    const events = first.events;
    // The turn of Tuesday 4 December 09:00 crosses the window's start (8 December).
    expect(events[0]!.start.toISOString()).toBe('2029-12-04T09:00:00.000Z');
    expect(events[0]!.end.toISOString()).toBe('2029-12-11T09:00:00.000Z');
    // The turn of Tuesday 2 April 09:00 crosses its end (7 April).
    expect(events.at(-1)!.start.toISOString()).toBe('2030-04-02T09:00:00.000Z');
    expect(events.at(-1)!.end.toISOString()).toBe('2030-04-09T09:00:00.000Z');
    expect(events).toHaveLength(18);
    for (const e of events) {
      expect(e.sequence).toBe(0);
      // DTSTAMP and LAST-MODIFIED are when this content was first served, not the time of the request.
      expect(e.dtstamp.getTime()).toBe(Math.floor(NOW.getTime() / 1000) * 1000);
      expect(e.lastModified).toEqual(e.dtstamp);
    }
  });

  it('a minute later: the same bytes, the same ETag, and a 304 to a client that has them', async () => {
    const later = await fetchFeed(new Date(NOW.getTime() + MIN));
    expect(later.body).toBe(first.body);
    expect(later.etag).toBe(first.etag);
    now = new Date(NOW.getTime() + 2 * MIN);
    const revalidated = await server.get(path, first.etag!);
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBe('');
    expect(revalidated.etag).toBe(first.etag);
  });

  it('after the window moved past a handoff: every event in both fetches has the same UID, times and stamps', async () => {
    // Saturday 12 January: the window starts on 13 December, inside the turn of 11 December.
    const moved = await fetchFeed(new Date('2030-01-12T12:00:00Z'));
    expect(moved.events[0]!.start.toISOString()).toBe('2029-12-11T09:00:00.000Z');
    const before = byUid(first.events);
    const kept = moved.events.filter((e) => before.has(e.uid));
    // Only the turn of 4 December left; one new turn (9 April) came in at the far end.
    expect(kept).toHaveLength(first.events.length - 1);
    for (const e of kept) expect(e).toEqual(before.get(e.uid));
    // A turn is found by its UID alone: no two fetches name one turn differently.
    const uidOfStart = new Map(first.events.map((e) => [e.start.getTime(), e.uid]));
    for (const e of moved.events) if (uidOfStart.has(e.start.getTime())) expect(e.uid).toBe(uidOfStart.get(e.start.getTime()));
  });

  it('an explicit window gives the same UIDs as the default one', async () => {
    const explicit = await fetchFeed(NOW, '&from=2030-01-01&to=2030-01-20');
    const before = byUid(first.events);
    expect(explicit.events.map((e) => e.start.toISOString())).toEqual(['2029-12-25T09:00:00.000Z', '2030-01-01T09:00:00.000Z', '2030-01-08T09:00:00.000Z', '2030-01-15T09:00:00.000Z']);
    for (const e of explicit.events) expect(e).toEqual(before.get(e.uid));
  });

  it('an override bumps the SEQUENCE of the turn it cuts and sets its LAST-MODIFIED; the rest is untouched', async () => {
    const edited = new Date('2030-01-07T15:30:00Z');
    // Bob covers the second half of the turn of 8 January.
    await oncall.addOverride('pay', { slot: 'primary', person: 'bob', from: new Date('2030-01-11T09:00:00Z'), to: new Date('2030-01-15T09:00:00Z') }, edited);
    const after = await fetchFeed(edited);
    expect(after.etag).not.toBe(first.etag);
    const before = byUid(first.events);
    const cut = after.events.find((e) => e.start.toISOString() === '2030-01-08T09:00:00.000Z')!;
    expect(cut.uid).toBe(first.events.find((e) => e.start.getTime() === cut.start.getTime())!.uid);
    expect(cut.end.toISOString()).toBe('2030-01-11T09:00:00.000Z');
    expect(cut.sequence).toBe(1);
    expect(cut.lastModified).toEqual(edited);
    expect(cut.dtstamp).toEqual(edited);
    const cover = after.events.find((e) => e.start.toISOString() === '2030-01-11T09:00:00.000Z')!;
    expect(cover.summary).toBe('Payments primary: Bob');
    expect(cover.sequence).toBe(0);
    for (const e of after.events) if (e !== cut && e !== cover) expect(e).toEqual(before.get(e.uid));
    // Fetched again: nothing changed since, so the same bytes and the same stamps.
    const again = await fetchFeed(new Date(edited.getTime() + 5 * MIN));
    expect(again.body).toBe(after.body);
    expect((await server.get(path, after.etag!)).status).toBe(304);
  });
});

describe('strict date parameters', () => {
  it.each([
    ['&from=2026-02-30', 'from: 2026-02-30 is not a date: February 2026 has 28 days'],
    ['&from=2026-13-01', 'from: 2026-13-01 is not a date: there is no month 13'],
    ['&to=2026-04-31', 'to: 2026-04-31 is not a date: April 2026 has 30 days'],
    ['&from=2026-02-01T25:00:00Z', 'from: 2026-02-01T25:00:00Z is not a time of day'],
    ['&from=2026-02-01T09:00', 'from: "2026-02-01T09:00" is not a date (2026-12-01) or a date-time with its offset'],
    ['&from=yesterday', 'from: "yesterday" is not a date'],
    ['&from=2026-02-01&from=2026-02-02', 'from: give from once, as one value'],
    ['&from=2026-02-03&to=2026-02-01', 'to: must be after from'],
    ['&from=2026-01-01&to=2027-03-01', 'to: must be at most 400 days after from'],
  ])('%s is a 400 that says why', async (query, reason) => {
    now = NOW;
    const res = await server.get(path + query);
    expect(res.status).toBe(400);
    expect(res.body).toContain(reason);
    expect(res.body).toMatch(/^Usage: \/ical\/oncall\/<team>\.ics\?token=/m);
  });

  it('a real leap day and a date-time with an offset are taken', async () => {
    now = NOW;
    expect((await server.get(`${path}&from=2028-02-29`)).status).toBe(200);
    // 10:00+02:00 is 08:00Z, an hour before the handoff of 1 January: both turns touch the window.
    const res = await server.get(`${path}&from=2030-01-01T10:00:00%2B02:00&to=2030-01-02`);
    expect(parseFeed(res.body).map((e) => e.start.toISOString())).toEqual(['2029-12-25T09:00:00.000Z', '2030-01-01T09:00:00.000Z']);
  });
});
