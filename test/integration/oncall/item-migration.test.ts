/**
 * Overrides, swaps and absences are stored one item each (issue 13 part 6: one record rewritten
 * on every change grew to 512 KB). Records written in the old single-record layout are moved on
 * start. These tests write old-format records into the real Redis and check the move is exact,
 * idempotent, safe when two bots run it at once or when it stops half-way, and that schedules
 * (read by window from the items) are identical before, during and after.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.js';
import { toRotationDecl } from '../../../src/domain/oncall/config.js';
import { resolveSchedule } from '../../../src/domain/oncall/resolve.js';
import { createOncallService } from '../../../src/services/oncall/service.js';
import { absenceKeys, rotationKeys } from '../../../src/store/oncall/item-scripts.js';
import { legacyRepositories, migrateRotation } from '../../../src/store/oncall/migrate-items.js';
import { changesOf, versionsOf, type AbsenceRecord, type OverrideRecord, type RotationStateRecord, type SwapRecord } from '../../../src/store/oncall/records.js';
import { createRotationStore } from '../../../src/store/oncall/rotation-store.js';
import { redisEnv, REDIS_URL, type RedisEnv } from '../../support/redis-env.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2030-01-07T12:00:00Z');
const CONFIG = `
timezone: UTC
people:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
  - { id: carol, name: Carol }
teams:
  - { id: payments, name: Payments, members: [alice, bob, carol], managers: [alice] }
  - { id: core, name: Core, members: [alice, bob, carol], managers: [alice] }
rotations:
  - { id: pay, team: payments, anchor: "2030-01-01 09:00", turn: 1d, members: [alice, bob, carol] }
  - { id: core, team: core, anchor: "2030-01-01 09:00", turn: 1w, members: [carol, bob, alice] }
`;
const parsed = parseConfig(CONFIG);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const config: Config = parsed.config;
const people = ['alice', 'bob', 'carol'];
const iso = (ms: number) => new Date(ms).toISOString();

/** An old-format rotation record: every override and swap inside it. */
function legacyRotation(id: string, n: number): RotationStateRecord {
  const entry = config.rotations.find((r) => r.id === id)!;
  const overrides: OverrideRecord[] = Array.from({ length: n }, (_, i) => {
    // Spread over ten weeks around NOW, some overlapping, some created later than others.
    const from = NOW.getTime() - 35 * DAY + i * 7 * HOUR;
    return { id: `${id}-o${i}`, slot: 'primary', person: people[i % 3]!, from: iso(from), to: iso(from + (1 + (i % 5)) * HOUR), createdAt: iso(NOW.getTime() - DAY + (i % 7) * 1000), reason: 'override' };
  });
  const turn = id === 'pay' ? DAY : 7 * DAY;
  const t0 = Date.parse('2030-01-01T09:00:00Z');
  const swaps: SwapRecord[] = [
    { id: `${id}-s1`, layer: 'primary', a: iso(t0 + 10 * turn), b: iso(t0 + 11 * turn), requester: 'alice', other: 'bob', createdAt: iso(NOW.getTime() - DAY) },
    { id: `${id}-s2`, layer: 'primary', a: iso(t0 + 1 * turn), b: iso(t0 + 40 * turn), requester: 'bob', other: 'carol', createdAt: iso(NOW.getTime() - DAY) },
  ];
  return { versions: [{ from: new Date(0).toISOString(), decl: toRotationDecl(entry, 'UTC') }], overrides, swaps, memberEdits: [], pendingSwaps: [] };
}

const leave = (person: string, i: number, fromDay: number, days: number): AbsenceRecord => ({ id: `${person}-a${i}`, person, from: iso(NOW.getTime() + fromDay * DAY), to: iso(NOW.getTime() + (fromDay + days) * DAY), kind: 'leave', createdAt: iso(NOW.getTime() - 30 * DAY) });

async function seedLegacy(redis: Redis) {
  const legacy = legacyRepositories(redis);
  await legacy.rotations.put('pay', legacyRotation('pay', 300));
  await legacy.rotations.put('core', legacyRotation('core', 40));
  await legacy.absences.put('bob', { items: [leave('bob', 1, -20, 3), leave('bob', 2, 2, 4)] });
  await legacy.absences.put('carol', { items: [leave('carol', 1, 9, 2)] });
}

/** What a fresh bot answers: segments over ten weeks and who is on duty now, per rotation. */
async function answers(redis: Redis) {
  const svc = createOncallService({ store: createRotationStore(redis), config: () => config });
  const out: Record<string, unknown> = {};
  for (const id of ['pay', 'core']) {
    out[`${id}-segments`] = await svc.segments(id, new Date(NOW.getTime() - 40 * DAY), new Date(NOW.getTime() + 40 * DAY), NOW);
    out[`${id}-duty`] = await svc.duty(id, NOW);
  }
  return out;
}

