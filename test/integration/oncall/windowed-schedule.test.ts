/**
 * Schedules are read by window: only the overrides overlapping it and the swaps whose turns may
 * are loaded. Whatever the window, and whichever windows were asked before (the cache keeps one
 * per rotation), the answer must equal resolving everything the rotation has, including swaps
 * pairing a turn in the window with one far outside it and old leave that still shifts the queue.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.js';
import { onDutyAt } from '../../../src/domain/oncall/on-duty.js';
import { resolveSchedule, type ScheduleInput } from '../../../src/domain/oncall/resolve.js';
import { createOncallService, type OncallService } from '../../../src/services/oncall/service.js';
import { changesOf, versionsOf } from '../../../src/store/oncall/records.js';
import { createRotationStore, type RotationStore } from '../../../src/store/oncall/rotation-store.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2030-06-12T12:00:00Z');
const parsed = parseConfig(`
timezone: UTC
people:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
  - { id: carol, name: Carol }
  - { id: dan, name: Dan }
teams:
  - { id: payments, name: Payments, members: [alice, bob, carol, dan], managers: [alice] }
rotations:
  - { id: pay, team: payments, anchor: "2030-01-01 09:00", turn: 1w, members: [alice, bob, carol, dan] }
`);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const config: Config = parsed.config;
const people = ['alice', 'bob', 'carol', 'dan'];

let seed = 11;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const T0 = Date.parse('2030-01-01T09:00:00Z');
const week = (k: number) => new Date(T0 + k * 7 * DAY).toISOString();

async function seedRotation(svc: OncallService, store: RotationStore) {
  await svc.duty('pay', NOW);
  for (let i = 0; i < 150; i++) {
    const from = new Date(T0 + Math.floor(rand() * 300) * DAY + Math.floor(rand() * 24) * HOUR);
    await svc.addOverride('pay', { slot: 'primary', person: people[i % 4]!, from, to: new Date(from.getTime() + (1 + Math.floor(rand() * 60)) * HOUR) }, new Date(NOW.getTime() - (150 - i) * 1000));
  }
  // Old leave shifts the queue for every later turn; one swap pairs week 2 with week 40.
  await svc.addLeave('bob', new Date(T0 + 6 * DAY), new Date(T0 + 9 * DAY), 'leave', NOW);
  await svc.addLeave('carol', new Date(T0 + 100 * DAY), new Date(T0 + 120 * DAY), 'leave', NOW);
  const swaps = [[2, 40], [23, 24], [30, 12]].map(([a, b], i) => ({ id: `s${i}`, layer: 'primary', a: week(a!), b: week(b!), requester: 'alice', other: 'bob', createdAt: NOW.toISOString() }));
  await store.updateState('pay', (s) => ({ ...s, swaps }));
}

async function everything(store: RotationStore): Promise<ScheduleInput> {
  const st = await store.state('pay');
  return { versions: versionsOf(st), changes: changesOf(st, await store.absencesOf(people)) };
}

const WINDOWS: [number, number][] = [[-30, 30], [-200, -150], [150, 200], [-1, 1], [-400, 400], [80, 81], [-160, -2]];

describe('on-call schedules read by window', () => {
  let env: RedisEnv;
  beforeEach(async () => {
    env = await redisEnv();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('answers every window exactly as resolving all overrides, swaps and leave, cached or not', async () => {
    const store = createRotationStore(env.redis);
    const svc = createOncallService({ store, config: () => config });
    await seedRotation(svc, store);
    const full = await everything(store);
    expect(full.changes.overrides).toHaveLength(150);
    let swapped = 0;
    for (const [a, b] of WINDOWS) {
      const from = new Date(NOW.getTime() + a * DAY);
      const to = new Date(NOW.getTime() + b * DAY);
      const expected = resolveSchedule(full, from, to);
      swapped += expected.filter((s) => s.source === 'swap').length;
      // The long-lived service (its cached windows) and a fresh one (nothing cached).
      expect(await svc.segments('pay', from, to, NOW)).toEqual(expected);
      expect(await createOncallService({ store, config: () => config }).segments('pay', from, to, NOW)).toEqual(expected);
      expect(await svc.duty('pay', from)).toEqual(onDutyAt(full, from));
    }
    // The windows did exercise swaps whose other turn lies outside them.
    expect(swapped).toBeGreaterThan(2);
  });
});
