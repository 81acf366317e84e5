import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHash, randomUUID } from 'node:crypto';
import { createRepository, RecordConflictError, RecordNotFoundError, RecordUnreadableError, sendReads, type Read } from '../../../src/store/record.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

const rotationV2 = z.object({ name: z.string(), members: z.array(z.string()) });
type Rotation = z.infer<typeof rotationV2>;

describe('versioned records', () => {
  let env: RedisEnv;
  beforeEach(async () => {
    env = await redisEnv();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  const repo = () => createRepository<Rotation>({ redis: env.redis, name: 'rotations', schema: rotationV2, version: 2 });

  it('creates once, reads back, and refuses a second create', async () => {
    const r = repo();
    const created = await r.put('r1', { name: 'Primary', members: ['alice'] });
    expect(created.rev).toBe(1);
    expect(await r.get('r1')).toEqual({ id: 'r1', rev: 1, value: { name: 'Primary', members: ['alice'] } });
    await expect(r.put('r1', { name: 'Other', members: [] })).rejects.toBeInstanceOf(RecordConflictError);
    expect((await r.get('r1'))?.value.name).toBe('Primary');
    expect(await r.get('missing')).toBeUndefined();
  });

  it('updates with a compare-and-set on rev', async () => {
    const r = repo();
    await r.put('r1', { name: 'Primary', members: [] });
    const u = await r.update('r1', (cur) => ({ ...cur, members: ['bob'] }), 1);
    expect(u.rev).toBe(2);
    // A writer holding the old revision loses instead of overwriting.
    await expect(r.update('r1', (cur) => ({ ...cur, members: ['carol'] }), 1)).rejects.toBeInstanceOf(RecordConflictError);
    expect((await r.get('r1'))?.value.members).toEqual(['bob']);
    await expect(r.update('nope', (c) => c)).rejects.toBeInstanceOf(RecordNotFoundError);
  });

  it('loses no increments when many writers race without expectedRev', async () => {
    const r = repo();
    await r.put('r1', { name: 'Primary', members: [] });
    await Promise.all(Array.from({ length: 15 }, (_, i) => r.update('r1', (cur) => ({ ...cur, members: [...cur.members, `m${i}`] }))));
    const final = await r.get('r1');
    expect(final?.value.members).toHaveLength(15);
    expect(final?.rev).toBe(16);
  });

  it('bumps the stamp of a stamped repository on every write, atomically with it', async () => {
    const r = createRepository<Rotation>({ redis: env.redis, name: 'stamped', schema: rotationV2, version: 2, stamped: true });
    expect(await r.stamp()).toBe(0);
    expect(await r.revOf('r1')).toBe(0);
    await r.put('r1', { name: 'Primary', members: [] });
    await r.update('r1', (cur) => ({ ...cur, members: ['bob'] }));
    await r.upsert('r2', () => ({ name: 'Secondary', members: [] }));
    expect(await r.revOf('r1')).toBe(2);
    expect(await r.stamp()).toBe(3);
    // Refused writes change nothing, so they leave the stamp alone.
    await expect(r.put('r1', { name: 'Again', members: [] })).rejects.toBeInstanceOf(RecordConflictError);
    await expect(r.update('r1', (cur) => cur, 1)).rejects.toBeInstanceOf(RecordConflictError);
    expect(await r.delete('missing')).toBe(false);
    expect(await r.stamp()).toBe(3);
    expect(await r.delete('r2')).toBe(true);
    expect(await r.stamp()).toBe(4);
    // The counter is not a record: listing and ids are unaffected by it.
    expect((await r.list()).map((x) => x.id)).toEqual(['r1']);
    await expect(repo().stamp()).rejects.toThrow(/stamped: true/);
  });

  it('reads several records, or all of them, with the stamp in one script', async () => {
    const r = createRepository<Rotation>({ redis: env.redis, name: 'stamped', schema: rotationV2, version: 2, stamped: true });
    expect(await r.getManyStamped([])).toEqual({ stamp: 0, records: [] });
    expect(await r.listStamped()).toEqual({ stamp: 0, records: [] });
    await r.put('b', { name: 'B', members: [] });
    await r.put('a', { name: 'A', members: ['x'] });
    await r.update('a', (cur) => ({ ...cur, members: ['y'] }));
    await r.put('c', { name: 'C', members: [] });
    await r.delete('c');
    const many = await r.getManyStamped(['a', 'missing', 'b', 'c']);
    expect(many.stamp).toBe(5);
    expect(many.records).toEqual([{ id: 'a', rev: 2, value: { name: 'A', members: ['y'] } }, undefined, { id: 'b', rev: 1, value: { name: 'B', members: [] } }, undefined]);
    const all = await r.listStamped();
    expect(all.stamp).toBe(5);
    expect(all.records).toEqual([{ id: 'a', rev: 2, value: { name: 'A', members: ['y'] } }, { id: 'b', rev: 1, value: { name: 'B', members: [] } }]);
    // What the schema refuses is refused here too, not passed on.
    await env.redis.hset('rec:{stamped}:b', 'data', JSON.stringify({ name: 3 }));
    await expect(r.getManyStamped(['b'])).rejects.toBeInstanceOf(RecordUnreadableError);
    await expect(r.listStamped()).rejects.toBeInstanceOf(RecordUnreadableError);
    await expect(repo().getManyStamped(['a'])).rejects.toThrow(/stamped: true/);
    await expect(repo().listStamped()).rejects.toThrow(/stamped: true/);
  });

  it('never returns a stamp that disagrees with the records read with it, under concurrent writes', async () => {
    const r = createRepository<Rotation>({ redis: env.redis, name: 'stamped', schema: rotationV2, version: 2, stamped: true });
    await r.put('r1', { name: 'R', members: [] });
    // Only r1 is ever written, so its revision and the stamp move together.
    const other = env.redis.duplicate();
    const writer = createRepository<Rotation>({ redis: other, name: 'stamped', schema: rotationV2, version: 2, stamped: true });
    try {
      let writing = true;
      const writes = (async () => {
        for (let i = 0; i < 100; i++) await writer.update('r1', (cur) => ({ ...cur, members: [`m${i}`] }));
        writing = false;
      })();
      const seen: [number, number | undefined, number | undefined][] = [];
      while (writing) {
        const [many, all] = await Promise.all([r.getManyStamped(['r1']), r.listStamped()]);
        seen.push([many.stamp, many.records[0]?.rev, all.stamp - (all.records[0]?.rev ?? 0)]);
      }
      await writes;
      expect(seen.length).toBeGreaterThan(1);
      for (const [stamp, rev, listGap] of seen) {
        expect(rev).toBe(stamp);
        expect(listGap).toBe(0);
      }
    } finally {
      await other.quit();
    }
  });

  it('sends reads of several repositories together, and a script Redis does not know in full', async () => {
    const a = createRepository<Rotation>({ redis: env.redis, name: 'stamped', schema: rotationV2, version: 2, stamped: true });
    const b = createRepository<Rotation>({ redis: env.redis, name: 'plain', schema: rotationV2, version: 2 });
    await a.put('x', { name: 'X', members: [] });
    await b.put('y', { name: 'Y', members: ['m'] });
    // A script this server has never seen (its text is new), so its digest is answered NOSCRIPT.
    const text = `return '${randomUUID()}'`;
    const unknown: Read<string> = { command: ['evalsha', createHash('sha1').update(text).digest('hex'), 0], script: text, decode: (r) => `ran ${String(r).length}` };
    const [x, stamp, y, ran, many] = await sendReads(env.redis, [a.reads.get('x'), a.reads.stamp(), b.reads.get('y'), unknown, a.reads.getManyStamped(['x', 'nope'])]);
    expect(x).toEqual({ id: 'x', rev: 1, value: { name: 'X', members: [] } });
    expect(stamp).toBe(1);
    expect(y?.value.members).toEqual(['m']);
    expect(ran).toBe('ran 36');
    expect(many).toEqual({ stamp: 1, records: [x, undefined] });
    const fresh = `return '${randomUUID()}'`;
    expect(await sendReads(env.redis, [{ ...unknown, command: ['evalsha', createHash('sha1').update(fresh).digest('hex'), 0], script: fresh }])).toEqual(['ran 36']);
    // An error that is not NOSCRIPT is not retried as a script.
    await expect(sendReads(env.redis, [b.reads.get('y'), { command: ['hget', 'rec:{plain}', 'x'], decode: String }])).rejects.toThrow(/WRONGTYPE/);
  });

  it('never writes a value that fails the schema', async () => {
    const r = repo();
    await expect(r.put('bad', { name: 3 } as unknown as Rotation)).rejects.toThrow(/invalid record/);
    expect(await r.get('bad')).toBeUndefined();
    expect(await r.list()).toEqual([]);
  });

  it('migrates older versions on read and writes them back at the current version', async () => {
    const v1 = createRepository({ redis: env.redis, name: 'rotations', schema: z.object({ title: z.string() }), version: 1 });
    await v1.put('old', { title: 'Legacy' });
    const v2 = createRepository<Rotation>({
      redis: env.redis,
      name: 'rotations',
      schema: rotationV2,
      version: 2,
      migrate: (data, from) => (from === 1 ? { name: (data as { title: string }).title, members: [] } : data),
    });
    expect((await v2.get('old'))?.value).toEqual({ name: 'Legacy', members: [] });
    await v2.update('old', (c) => ({ ...c, members: ['x'] }));
    expect(await env.redis.hget('rec:{rotations}:old', 'v')).toBe('2');
    // Without a migrate function an old record is an error, not a silent misread.
    await v1.put('older', { title: 'x' });
    await expect(repo().get('older')).rejects.toBeInstanceOf(RecordUnreadableError);
    // And a record from a newer Day2 is refused.
    await expect(v1.get('old')).rejects.toThrow(/newer Day2/);
  });

  it('lists and deletes, keeping the index in step', async () => {
    const r = repo();
    await r.put('b', { name: 'B', members: [] });
    await r.put('a', { name: 'A', members: [] });
    expect((await r.list()).map((x) => x.id)).toEqual(['a', 'b']);
    await expect(r.delete('a', 5)).rejects.toBeInstanceOf(RecordConflictError);
    expect(await r.delete('a', 1)).toBe(true);
    expect(await r.delete('a')).toBe(false);
    expect((await r.list()).map((x) => x.id)).toEqual(['b']);
  });

  it('upserts: creates when absent, transforms when present', async () => {
    const r = repo();
    const a = await r.upsert('u', (cur) => ({ name: 'U', members: [...(cur?.members ?? []), 'one'] }));
    const b = await r.upsert('u', (cur) => ({ name: 'U', members: [...(cur?.members ?? []), 'two'] }));
    expect(a.rev).toBe(1);
    expect(b).toMatchObject({ rev: 2, value: { members: ['one', 'two'] } });
  });

  it('expires records with a ttl and drops them from list', async () => {
    const r = createRepository<Rotation>({ redis: env.redis, name: 'short', schema: rotationV2, version: 2, ttlMs: 150 });
    await r.put('gone', { name: 'G', members: [] });
    expect(await r.list()).toHaveLength(1);
    await new Promise((res) => setTimeout(res, 300));
    expect(await r.get('gone')).toBeUndefined();
    expect(await r.list()).toEqual([]);
  });

  it('rejects ids that would break the key layout', async () => {
    await expect(repo().get('a b')).rejects.toThrow(/invalid record id/);
    await expect(repo().put('{x}', { name: 'x', members: [] })).rejects.toThrow(/invalid record id/);
  });
});
