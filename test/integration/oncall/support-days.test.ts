/**
 * `/oncall stats` reads per-team, per-day buckets kept as requests change state (issue 13 part 6:
 * it scanned every request, 745 ms at 4,000). The figures must stay exactly those computed from
 * the requests themselves, including requests stored before the buckets existed (backfilled).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { supportStats } from '../../../src/domain/oncall/support-stats.js';
import { createRepository } from '../../../src/store/record.js';
import { BACKFILLED, putDayEntry } from '../../../src/store/oncall/support-days.js';
import { createSupportStore, supportRequestSchema, type SupportRequest } from '../../../src/store/oncall/support-store.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

const DAY = 86_400_000;
const T0 = Date.parse('2030-03-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** Request i: created every 7 hours over about 12 days, in two teams; most acked, some resolved. */
function request(i: number): SupportRequest {
  const created = T0 + i * 7 * 3_600_000 + (i % 13) * 61_000;
  return {
    id: `r${i}`, team: i % 3 === 0 ? 'core' : 'payments', rotationId: 'x', text: 'help', asker: { platform: 'slack', userId: 'U1', channelId: 'C1' },
    createdAt: iso(created), assignee: i % 5 === 0 ? null : ['alice', 'bob'][i % 2]!, holders: [], stage: 0, escalatedTo: [], revision: 1,
  };
}

const fromRequests = (rs: SupportRequest[]) =>
  rs.map((r) => ({ createdAt: new Date(r.createdAt), assignee: r.assignee, ...(r.ackedAt ? { ackedAt: new Date(r.ackedAt) } : {}), ...(r.resolvedAt ? { resolvedAt: new Date(r.resolvedAt) } : {}) }));

/** Ack, resolve and hand over some of them, as the service does. */
async function lifecycle(store: ReturnType<typeof createSupportStore>, n: number) {
  for (let i = 0; i < n; i++) {
    const created = Date.parse(request(i).createdAt);
    if (i % 4 !== 3) await store.update(`r${i}`, (x) => ({ ...x, ackedAt: iso(created + (i % 9) * 45_000 + 1_000), revision: x.revision + 1 }));
    if (i % 3 === 1) await store.update(`r${i}`, (x) => ({ ...x, ackedAt: x.ackedAt ?? iso(created + 5_000), resolvedAt: iso(created + (i % 11) * 600_000 + 7_000), revision: x.revision + 1 }));
    // Handed over after the ack: the figures follow the request to its new tribute.
    if (i % 7 === 2) await store.update(`r${i}`, (x) => ({ ...x, assignee: 'carol', revision: x.revision + 1 }));
  }
}

const RANGES: [number, number][] = [[T0, T0 + 14 * DAY], [T0 + 2 * DAY + 3_600_000, T0 + 5 * DAY - 1], [T0 + 11 * DAY, T0 + 30 * DAY], [T0 - 5 * DAY, T0]];

describe('support stats from day buckets', () => {
  let env: RedisEnv;
  beforeEach(async () => {
    env = await redisEnv();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('gives exactly the figures computed from every request, for any range and team, after hand-overs', async () => {
    const store = createSupportStore(env.redis);
    expect(await store.backfillDays()).toBe(0);
    for (let i = 0; i < 40; i++) await store.create(request(i));
    await lifecycle(store, 40);
    for (const team of ['payments', 'core', 'nobody']) {
      for (const [a, b] of RANGES) {
        const from = new Date(a);
        const to = new Date(b);
        const expected = supportStats(fromRequests(await store.createdIn(team, from, to)), from, to);
        expect(supportStats(await store.samples(team, from, to), from, to)).toEqual(expected);
      }
    }
    // Some ranges really hold requests, with durations (not a comparison of two empty answers).
    const all = supportStats(await store.samples('payments', new Date(RANGES[0]![0]), new Date(RANGES[0]![1])), new Date(RANGES[0]![0]), new Date(RANGES[0]![1]));
    expect(all.requests).toBeGreaterThan(20);
    expect(all.resolve?.count).toBeGreaterThan(5);
    expect(all.byTribute.map((t) => t.person)).toContain('carol');
  });

  it('backfills requests stored before the buckets once, even with two bots at once, and answers the same before and after', async () => {
    // Written as the previous Day2 did: the record only, no bucket entry.
    const old = createRepository({ redis: env.redis, name: 'oncall-support', schema: supportRequestSchema, version: 1, ttlMs: 366 * DAY });
    for (let i = 0; i < 30; i++) await old.put(`r${i}`, { ...request(i), ...(i % 2 ? { ackedAt: iso(Date.parse(request(i).createdAt) + i * 1_000) } : {}) });
    const store = createSupportStore(env.redis);
    const [from, to] = [new Date(RANGES[0]![0]), new Date(RANGES[0]![1])];
    const expected = supportStats(fromRequests(await store.createdIn('payments', from, to)), from, to);
    // Before the backfill: computed from the requests (no bucket says anything yet).
    expect(supportStats(await store.samples('payments', from, to), from, to)).toEqual(expected);
    const [a, b] = await Promise.all([store.backfillDays(), createSupportStore(env.redis).backfillDays()]);
    expect(a + b).toBeGreaterThanOrEqual(30);
    expect(await env.redis.exists(BACKFILLED)).toBe(1);
    expect(await store.backfillDays()).toBe(0);
    const keys = (await env.keys()).filter((k) => k.includes('oncall:support-day:') && !k.endsWith('backfilled'));
    let entries = 0;
    for (const k of keys) entries += await env.redis.hlen(k.slice(env.name.length + 1));
    expect(entries).toBe(30);
    expect(supportStats(await store.samples('payments', from, to), from, to)).toEqual(expected);
  });

  it('never lets an older state of a request overwrite a newer entry (a late backfill or a slow writer)', async () => {
    const store = createSupportStore(env.redis);
    await store.backfillDays();
    const r = request(1);
    await putDayEntry(env.redis, { ...r, ackedAt: iso(Date.parse(r.createdAt) + 60_000) }, 3);
    await putDayEntry(env.redis, r, 2);
    const samples = await store.samples('payments', new Date(T0), new Date(T0 + DAY));
    expect(samples).toHaveLength(1);
    expect(samples[0]!.ackedAt?.getTime()).toBe(Date.parse(r.createdAt) + 60_000);
  });
});
