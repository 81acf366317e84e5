/**
 * The cadence, maintenance and release feeds as a calendar client syncs them, with the clock
 * injected: an unchanged feed is the same bytes (ETag, 304) even when the record behind it was
 * rewritten for reasons a calendar does not show; a moved occurrence, an extended or moved
 * maintenance window and a rescheduled release keep their UID and come with a higher SEQUENCE
 * and the edit's LAST-MODIFIED. Every answer is parsed by ical.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.js';
import { cadenceSchema } from '../../../src/domain/cadence/model.js';
import { noticeSchema, type Notice } from '../../../src/domain/notice/notice.js';
import { mountCadenceIcal } from '../../../src/http/feeds/cadence.js';
import { mountMaintenanceIcal } from '../../../src/http/feeds/notice.js';
import { mountReleaseIcal } from '../../../src/http/feeds/release.js';
import { silentLogger } from '../../../src/log.js';
import { createReleaseCoordinator, type Actor, type ReleaseCoordinator } from '../../../src/services/release/coordinator.js';
import { createCadenceStore, type CadenceStore } from '../../../src/store/cadence/store.js';
import { createFeedEventLedger } from '../../../src/store/feed-events.js';
import { createIcalTokens } from '../../../src/store/notice/feed-tokens.js';
import { createNoticeStore, type NoticeStore } from '../../../src/store/notice/store.js';
import { feedToken } from '../../../src/store/release/feed-tokens.js';
import { createReleaseStore } from '../../../src/store/release/store.js';
import { serveFeeds, type FeedServer } from '../../support/feed-server.js';
import { parseFeed, type ParsedEvent } from '../../support/ical-feed.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

const MIN = 60_000;
const NOW = new Date('2030-01-07T12:00:00Z');
const TOKEN = 'feed-sync-cadence-token-0123';
const CONFIG = `
timezone: UTC
people:
  - { id: rex, name: Rex }
  - { id: olga, name: Olga }
environments:
  - { id: prod, name: Production, classification: UNCLASSIFIED }
roles: { rele: [rex] }
releases:
  apps: [{ id: pay, name: Payments, owners: [olga] }]
cadence:
  icalToken: ${TOKEN}
`;

let env: RedisEnv;
let server: FeedServer;
let now = NOW;
let cadences: CadenceStore;
let notices: NoticeStore;
let coordinator: ReleaseCoordinator;
const paths = { cadence: `/ical/cadence.ics?token=${TOKEN}`, maintenance: '', releases: '' };

beforeAll(async () => {
  env = await redisEnv();
  const parsed = parseConfig(CONFIG);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const config: () => Config = () => parsed.config;
  const events = createFeedEventLedger(env.redis);
  const clock = () => now;
  cadences = createCadenceStore(env.redis);
  notices = createNoticeStore(env.redis);
  const releaseStore = createReleaseStore(env.redis);
  const noWindows = { maintenanceWindows: async () => [], blockingEvents: async () => [] };
  coordinator = createReleaseCoordinator({ store: releaseStore, config, calendar: () => noWindows });
  const tokens = createIcalTokens(env.redis, config);
  server = await serveFeeds((app) => {
    mountCadenceIcal(app, { config, cadence: { store: cadences, calendars: () => ({}) }, events, log: silentLogger, clock });
    mountMaintenanceIcal(app, { config, tokens, windows: (e, from, to) => notices.maintenanceWindows(e, from, to), events, log: silentLogger, clock });
    mountReleaseIcal(app, { store: releaseStore, coordinator, events, log: silentLogger, clock });
  });
  paths.maintenance = `/ical/maintenance/prod.ics?token=${await tokens.tokenFor('prod')}`;
  paths.releases = `/ical/releases/prod.ics?token=${feedToken(await releaseStore.feedSecret(), 'prod')}`;
});

afterAll(async () => {
  await server?.close();
  await env?.cleanup();
});

async function fetchFeed(path: string, at: Date) {
  now = at;
  const res = await server.get(path);
  expect(res.status).toBe(200);
  expect(res.cacheControl).toBe('private, max-age=300');
  return { ...res, events: parseFeed(res.body) };
}

/** Fetch, fetch again a minute later (same bytes, 304), then `edit` and fetch: the event changed and the others did not. */
async function editBumps(path: string, edit: () => Promise<void>, uidOf: (events: ParsedEvent[]) => string): Promise<{ before: ParsedEvent; after: ParsedEvent; others: number }> {
  const first = await fetchFeed(path, NOW);
  for (const e of first.events) expect(e.dtstamp).toEqual(NOW);
  const later = await fetchFeed(path, new Date(NOW.getTime() + MIN));
  expect(later.body).toBe(first.body);
  expect((await server.get(path, first.etag!)).status).toBe(304);
  const editedAt = new Date(NOW.getTime() + 90 * MIN);
  now = editedAt;
  await edit();
  const after = await fetchFeed(path, editedAt);
  expect(after.etag).not.toBe(first.etag);
  expect((await server.get(path, first.etag!)).status).toBe(200);
  const uid = uidOf(first.events);
  const changed = after.events.find((e) => e.uid === uid)!;
  expect(changed.sequence).toBe(1);
  expect(changed.lastModified).toEqual(editedAt);
  expect(changed.dtstamp).toEqual(editedAt);
  const previous = new Map(first.events.map((e) => [e.uid, e]));
  const others = after.events.filter((e) => e.uid !== uid);
  for (const e of others) expect(e).toEqual(previous.get(e.uid));
  return { before: previous.get(uid)!, after: changed, others: others.length };
}