describe('on-call items: migration from the single-record layout', () => {
  let env: RedisEnv;
  let other: Redis;
  beforeEach(async () => {
    env = await redisEnv();
    other = new Redis(REDIS_URL, { keyPrefix: `${env.name}:` });
  });
  afterEach(async () => {
    await other.quit();
    await env.cleanup();
  });

  it('keeps every override, swap and absence exactly once and the schedule identical when run twice and concurrently', async () => {
    await seedLegacy(env.redis);
    const before = await answers(env.redis);
    // The windowed reads agree with resolving the whole old record (the schedule before the change).
    const legacy = legacyRepositories(env.redis);
    const pay = (await legacy.rotations.get('pay'))!.value;
    const absences = [...(await legacy.absences.get('bob'))!.value.items, ...(await legacy.absences.get('carol'))!.value.items];
    const full = { versions: versionsOf(pay), changes: changesOf(pay, absences) };
    expect(before['pay-segments']).toEqual(resolveSchedule(full, new Date(NOW.getTime() - 40 * DAY), new Date(NOW.getTime() + 40 * DAY)));

    const [a, b] = await Promise.all([createRotationStore(env.redis).migrate(), createRotationStore(other).migrate()]);
    // Each owner moved once, by one of the two bots.
    expect(a.overrides + b.overrides).toBe(340);
    expect(a.swaps + b.swaps).toBe(4);
    expect(a.absences + b.absences).toBe(3);
    expect(await createRotationStore(env.redis).migrate()).toEqual({ rotations: 0, overrides: 0, swaps: 0, people: 0, absences: 0 });

    expect(await env.redis.hlen(rotationKeys('pay').ovHash)).toBe(300);
    expect(await env.redis.zcard(rotationKeys('pay').ovIndex)).toBe(300);
    expect(await env.redis.hlen(rotationKeys('core').swHash)).toBe(2);
    expect(await env.redis.hlen(absenceKeys('bob').hash)).toBe(2);
    expect((await legacy.rotations.get('pay'))!.value).toMatchObject({ overrides: [], swaps: [] });
    expect(await legacy.absences.get('bob')).toBeUndefined();
    const state = await createRotationStore(env.redis).state('pay');
    expect(state.overrides.map((o) => o.id).sort()).toEqual(pay.overrides.map((o) => o.id).sort());
    expect(await answers(env.redis)).toEqual(before);
  });

  it('finishes a migration interrupted after some rotations without duplicating or losing items, and answers the same meanwhile', async () => {
    await seedLegacy(env.redis);
    const before = await answers(env.redis);
    // Stopped after one rotation: reads merge the two layouts.
    expect(await migrateRotation(env.redis, legacyRepositories(env.redis), 'pay')).toEqual({ overrides: 300, swaps: 2 });
    expect(await answers(env.redis)).toEqual(before);
    const rest = await createRotationStore(other).migrate();
    expect(rest).toEqual({ rotations: 1, overrides: 40, swaps: 2, people: 2, absences: 3 });
    expect((await createRotationStore(env.redis).state('pay')).overrides).toHaveLength(300);
    expect(await answers(env.redis)).toEqual(before);
  });

  it('undoes a swap and moves a leave end still in the old layout (the edit moves the item first)', async () => {
    await seedLegacy(env.redis);
    const svc = createOncallService({ store: createRotationStore(env.redis), config: () => config });
    await svc.change('pay', 'swap', (st) => ({ ...st, swaps: st.swaps.filter((s) => s.id !== 'pay-s1') }), NOW);
    expect((await svc.state('pay')).swaps.map((s) => s.id)).toEqual(['pay-s2']);
    await svc.moveAbsenceEnd('bob', 'bob-a2', new Date(NOW.getTime() + 3 * DAY), NOW);
    const bob = await createRotationStore(env.redis).absencesOf(['bob']);
    expect(bob.find((a) => a.id === 'bob-a2')?.to).toBe(iso(NOW.getTime() + 3 * DAY));
    expect(bob).toHaveLength(2);
  });
});

describe('on-call items: one small write per change', () => {
  let env: RedisEnv;
  beforeEach(async () => {
    env = await redisEnv();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('adds an override without rewriting the rotation record or the other overrides', async () => {
    const svc = createOncallService({ store: createRotationStore(env.redis), config: () => config });
    await svc.duty('pay', NOW);
    const recordBefore = await env.redis.hget(rotationKeys('pay').record, 'data');
    for (let i = 0; i < 500; i++) {
      const from = new Date(NOW.getTime() - 400 * DAY + i * DAY);
      await svc.addOverride('pay', { slot: 'primary', person: people[i % 3]!, from, to: new Date(from.getTime() + HOUR) }, NOW);
    }
    // The record is untouched, and each override is one item of a few hundred bytes.
    expect(await env.redis.hget(rotationKeys('pay').record, 'data')).toBe(recordBefore);
    const sizes = Object.values(await env.redis.hgetall(rotationKeys('pay').ovHash)).map((v) => v.length);
    expect(sizes).toHaveLength(500);
    expect(Math.max(...sizes)).toBeLessThan(300);
  });

  it('reads for a window only the overrides overlapping it, and a new override invalidates the cached schedule', async () => {
    const store = createRotationStore(env.redis);
    const svc = createOncallService({ store, config: () => config });
    for (let i = 0; i < 200; i++) {
      const from = new Date(NOW.getTime() - 200 * DAY + i * DAY + HOUR);
      await svc.addOverride('pay', { slot: 'primary', person: 'carol', from, to: new Date(from.getTime() + HOUR) }, NOW);
    }
    const window = { from: NOW.getTime() - 3 * DAY, to: NOW.getTime(), reach: 400 * DAY };
    const src = await store.load('pay', window, people, () => new Set(people));
    // Days -3, -2 and -1 (each 01:00-02:00 after the day's midnight-ish start) and nothing else.
    expect(src.state.overrides).toHaveLength(3);
    expect(src.state.overrides.every((o) => Date.parse(o.to) > window.from && Date.parse(o.from) < window.to)).toBe(true);

    const duty = await svc.duty('pay', NOW);
    expect(duty[0]?.current?.source).toBe('rotation');
    await svc.addOverride('pay', { slot: 'primary', person: 'carol', from: NOW, to: new Date(NOW.getTime() + HOUR) }, NOW);
    expect((await svc.duty('pay', NOW))[0]?.current).toMatchObject({ person: 'carol', source: 'override' });
  });
});
