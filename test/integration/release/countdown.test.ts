/**
 * The countdown on real Redis and BullMQ with two timer workers (two processes): a due reminder
 * and the release-day announcement each run once and queue one message per target; planning
 * again (a restart, a second process) changes nothing; a reminder for a start the release no
 * longer has does nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { emptyCalendar } from '../../../src/domain/release/calendar-port.js';
import { createDeliveryService, type DeliveryService } from '../../../src/delivery/service.js';
import { createReleaseCountdown, REMINDER_KIND, type ReleaseCountdown } from '../../../src/services/release/countdown.js';
import { createScheduler, startTimerWorker, type Scheduler } from '../../../src/delivery/scheduler.js';
import { silentLogger } from '../../../src/log.js';
import { createRenderer } from '../../../src/render/renderer.js';
import { createReleaseCoordinator, type Actor, type ReleaseCoordinator } from '../../../src/services/release/coordinator.js';
import { createReleaseStore } from '../../../src/store/release/store.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';
import { waitFor } from './release-rig.js';

const parsed = parseConfig(`
people:
  - { id: rex, name: Rex, slack: U0REX0001 }
  - { id: olga, name: Olga, slack: U0OLGA001 }
environments:
  - { id: prod, name: Production, channels: { slack: [C0REL0001] } }
roles: { rele: [rex] }
releases:
  apps: [{ id: pay, name: Payments, owners: [olga] }]
  hours: { days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "23:30" }
  reminders: [1d, 1h]
`);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const config = parsed.config;
const rex: Actor = { ref: 'person:rex', personId: 'rex', roles: new Set(['rele']), platform: 'slack', userId: 'U0REX0001' };

let env: RedisEnv;
let scheduler: Scheduler;
let deliveries: DeliveryService;
let coord: ReleaseCoordinator;
let countdown: ReleaseCountdown;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  env = await redisEnv();
  const store = createReleaseStore(env.redis);
  scheduler = createScheduler({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  deliveries = createDeliveryService({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  coord = createReleaseCoordinator({ store, config: () => config, calendar: () => emptyCalendar, changed: (r, k, n) => countdown.changed(r, k, n) });
  countdown = createReleaseCountdown({ config: () => config, store, coordinator: coord, scheduler, deliveries, renderer: await createRenderer(), platforms: () => new Set(['slack']), log: silentLogger });
  countdown.register();
  for (let i = 0; i < 2; i++) {
    const w = await startTimerWorker({ connection: env.connection, redis: env.redis, prefix: env.prefix, scheduler, log: silentLogger, retryBaseMs: 100 });
    closers.push(() => w.close());
  }
});

afterAll(async () => {
  for (const c of closers) await c();
  await scheduler.close();
  await deliveries.close();
  await env.cleanup();
});

describe('countdown', () => {
  it('runs each due reminder once, to the channel and the participants, whoever plans again', async () => {
    // "Now" for the bot is two days ago, so the 1 h reminder and the start are already due for BullMQ.
    const now = new Date(Date.now() - 2 * 86_400_000);
    const start = new Date(now.getTime() + 3 * 3_600_000);
    const { release } = await coord.propose(rex, { app: 'pay', version: '1.0', env: 'prod', start }, now, { platform: 'slack', channelId: 'C1' });
    await countdown.plan(release, now);
    await countdown.plan(release, now);
    const key = `release-${release.id}-rem-1h-${start.getTime()}`;
    const entries = await waitFor(async () => {
      const e = await deliveries.status(key);
      return e.length >= 3 ? e : undefined;
    });
    const dayKey = `release-${release.id}-day-${start.getTime()}`;
    await waitFor(async () => (await deliveries.status(dayKey)).length >= 3 || undefined);
    await new Promise((r) => setTimeout(r, 500));
    const targets = (await deliveries.status(key)).map((e) => JSON.stringify(e.target)).sort();
    expect(targets).toEqual([{ platform: 'slack', channelId: 'C0REL0001' }, { platform: 'slack', userId: 'U0OLGA001' }, { platform: 'slack', userId: 'U0REX0001' }].map((t) => JSON.stringify(t)).sort());
    expect(entries.every((e) => e.revision === 1)).toBe(true);
    expect((await deliveries.status(dayKey)).length).toBe(3);
    // The 1 d reminder was already in the past when planned: never sent.
    expect(await deliveries.status(`release-${release.id}-rem-1d-${start.getTime()}`)).toEqual([]);
  });

  it('a reminder for a start the release no longer has does nothing', async () => {
    const now = new Date();
    const start = new Date(now.getTime() + 30 * 86_400_000);
    const { release } = await coord.propose(rex, { app: 'pay', version: '2.0', env: 'prod', start }, now, { platform: 'slack', channelId: 'C1' });
    const moved = new Date(start.getTime() + 86_400_000);
    await coord.reschedule(rex, release.id, moved, now);
    expect(await env.redis.get(`timer:release-reminder:${release.id}.1h`)).toContain(String(moved.getTime() - 3_600_000));
    // A timer for the old start that fires anyway (it raced with the move) is dropped by the handler.
    await scheduler.at(REMINDER_KIND, `${release.id}.stale`, new Date(), { release: release.id, start: start.toISOString(), offset: '1h' });
    await waitFor(async () => (await env.redis.get(`timer:release-reminder:${release.id}.stale`)) === null || undefined);
    expect(await deliveries.status(`release-${release.id}-rem-1h-${start.getTime()}`)).toEqual([]);
    // The same timer for the current start does send.
    await scheduler.at(REMINDER_KIND, `${release.id}.current`, new Date(), { release: release.id, start: moved.toISOString(), offset: '1h' });
    await waitFor(async () => (await deliveries.status(`release-${release.id}-rem-1h-${moved.getTime()}`)).length === 3 || undefined);
  });
});