describe('the cadence feed', () => {
  it('a moved occurrence keeps its UID with a higher SEQUENCE; a rewrite the calendar does not show changes nothing', async () => {
    await cadences.cadences.put('sync', cadenceSchema.parse({
      name: 'sync', kind: 'meeting', title: 'Weekly sync', schedule: 'weekly mon', rule: 'FREQ=WEEKLY;BYDAY=MO', time: { hour: 10, minute: 0 }, zone: 'Europe/Berlin',
      start: '2029-06-01', channels: [{ platform: 'slack', channelId: 'C0OPS' }], reminders: [], source: 'chat', createdBy: 'rex', createdAt: '2029-06-01T00:00:00Z',
    }));
    const uidOf14 = (events: ParsedEvent[]) => events.find((e) => e.start.toISOString() === '2030-01-14T09:00:00.000Z')!.uid;
    const { before, after, others } = await editBumps(paths.cadence, async () => {
      await cadences.cadences.update('sync', (c) => ({ ...c, moves: { '20300114T1000': '2030-01-15T13:00:00.000Z' } }));
    }, uidOf14);
    expect(before.uid).toBe('day2-cadence-sync-20300114T1000');
    expect(after.start.toISOString()).toBe('2030-01-15T13:00:00.000Z');
    expect(others).toBeGreaterThan(50);
    // Planning and agenda rewrite the record; the feed shows neither, so it stays the same bytes.
    const settled = await fetchFeed(paths.cadence, new Date(NOW.getTime() + 100 * MIN));
    await cadences.cadences.update('sync', (c) => ({ ...c, agenda: [{ id: 'a1', text: 'budget', by: 'rex', at: NOW.toISOString() }], lastHandledAt: NOW.toISOString() }));
    expect((await server.get(paths.cadence, settled.etag!)).status).toBe(304);
  });
});

function maintenance(id: string, start: string, end: string): Notice {
  return noticeSchema.parse({
    id, env: 'prod', kind: 'maintenance', classification: 'UNCLASSIFIED', status: 'scheduled', summary: `Upgrade ${id}`, components: ['db'], start, end, zone: 'UTC',
    author: { platform: 'slack', userId: 'U1', name: 'Rex' }, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString(), audience: [], rootRevision: 1, updates: 0, timeline: [],
  });
}

describe('the maintenance feed', () => {
  it('an extended window, then a moved one, keeps its UID; each edit is one more SEQUENCE', async () => {
    await notices.create(maintenance('1', '2030-01-10T20:00:00.000Z', '2030-01-10T22:00:00.000Z'));
    await notices.create(maintenance('2', '2030-02-10T20:00:00.000Z', '2030-02-10T22:00:00.000Z'));
    const uid = 'day2-notice-1@prod';
    const { after } = await editBumps(paths.maintenance, async () => {
      await notices.update('1', (n) => ({ ...n, end: '2030-01-10T23:00:00.000Z' }));
    }, () => uid);
    expect(after.end.toISOString()).toBe('2030-01-10T23:00:00.000Z');
    const movedAt = new Date(NOW.getTime() + 3 * 60 * MIN);
    await notices.update('1', (n) => ({ ...n, start: '2030-01-11T20:00:00.000Z', end: '2030-01-11T23:00:00.000Z' }));
    const moved = (await fetchFeed(paths.maintenance, movedAt)).events.find((e) => e.uid === uid)!;
    expect(moved).toMatchObject({ sequence: 2, lastModified: movedAt, start: new Date('2030-01-11T20:00:00.000Z') });
  });
});

describe('the release feed', () => {
  it('a rescheduled release keeps its UID with a higher SEQUENCE', async () => {
    const rex: Actor = { ref: 'person:rex', personId: 'rex', roles: new Set(['rele']), platform: 'slack', userId: 'U1' };
    const origin = { platform: 'slack' as const, channelId: 'C1' };
    const { release } = await coordinator.propose(rex, { app: 'pay', version: '2.0', env: 'prod', start: new Date('2030-01-15T10:00:00Z') }, NOW, origin);
    await coordinator.propose(rex, { app: 'pay', version: '2.1', env: 'prod', start: new Date('2030-02-15T10:00:00Z') }, NOW, origin);
    const uid = `prod-release-${release.id}@day2`;
    const { after } = await editBumps(paths.releases, async () => {
      await coordinator.reschedule(rex, release.id, new Date('2030-01-16T10:00:00Z'), now);
    }, () => uid);
    expect(after.start.toISOString()).toBe('2030-01-16T10:00:00.000Z');
  });
});
