/**
 * The coordinator against real Redis: conflicts from every source of the platform calendar (an
 * in-test PlatformCalendar for maintenance windows and blocking events, the real notices store
 * through the adapter, recurring freezes from config, own freezes and other releases), free-slot
 * suggestions, reschedule/cancel history, concurrent ticks, and countdown timers that move with
 * the release.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.js';
import type { Services } from '../../../src/dispatch/services.js';
import type { CalendarEntry, PlatformCalendar } from '../../../src/domain/release/calendar-port.js';
import { findConflicts } from '../../../src/domain/release/conflicts.js';
import { withinReleaseHours } from '../../../src/domain/release/hours.js';
import { createDeliveryService, type DeliveryService } from '../../../src/delivery/service.js';
import { calendarFromServices, type CalendarSources } from '../../../src/services/release/calendar-adapters.js';
import { createReleaseCountdown } from '../../../src/services/release/countdown.js';
import { createScheduler, type Scheduler } from '../../../src/delivery/scheduler.js';
import { silentLogger } from '../../../src/log.js';
import { createRenderer } from '../../../src/render/renderer.js';
import { createNoticeStore } from '../../../src/store/notice/store.js';
import { createReleaseCoordinator, type Actor, type ReleaseCoordinator } from '../../../src/services/release/coordinator.js';
import { createReleaseStore, type ReleaseStore } from '../../../src/store/release/store.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

// Compile-time check that the notices and cadence services fit the adapter's sources.
export const servicesFit = (s: Services): CalendarSources => ({ maintenanceWindows: s.maintenanceWindows, blockingEvents: s.blockingEvents });

const cfgText = `
timezone: UTC
people:
  - { id: rex, name: Rex }
  - { id: olga, name: Olga }
  - { id: pat, name: Pat }
environments:
  - { id: prod, name: Production, timezone: America/New_York, pres: [pat] }
roles: { rele: [rex] }
releases:
  apps: [{ id: pay, name: Payments, owners: [olga] }]
  hours: { days: [mon, tue, wed, thu], from: "09:00", to: "17:00" }
  spacing: 24h
  defaultDuration: 2h
  recurringFreezes:
    - { id: quarter-end, reason: Quarter close, every: last-week-of-quarter, owner: finance }
`;
const parsed = parseConfig(cfgText);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const config: Config = parsed.config;

const H = 3_600_000;
const at = (s: string) => new Date(s);
const now = at('2026-11-30T12:00:00Z'); // Monday
const rex: Actor = { ref: 'person:rex', personId: 'rex', roles: new Set(['rele']), platform: 'slack', userId: 'U1' };
const olga: Actor = { ref: 'person:olga', personId: 'olga', roles: new Set(), platform: 'slack', userId: 'U2' };
const pat: Actor = { ref: 'person:pat', personId: 'pat', roles: new Set(['pre']), platform: 'slack', userId: 'U3' };
const origin = { platform: 'slack' as const, channelId: 'C1' };

/** Our own implementation of the port: a maintenance window and a blocking exercise on prod. */
const upgrade: CalendarEntry = { id: 'N7', title: 'Kubernetes 1.31 upgrade', owner: 'pat', start: at('2026-12-01T14:00:00Z'), end: at('2026-12-01T18:00:00Z') };
const exercise: CalendarEntry = { id: 'chaos.2026-12-02', title: 'Resiliency exercise', owner: 'cadence "chaos"', start: at('2026-12-02T14:00:00Z'), end: at('2026-12-02T22:00:00Z') };
const testCalendar: PlatformCalendar = {
  maintenanceWindows: async (env, from, to) => [upgrade].filter((e) => env === 'prod' && e.start < to && e.end > from),
  blockingEvents: async (env, from, to) => [exercise].filter((e) => env === 'prod' && e.start < to && e.end > from),
};

let env: RedisEnv;
let store: ReleaseStore;
let coord: ReleaseCoordinator;
let scheduler: Scheduler;
let deliveries: DeliveryService;
let calendar: PlatformCalendar = testCalendar;

