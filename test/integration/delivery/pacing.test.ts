import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPacer, type PaceResult } from '../../../src/delivery/pacing.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waiting = (r: PaceResult) => {
  if (r.ok) throw new Error('expected to wait');
  return r;
};

describe('pacing', () => {
  let env: RedisEnv;
  beforeEach(async () => {
    env = await redisEnv();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  const lane = (channel: string, platform = 'slack') => ({ platform, channel });

  it('lines senders up per channel: one now, the next after the interval, the one after that later still', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 1000, platformIntervalMs: 1 });
    expect(await pacer.acquire(lane('C1'))).toEqual({ ok: true });
    const second = waiting(await pacer.acquire(lane('C1')));
    const third = waiting(await pacer.acquire(lane('C1')));
    expect(second.waitMs).toBeGreaterThan(900);
    expect(second.waitMs).toBeLessThanOrEqual(1000);
    expect(third.slotAt - second.slotAt).toBe(1000);
    expect(second.reason).toBe('paced');
    // Other channels are not in this line.
    expect(await pacer.acquire(lane('C2'))).toEqual({ ok: true });
  });

  it('lets a sender with a reservation go at its slot, not before', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 300, platformIntervalMs: 1 });
    expect((await pacer.acquire(lane('C1'))).ok).toBe(true);
    const w = waiting(await pacer.acquire(lane('C1')));
    const early = waiting(await pacer.acquire(lane('C1'), w.slotAt));
    expect(early.slotAt).toBe(w.slotAt);
    await sleep(w.waitMs + 20);
    expect(await pacer.acquire(lane('C1'), w.slotAt)).toEqual({ ok: true });
  });

  it('spaces sends across channels of one platform by the platform interval', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 0, platformIntervalMs: 400 });
    expect((await pacer.acquire(lane('C1'))).ok).toBe(true);
    const w = waiting(await pacer.acquire(lane('C2')));
    expect(w.waitMs).toBeGreaterThan(300);
    expect((await pacer.acquire(lane('C2', 'mattermost'))).ok).toBe(true);
  });

  it('spreads senders waiting for one platform over as many future platform slots, instead of one shared free slot', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 1000, platformIntervalMs: 50 });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => pacer.acquire(lane(`C${i}`))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const slots = results.flatMap((r) => (r.ok ? [] : [r.platformSlotAt])).sort((a, b) => a - b);
    expect(slots).toHaveLength(39);
    for (let i = 1; i < slots.length; i++) expect(slots[i]! - slots[i - 1]!).toBe(50);
    const waits = results.flatMap((r) => (r.ok ? [] : [r.waitMs]));
    // The last one waits for about 39 slots, not one.
    expect(Math.max(...waits)).toBeGreaterThan(1800);
  });

  it('a sender that comes back early keeps both its places and is told to wait again', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 0, platformIntervalMs: 300 });
    expect((await pacer.acquire(lane('C1'))).ok).toBe(true);
    const w = waiting(await pacer.acquire(lane('C2')));
    const other = waiting(await pacer.acquire(lane('C3')));
    expect(other.platformSlotAt - w.platformSlotAt).toBe(300);
    const early = waiting(await pacer.acquire(lane('C2'), w.slotAt, w.platformSlotAt));
    expect(early).toMatchObject({ slotAt: w.slotAt, platformSlotAt: w.platformSlotAt });
    // Coming back early did not take another platform place.
    expect(waiting(await pacer.acquire(lane('C4'))).platformSlotAt - other.platformSlotAt).toBe(300);
    await sleep(w.waitMs + 20);
    expect(await pacer.acquire(lane('C2'), w.slotAt, w.platformSlotAt)).toEqual({ ok: true });
  });

  it('takes no platform place while its channel slot is far off, so platform slots are not left unused', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 1000, platformIntervalMs: 100 });
    expect((await pacer.acquire(lane('C1'))).ok).toBe(true);
    const far = waiting(await pacer.acquire(lane('C1')));
    expect(far.platformSlotAt).toBe(0);
    // Another channel gets the very next platform slot, not one after C1's far-off send.
    const next = waiting(await pacer.acquire(lane('C2')));
    expect(next.waitMs).toBeLessThanOrEqual(100);
  });

  it('applies a separate rate to each platform', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 0, platformIntervalMs: (p) => (p === 'slack' ? 20 : 200) });
    const slack = await Promise.all(Array.from({ length: 5 }, (_, i) => pacer.acquire(lane(`S${i}`, 'slack'))));
    const mm = await Promise.all(Array.from({ length: 5 }, (_, i) => pacer.acquire(lane(`M${i}`, 'mattermost'))));
    const gaps = (rs: PaceResult[]) => {
      const slots = rs.flatMap((r) => (r.ok ? [] : [r.platformSlotAt])).sort((a, b) => a - b);
      return slots.slice(1).map((s, i) => s - slots[i]!);
    };
    expect(gaps(slack)).toEqual([20, 20, 20]);
    expect(gaps(mm)).toEqual([200, 200, 200]);
  });

  it('blocks a channel after a 429, or the whole platform when told', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 0, platformIntervalMs: 1 });
    await pacer.block(lane('C1'), 500);
    const w = waiting(await pacer.acquire(lane('C1')));
    expect(w.reason).toBe('blocked');
    expect(w.waitMs).toBeGreaterThan(400);
    expect((await pacer.acquire(lane('C2'))).ok).toBe(true);
    await pacer.block(lane('C3'), 500, 'platform');
    await sleep(5);
    expect(waiting(await pacer.acquire(lane('C4'))).reason).toBe('blocked');
    await sleep(520);
    expect((await pacer.acquire(lane('C1'))).ok).toBe(true);
  });

  it('keeps the platform line in order through a platform block instead of sending its places to the back', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 1000, platformIntervalMs: 50 });
    const line = (await Promise.all(Array.from({ length: 10 }, (_, i) => pacer.acquire(lane(`L${i}`))))).flatMap((r) => (r.ok ? [] : [r]));
    const tail = Math.max(...line.map((r) => r.platformSlotAt));
    await pacer.block(lane('L0'), 200, 'platform');
    const first = line.reduce((a, b) => (a.platformSlotAt < b.platformSlotAt ? a : b));
    const again = waiting(await pacer.acquire(lane(`L${line.indexOf(first) + 1}`), first.slotAt, first.platformSlotAt));
    // Same place, held until the block ends.
    expect(again.platformSlotAt).toBe(first.platformSlotAt);
    expect(again.reason).toBe('blocked');
    expect(again.waitMs).toBeGreaterThan(100);
    // A newcomer queues right behind the existing line (which is longer than the block), not further out.
    expect(waiting(await pacer.acquire(lane('NEW'))).platformSlotAt).toBe(tail + 50);
  });

  it('moves the whole platform line back by a platform block, keeping its spacing', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 1000, platformIntervalMs: 100 });
    expect((await pacer.acquire(lane('P0'))).ok).toBe(true);
    const a = waiting(await pacer.acquire(lane('P1')));
    const b = waiting(await pacer.acquire(lane('P2')));
    await pacer.block(lane('P0'), 1000, 'platform');
    const a2 = waiting(await pacer.acquire(lane('P1'), a.slotAt, a.platformSlotAt));
    const b2 = waiting(await pacer.acquire(lane('P2'), b.slotAt, b.platformSlotAt));
    // Each is about a second later than before, and they keep their places, one interval apart.
    expect(a2.waitMs - a.waitMs).toBeGreaterThan(800);
    expect(b2.waitMs - b.waitMs).toBeGreaterThan(800);
    expect([a2.platformSlotAt, b2.platformSlotAt]).toEqual([a.platformSlotAt, b.platformSlotAt]);
    expect(b.platformSlotAt - a.platformSlotAt).toBe(100);
  });

  it('lets a sender that comes late to its place go within the burst allowance, and holds it back without one', async () => {
    for (const burst of [0, 1]) {
      const pacer = createPacer(env.redis, { channelIntervalMs: 1000, platformIntervalMs: 100, burst });
      const p = `burst${burst}`;
      expect((await pacer.acquire(lane('A', p))).ok).toBe(true);
      const late = waiting(await pacer.acquire(lane('B', p)));
      const onTime = waiting(await pacer.acquire(lane('C', p)));
      await sleep(onTime.waitMs + 5);
      // C, on time, goes first; B comes after it, a slot late.
      expect(await pacer.acquire(lane('C', p), onTime.slotAt, onTime.platformSlotAt)).toEqual({ ok: true });
      const b = await pacer.acquire(lane('B', p), late.slotAt, late.platformSlotAt);
      if (burst === 0) expect(waiting(b).waitMs).toBeGreaterThan(50);
      else expect(b).toEqual({ ok: true });
    }
  });

  it('blocks one kind of call on a platform and leaves the others alone', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 0, platformIntervalMs: 1 });
    await pacer.block({ platform: 'slack', channel: 'C1', kind: 'edit' }, 500, 'kind');
    await sleep(5);
    const edit = waiting(await pacer.acquire({ platform: 'slack', channel: 'C2', kind: 'edit' }));
    expect(edit.reason).toBe('blocked');
    expect(edit.waitMs).toBeGreaterThan(400);
    expect((await pacer.acquire({ platform: 'slack', channel: 'C2', kind: 'post' })).ok).toBe(true);
    expect((await pacer.acquire({ platform: 'mattermost', channel: 'C2', kind: 'edit' })).ok).toBe(true);
  });

  it("starts a channel's next place after its sender's platform place, not its channel slot", async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 300, platformIntervalMs: 100 });
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) => pacer.acquire(lane(`Q${i}`))));
    const last = waiting(first[9]!);
    const again = waiting(await pacer.acquire(lane('Q9')));
    expect(again.slotAt - last.platformSlotAt).toBeGreaterThanOrEqual(300);
  });

  it("counts a channel's interval from when the last call returned", async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 300, platformIntervalMs: 1 });
    expect((await pacer.acquire(lane('S1'))).ok).toBe(true);
    // The call took 200 ms; the next one to the channel waits 300 ms from its end, not its start.
    await sleep(200);
    await pacer.sent(lane('S1'));
    expect(waiting(await pacer.acquire(lane('S1'))).waitMs).toBeGreaterThan(250);
  });

  it('sends a reservation made before a block to the back of the line after it', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 100, platformIntervalMs: 1 });
    expect((await pacer.acquire(lane('C1'))).ok).toBe(true);
    const w = waiting(await pacer.acquire(lane('C1')));
    await pacer.block(lane('C1'), 800);
    const again = waiting(await pacer.acquire(lane('C1'), w.slotAt));
    expect(again.slotAt).toBeGreaterThan(w.slotAt + 500);
  });

  it('expires its keys', async () => {
    const pacer = createPacer(env.redis, { channelIntervalMs: 100, platformIntervalMs: 10 });
    await pacer.acquire(lane('C1'));
    const ttl = await env.redis.pttl('pace:{slack}:ch:C1');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_200);
  });
});
