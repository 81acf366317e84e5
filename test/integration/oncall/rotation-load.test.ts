/**
 * RotationStore.load reads a rotation's record, the tours and absences with the stamp a cached
 * schedule is kept under. Whatever another connection writes meanwhile, the stamp must never run
 * ahead of the data read with it (a cache would then keep stale data under a current stamp).
 * Each write here adds one item, so the data read says exactly which counter value it is from.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RotationStateRecord } from '../../../src/store/oncall/records.js';
import { EVERYTHING } from '../../../src/store/oncall/items.js';
import { createRotationStore } from '../../../src/store/oncall/rotation-store.js';
import { redisEnv, REDIS_URL, type RedisEnv } from '../../support/redis-env.js';

const AT = '2030-01-07T12:00:00.000Z';
const decl = { id: 'pay', team: 'payments', zone: 'UTC', layers: [{ name: 'primary', precedence: 1, members: ['alice'], anchor: { year: 2030, month: 1, day: 1, hour: 9, minute: 0 }, turn: { unit: 'days' as const, count: 1 } }] };
const peopleOf = (s: RotationStateRecord) => new Set(s.versions.flatMap((v) => v.decl.layers.flatMap((l) => l.members)));

describe('rotation store: records read with their stamp', () => {
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

  it('never returns a stamp newer than the records it read, while another connection writes', async () => {
    const reader = createRotationStore(env.redis);
    const writer = createRotationStore(other);
    // Overrides are items now: after n of them the rotation's item counter is n.
    await writer.updateRecord('pay', (s) => ({ ...s, versions: [{ from: new Date(0).toISOString(), decl }] }));
    let writing = 2;
    const overrides = (async () => {
      for (let i = 0; i < 60; i++) await writer.addOverride('pay', { id: `o${i}`, slot: 'primary', person: 'alice', from: AT, to: AT, createdAt: AT });
      writing--;
    })();
    // Only alice's absences are written: after n writes the counter is n and she has n items.
    const leave = (async () => {
      for (let i = 0; i < 60; i++) await writer.addAbsence({ id: `a${i}`, person: 'alice', from: AT, to: AT, kind: 'leave', createdAt: AT });
      writing--;
    })();
    let reads = 0;
    while (writing > 0) {
      // Alice asked for with the record (alone, or with someone named only in the record read
      // after); found only in the record; behind someone else's name.
      for (const [likely, extra] of [[['alice'], []], [['alice'], ['zed']], [[], []], [['bob'], []]] as const) {
        const { stamp, state, absences } = await reader.load('pay', EVERYTHING, likely, (s) => new Set([...peopleOf(s), ...extra]));
        const [rotation = '', away = 0] = stamp.split('/');
        // The items and their counter are read in one script: exactly as many as it says.
        expect(state.overrides).toHaveLength(Number(rotation.split('.')[1]));
        // The absence counter is read before the items (old layout first): they may be newer, never older.
        expect(absences.length).toBeGreaterThanOrEqual(Number(away));
        reads++;
      }
    }
    await Promise.all([overrides, leave]);
    expect(reads).toBeGreaterThan(3);
    const last = await reader.load('pay', EVERYTHING, ['alice'], peopleOf);
    expect(last.stamp).toBe(await reader.stamp('pay'));
    expect(last.state.overrides).toHaveLength(60);
    expect(last.absences).toHaveLength(60);
  });
});