beforeAll(async () => {
  env = await redisEnv();
  store = createReleaseStore(env.redis);
  scheduler = createScheduler({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  deliveries = createDeliveryService({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  const renderer = await createRenderer();
  let countdown: ReturnType<typeof createReleaseCountdown> | undefined;
  coord = createReleaseCoordinator({ store, config: () => config, calendar: () => calendar, changed: (r, k, n) => countdown!.changed(r, k, n) });
  countdown = createReleaseCountdown({ config: () => config, store, coordinator: coord, scheduler, deliveries, renderer, platforms: () => new Set(), log: silentLogger });
});

afterAll(async () => {
  await scheduler.close();
  await deliveries.close();
  await env.cleanup();
});

describe('conflicts from every source', () => {
  it('a maintenance window from the port, with what and who', async () => {
    // 10:00–12:00 New York on Tuesday 1 December = 15:00–17:00 UTC, inside the upgrade.
    const { release, check } = await coord.propose(rex, { app: 'pay', version: '1.0', env: 'prod', start: at('2026-12-01T15:00:00Z') }, now, origin);
    expect(release.id).toBe('R1');
    expect(check.conflicts.map((c) => [c.kind, c.title, c.owner])).toEqual([['maintenance', 'Kubernetes 1.31 upgrade', 'pat']]);
    expect(check.inHours).toBe(true);
    // Three suggestions, each free and inside Mon–Thu 09:00–17:00 New York.
    expect(check.suggestions).toHaveLength(3);
    const all = await coord.blockers('prod', now, at('2027-03-01T00:00:00Z'));
    for (const s of check.suggestions) {
      expect(withinReleaseHours(s, { weekdays: [1, 2, 3, 4], from: { hour: 9, minute: 0 }, to: { hour: 17, minute: 0 } }, 'America/New_York')).toBe(true);
      expect(findConflicts(s, all, { spacingMs: 24 * H, self: 'R1' })).toEqual([]);
    }
  });

  it('a blocking cadence event and the spacing from R1', async () => {
    const { check } = await coord.propose(rex, { app: 'pay', version: '1.1', env: 'prod', start: at('2026-12-02T15:00:00Z') }, now, origin);
    expect(check.conflicts.map((c) => c.kind).sort()).toEqual(['cadence', 'release']);
    expect(check.conflicts.find((c) => c.kind === 'cadence')?.owner).toBe('cadence "chaos"');
    await coord.cancel(rex, 'R2', 'test done', now);
  });

  it('a recurring freeze from config (last week of the quarter, in the environment zone)', async () => {
    const { check } = await coord.propose(rex, { app: 'pay', version: '1.2', env: 'prod', start: at('2026-12-29T15:00:00Z') }, now, origin);
    expect(check.conflicts.map((c) => [c.kind, c.id, c.owner])).toEqual([['freeze', 'quarter-end@2026-12-25', 'finance']]);
    await coord.cancel(rex, 'R3', 'test done', now);
  });

  it('an own freeze, and outside release hours, both reported; unfreeze clears the freeze', async () => {
    const { freeze } = await coord.freeze(pat, 'prod', at('2026-12-08T00:00:00Z'), at('2026-12-09T00:00:00Z'), 'Network change', now);
    // 19:00 New York is after the 17:00 close.
    const { check } = await coord.propose(rex, { app: 'pay', version: '1.3', env: 'prod', start: at('2026-12-08T00:00:00Z') }, now, origin);
    expect(check.conflicts.map((c) => [c.kind, c.id, c.owner])).toEqual([['freeze', freeze.id, 'Pat']]);
    expect(check.inHours).toBe(false);
    await coord.unfreeze(pat, freeze.id, now);
    expect((await coord.blockers('prod', now, at('2026-12-31T00:00:00Z'))).some((b) => b.id === freeze.id)).toBe(false);
    await coord.cancel(rex, 'R4', 'test done', now);
  });

  it('refuses bad proposals without storing anything', async () => {
    const before = (await store.releases.list()).length;
    await expect(coord.propose(rex, { app: 'pay', version: '2', env: 'nowhere', start: at('2026-12-10T15:00:00Z') }, now, origin)).rejects.toThrow(/Unknown environment/);
    await expect(coord.propose(rex, { app: 'zzz', version: '2', env: 'prod', start: at('2026-12-10T15:00:00Z') }, now, origin)).rejects.toThrow(/Unknown app/);
    await expect(coord.propose(rex, { app: 'pay', version: '2', env: 'prod', start: at('2026-11-01T15:00:00Z') }, now, origin)).rejects.toThrow(/past/);
    await expect(coord.propose(pat, { app: 'pay', version: '2', env: 'prod', start: at('2026-12-10T15:00:00Z') }, now, origin)).rejects.toThrow(/Only a RelE/);
    await expect(coord.freeze(olga, 'prod', at('2026-12-10T00:00:00Z'), at('2026-12-11T00:00:00Z'), 'x', now)).rejects.toThrow(/may freeze/);
    // R1 (pay 1.0 into prod) is still open: the same version again points at it instead.
    const twice = coord.propose(rex, { app: 'pay', version: '1.0', env: 'prod', start: at('2026-12-10T15:00:00Z') }, now, origin);
    await expect(twice).rejects.toThrow(/pay 1\.0 is already proposed for prod as R1 \(proposed, [^)]*\): see \/release show R1/);
    expect((await store.releases.list()).length).toBe(before);
  });
});

describe('reschedule, readiness and timers', () => {
  const pointer = (kind: string, id: string) => env.redis.get(`timer:${kind}:${id}`);

  it('plans the countdown at 7 d, 1 d and 1 h before, moves it on reschedule and drops it on cancel', async () => {
    const { release } = await coord.propose(rex, { app: 'pay', version: '3.0', env: 'prod', start: at('2026-12-14T15:00:00Z') }, now, origin);
    expect(await pointer('release-reminder', `${release.id}.7d`)).toContain(String(Date.parse('2026-12-07T15:00:00Z')));
    expect(await pointer('release-reminder', `${release.id}.1h`)).toContain(String(Date.parse('2026-12-14T14:00:00Z')));
    expect(await pointer('release-day', release.id)).toContain(String(Date.parse('2026-12-14T15:00:00Z')));

    await coord.sign(rex, release.id, undefined, now);
    const moved = await coord.reschedule(rex, release.id, at('2026-12-15T15:00:00Z'), now);
    expect(moved.release.signoffs).toEqual({});
    expect(moved.release.history.map((h) => h.action)).toEqual(['proposed', 'rescheduled']);
    expect(await pointer('release-reminder', `${release.id}.1d`)).toContain(String(Date.parse('2026-12-14T15:00:00Z')));

    await coord.cancel(rex, release.id, 'descoped', now);
    expect(await pointer('release-reminder', `${release.id}.1d`)).toBeNull();
    expect(await pointer('release-day', release.id)).toBeNull();
    await expect(coord.reschedule(rex, release.id, at('2026-12-16T15:00:00Z'), now)).rejects.toThrow(/cancelled/);
  });

  it('concurrent ticks all land (compare-and-set), then sign-offs confirm it', async () => {
    const { release } = await coord.propose(rex, { app: 'pay', version: '4.0', env: 'prod', start: at('2026-12-21T15:00:00Z') }, now, origin);
    await Promise.all(config.releases.checklist.map((i) => coord.tick(rex, release.id, i.id, now)));
    const ticked = (await store.releases.get(release.id))!.value;
    expect(Object.keys(ticked.checks)).toHaveLength(config.releases.checklist.length);
    await coord.sign(rex, release.id, undefined, now);
    await coord.sign(olga, release.id, undefined, now);
    const done = await coord.sign(pat, release.id, undefined, now);
    expect(done.release.status).toBe('confirmed');
    // A freeze over it takes the confirmation back.
    await coord.freeze(rex, 'prod', at('2026-12-21T00:00:00Z'), at('2026-12-22T00:00:00Z'), 'Emergency', now);
    expect((await store.releases.get(release.id))!.value.status).toBe('proposed');
  });
});

describe('adapter from the notices feature', () => {
  it('a real maintenance notice conflicts through calendarFromServices', async () => {
    const notices = createNoticeStore(env.redis);
    const id = await notices.nextId();
    await notices.create({
      id,
      env: 'prod',
      kind: 'maintenance',
      classification: 'UNCLASSIFIED',
      status: 'scheduled',
      summary: 'Database failover test',
      components: ['db'],
      start: '2027-01-05T14:00:00.000Z',
      end: '2027-01-05T20:00:00.000Z',
      zone: 'UTC',
      author: { platform: 'slack', userId: 'U3', personId: 'pat', name: 'Pat' },
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      audience: [],
      rootRevision: 1,
      updates: 0,
      reminders: [],
      timeline: [],
      reports: 0,
    });
    calendar = calendarFromServices(() => ({ maintenanceWindows: notices.maintenanceWindows }));
    try {
      const { check } = await coord.propose(rex, { app: 'pay', version: '5.0', env: 'prod', start: at('2027-01-05T15:00:00Z') }, now, origin);
      expect(check.conflicts.map((c) => [c.kind, c.title, c.owner])).toEqual([['maintenance', 'Database failover test', `platform team (notice ${id})`]]);
    } finally {
      calendar = testCalendar;
    }
  });

  it('blocking events from the cadence shape become cadence conflicts', async () => {
    const cal = calendarFromServices(() => ({
      blockingEvents: async () => [{ id: 'dr.2027-01-07', cadence: 'dr', title: 'DR exercise', start: at('2027-01-07T14:00:00Z'), end: at('2027-01-07T16:00:00Z') }],
    }));
    expect(await cal.blockingEvents('prod', now, at('2027-02-01T00:00:00Z'))).toEqual([{ id: 'dr.2027-01-07', title: 'DR exercise', owner: 'cadence "dr"', start: at('2027-01-07T14:00:00Z'), end: at('2027-01-07T16:00:00Z') }]);
    expect(await cal.maintenanceWindows('prod', now, at('2027-02-01T00:00:00Z'))).toEqual([]);
  });
});

describe('release-day deploy notice through the real notices service', () => {
  it('creates one deploy notice per key, however often the timer runs', async () => {
    const { createNoticeService } = await import('../../../src/services/notice/service.js');
    const { deployNoticesFrom } = await import('../../../src/services/release/calendar-adapters.js');
    const noticeStore = createNoticeStore(env.redis);
    const service = createNoticeService({ store: noticeStore, deliveries, scheduler, renderer: await createRenderer(), config: () => config, log: silentLogger });
    const port = deployNoticesFrom(service, env.redis);
    const input = { key: 'release-R9-day-1', env: 'prod', title: 'Payments 9.0 release', body: 'Release R9: Payments 9.0 to Production', start: at('2027-02-02T15:00:00Z'), end: at('2027-02-02T17:00:00Z'), owner: 'person:rex' };
    await Promise.all([port.announceDeploy(input), port.announceDeploy(input)]);
    await port.announceDeploy(input);
    const deploys = (await noticeStore.open()).filter((n) => n.kind === 'deploy' && n.summary === 'Payments 9.0 release');
    expect(deploys).toHaveLength(1);
    expect(deploys[0]!.env).toBe('prod');
  });
});
