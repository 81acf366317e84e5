/**
 * Schedules are read by window: only the overrides overlapping it and the swaps whose turns may
 * are loaded. Whatever the window, and whichever windows were asked before (the cache keeps one
 * per rotation), the answer must equal resolving everything the rotation has, including swaps
 * pairing a turn in the window with one far outside it and old leave that still shifts the queue.
 * The read's own bounds are pinned to the millisecond below, since the service's margins (a day
 * either side, a reach of at least 400 days) would hide a bound narrowed by a little.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.js';
import { onDutyAt } from '../../../src/domain/oncall/on-duty.js';
import { resolveSchedule, type ScheduleInput } from '../../../src/domain/oncall/resolve.js';
import { createOncallService, type OncallService } from '../../../src/services/oncall/service.js';
import { changesOf, versionsOf } from '../../../src/store/oncall/records.js';
import type { AbsenceRecord, OverrideRecord, SwapRecord } from '../../../src/store/oncall/records.js';
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

/*
 * Exact bounds of RotationStore.load for the window [F, T) with reach R. Intervals are half-open:
 * an override matters if it ends after F and starts before T; a swap if its later turn, which
 * runs at most R from its start, ends after F (starts after F - R) and its earlier turn starts
 * before T; an absence if it starts before T + R (it can charge a turn that began before T).
 * Each row: name, the item's instants relative to F or T (ms), and whether the read returns it.
 */
const F = Date.parse('2030-06-10T00:00:00Z');
const T = F + 7 * DAY;
const R = 10 * DAY;
const at = (ms: number) => new Date(ms).toISOString();
const SWAP_ROWS: [name: string, a: number, b: number, read: boolean][] = [
  ['pairs a turn long ago with one in the window', F - 100 * DAY, F + DAY, true],
  ['later turn starts just before the window and reaches into it', F - 2 * DAY, F - DAY, true],
  ['later turn reaches 1 ms into the window', F - 50 * DAY, F - R + 1, true],
  ['later turn ends exactly at the window start', F - 50 * DAY, F - R, false],
  ['earlier turn starts in the last ms of the window', T + 30 * DAY, T - 1, true],
  ['earlier turn begins exactly at the window end', T, T + 7 * DAY, false],
  ['pairs a turn in the window with one long after it', F + 2 * DAY, T + 300 * DAY, true],
];
const OVERRIDE_ROWS: [name: string, from: number, to: number, read: boolean][] = [
  ['ends exactly at the window start', F - DAY, F, false],
  ['ends 1 ms into the window', F - DAY, F + 1, true],
  ['starts before the window and reaches into it', F - HOUR, F + HOUR, true],
  ['starts in the last ms of the window', T - 1, T + DAY, true],
  ['starts exactly at the window end', T, T + DAY, false],
  ['spans the whole window', F - DAY, T + DAY, true],
];
const ABSENCE_ROWS: [name: string, from: number, read: boolean][] = [
  ['old leave, long before the window', F - 300 * DAY, true],
  ['starts 1 ms before the window end plus reach', T + R - 1, true],
  ['starts exactly at the window end plus reach', T + R, false],
];

describe('on-call window read: exact bounds', () => {
  let env: RedisEnv;
  beforeEach(async () => {
    env = await redisEnv();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('reads the overrides, swaps and absences that can matter in [from, to) with its reach, and no others', async () => {
    const store = createRotationStore(env.redis);
    const swaps = SWAP_ROWS.map(([name, a, b]): SwapRecord => ({ id: name, layer: 'primary', a: at(a), b: at(b), requester: 'alice', other: 'bob', createdAt: at(F) }));
    await store.updateState('pay', (s) => ({ ...s, swaps }));
    for (const [name, from, to] of OVERRIDE_ROWS) await store.addOverride('pay', { id: name, slot: 'primary', person: 'alice', from: at(from), to: at(to), createdAt: at(F) } satisfies OverrideRecord);
    for (const [name, from] of ABSENCE_ROWS) await store.addAbsence({ id: name, person: 'alice', from: at(from), to: at(from + DAY), kind: 'leave', createdAt: at(F) } satisfies AbsenceRecord);

    const { state, absences } = await store.load('pay', { from: F, to: T, reach: R }, ['alice'], () => new Set(['alice']));
    const names = (items: readonly { id: string }[]) => items.map((x) => x.id).sort();
    const expected = (rows: readonly (readonly [string, ...unknown[]])[]) => rows.filter((r) => r[r.length - 1] === true).map((r) => r[0]).sort();
    expect(names(state.swaps)).toEqual(expected(SWAP_ROWS));
    expect(names(state.overrides)).toEqual(expected(OVERRIDE_ROWS));
    expect(names(absences)).toEqual(expected(ABSENCE_ROWS));
  });

  it('reaches back as far as the longest turn of the rotation, past the 400-day floor', async () => {
    // Turns of 500 days: bob's from 2029-05-15 09:00 is still running more than 400 days later,
    // and a swap gave it to alice. Reading swaps only 400 days back would leave bob on duty.
    const long = parseConfig(`
timezone: UTC
people:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice] }
rotations:
  - { id: long, team: payments, anchor: "2028-01-01 09:00", turn: 500d, members: [alice, bob] }
`);
    if (!long.ok) throw new Error(JSON.stringify(long.problems));
    const store = createRotationStore(env.redis);
    const from = new Date('2030-07-01T00:00:00Z');
    const to = new Date('2030-07-02T00:00:00Z');
    await createOncallService({ store, config: () => long.config }).duty('long', from);
    const swap: SwapRecord = { id: 's', layer: 'primary', a: '2028-01-01T09:00:00.000Z', b: '2029-05-15T09:00:00.000Z', requester: 'alice', other: 'bob', createdAt: at(F) };
    await store.updateState('long', (s) => ({ ...s, swaps: [swap] }));

    const segments = await createOncallService({ store, config: () => long.config }).segments('long', from, to, from);
    expect(segments.map((s) => [s.person, s.source])).toEqual([['alice', 'swap']]);
  });
});
