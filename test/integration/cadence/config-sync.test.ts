/** Config-declared cadences follow the config in force: added, changed (keeping runtime state), removed with their timers (state kept) and restored. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.js';
import { createCadenceService, type CadenceService } from '../../../src/services/cadence/service.js';
import { syncDeclaredCadences } from '../../../src/services/cadence/wiring.js';
import { createDeliveryService } from '../../../src/delivery/service.js';
import { createScheduler, type Scheduler } from '../../../src/delivery/scheduler.js';
import { silentLogger } from '../../../src/log.js';
import { createRenderer } from '../../../src/render/renderer.js';
import { createCadenceStore } from '../../../src/store/cadence/store.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

function config(cadences: string): Config {
  const r = parseConfig(`
timezone: Europe/Berlin
cadence:
  holidays: { de: [{ date: "2026-12-25", name: Christmas }] }
  cadences:
${cadences}
`);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

let env: RedisEnv;
let scheduler: Scheduler;
let svc: CadenceService;
let closeDeliveries: () => Promise<void>;

beforeEach(async () => {
  env = await redisEnv();
  scheduler = createScheduler({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  const deliveries = createDeliveryService({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  closeDeliveries = () => deliveries.close();
  svc = createCadenceService({ store: createCadenceStore(env.redis), scheduler, deliveries, renderer: await createRenderer(), settings: () => ({ calendars: {}, graceMs: 3600_000 }), log: silentLogger });
});

afterEach(async () => {
  await scheduler.close();
  await closeDeliveries();
  await env.cleanup();
});

describe('syncDeclaredCadences', () => {
  it('adds, updates keeping skips and agenda, and removes config cadences with their timers', async () => {
    const now = new Date();
    await syncDeclaredCadences(svc, config(`
    - { name: sync, schedule: weekly mon, time: "10:00", channels: { slack: [C0OPS] }, holidays: { calendar: de, policy: shift } }
    - { name: drill, schedule: quarterly 2nd wed, time: "14:00", kind: exercise, channels: { slack: [C0OPS] } }
`), now);
    const sync = (await svc.store.cadences.get('sync'))!.value;
    expect(sync).toMatchObject({ source: 'config', zone: 'Europe/Berlin', rule: 'FREQ=WEEKLY;BYDAY=MO', reminders: ['1d', '1h'], holidays: { calendar: 'de', policy: 'shift' } });
    expect(sync.planned).toBeDefined();
    expect(await env.redis.exists(`timer:cadence-fire:sync.${sync.planned!.occurrence}`)).toBe(1);
    const drillBefore = (await svc.store.cadences.get('drill'))!.value;
    expect(drillBefore.kind).toBe('exercise');

    // Runtime state made in chat survives a config change.
    await svc.change('sync', (c) => ({ ...c, skips: ['20990101T1000'], agenda: [{ id: 'a', text: 'x', by: 'alice', at: now.toISOString() }] }));
    await syncDeclaredCadences(svc, config(`
    - { name: sync, schedule: weekly tue, time: "11:30", zone: UTC, channels: { slack: [C0OPS] } }
`), now);
    const changed = (await svc.store.cadences.get('sync'))!.value;
    // The skipped day stays skipped at the new time of day.
    expect(changed).toMatchObject({ rule: 'FREQ=WEEKLY;BYDAY=TU', time: { hour: 11, minute: 30 }, zone: 'UTC', skips: ['20990101T1130'], agenda: [{ text: 'x' }] });
    expect(changed.holidays).toBeUndefined();
    // Re-planned for the new schedule: the old timer is gone, the new one set.
    expect(await env.redis.exists(`timer:cadence-fire:sync.${sync.planned!.occurrence}`)).toBe(0);
    expect(await env.redis.exists(`timer:cadence-fire:sync.${changed.planned!.occurrence}`)).toBe(1);
    expect(changed.planned!.occurrence).toMatch(/T1130$/);
    // Dropped from the config: deleted, timers cancelled.
    expect(await svc.store.cadences.get('drill')).toBeUndefined();
    expect(await env.redis.exists(`timer:cadence-fire:drill.${drillBefore.planned!.occurrence}`)).toBe(0);
  });

  it('a cadence removed from the config keeps its agenda and is restored when put back', async () => {
    const now = new Date();
    const declared = config(`
    - { name: sync, schedule: weekly mon, time: "10:00", channels: { slack: [C0OPS] } }
`);
    await syncDeclaredCadences(svc, declared, now);
    await svc.change('sync', (c) => ({ ...c, skips: ['20990105T1000'], agenda: [{ id: 'a', text: 'keep me', by: 'alice', at: now.toISOString() }] }));
    const before = (await svc.store.cadences.get('sync'))!.value;
    const timer = `timer:cadence-fire:sync.${before.planned!.occurrence}`;
    expect(await env.redis.exists(timer)).toBe(1);

    // Removed: it stops firing (no live record, no timer, nothing for planAll to plan) but its state is kept.
    await syncDeclaredCadences(svc, config('    []'), now);
    expect(await svc.store.cadences.get('sync')).toBeUndefined();
    expect(await env.redis.exists(timer)).toBe(0);
    await svc.planAll();
    expect(await env.redis.exists(timer)).toBe(0);
    const retired = (await svc.store.retired.get('sync'))!.value;
    expect(retired).toMatchObject({ retiredAt: now.toISOString(), cadence: { agenda: [{ text: 'keep me' }], skips: ['20990105T1000'] } });
    // Kept for the documented grace period, then Redis drops it.
    const ttlDays = (await env.redis.pttl('rec:{cadence-retired}:sync')) / 86_400_000;
    expect(ttlDays).toBeGreaterThan(29.9);
    expect(ttlDays).toBeLessThanOrEqual(30);

    // Put back: the same agenda, skips and creation date, planned again; the retired copy is gone.
    await syncDeclaredCadences(svc, declared, new Date(now.getTime() + 60_000));
    const restored = (await svc.store.cadences.get('sync'))!.value;
    expect(restored).toMatchObject({ agenda: [{ text: 'keep me' }], skips: ['20990105T1000'], createdAt: before.createdAt, source: 'config' });
    expect(await env.redis.exists(`timer:cadence-fire:sync.${restored.planned!.occurrence}`)).toBe(1);
    expect(await svc.store.retired.get('sync')).toBeUndefined();
  });

  it('leaves a chat-created cadence of the same name alone', async () => {
    await syncDeclaredCadences(svc, config(`
    - { name: sync, schedule: weekly mon, time: "10:00", channels: { slack: [C0OPS] } }
`), new Date());
    await svc.store.cadences.update('sync', (c) => ({ ...c, source: 'chat', createdBy: 'alice' }));
    await syncDeclaredCadences(svc, config(`
    - { name: sync, schedule: daily, time: "09:00", channels: { slack: [C0OPS] } }
`), new Date());
    expect((await svc.store.cadences.get('sync'))!.value).toMatchObject({ source: 'chat', rule: 'FREQ=WEEKLY;BYDAY=MO' });
  });
});
