/**
 * The dispatcher against real Redis (run-once markers, audit stream) and the real templates.
 * Each test gets its own key prefix and removes its keys afterwards.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allFamilies } from '../../../commands/index.js';
import type { OutboundMessage } from '../../../src/chat/message.js';
import type { CommandEvent, Dispatch } from '../../../src/chat/port.js';
import { configSchema } from '../../../src/config.js';
import { Directory } from '../../../src/directory.js';
import { arg } from '../../../src/dispatch/args.js';
import { createDispatcher } from '../../../src/dispatch/dispatcher.js';
import { defineCommand, defineFamily } from '../../../src/dispatch/define.js';
import type { Services } from '../../../src/dispatch/services.js';
import { createMetrics } from '../../../src/metrics.js';
import { silentLogger } from '../../../src/log.js';
import { unescapeMarkup } from '../../../src/render/markup.js';
import { createRenderer } from '../../../src/render/renderer.js';
import type { Renderer } from '../../../src/render/renderer.js';
import { createAuditLog, type AuditLog } from '../../../src/store/audit.js';
import { createDedupe } from '../../../src/store/dedupe.js';
import { connectRedis, type RedisClient } from '../../../src/store/redis.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A rendered body as the reader sees it (neutral markup escapes removed). */
const text = (m: OutboundMessage | undefined) => unescapeMarkup(m?.body ?? '');

const config = configSchema.parse({
  people: [
    { id: 'alice', name: 'Alice', slack: 'U0ALICE' },
    { id: 'bob', name: 'Bob', slack: 'U0BOB' },
  ],
  roles: { admin: ['alice'] },
});

/**
 * A family whose commands touch Redis, so "nothing was written" can be checked on real keys.
 * `bump` increments a counter; `flaky` fails on its first run and succeeds after; `slow` waits
 * for a gate so two deliveries overlap.
 */
function counterFamily(state: { runs: number; flakyFailed: boolean; gate?: Promise<void> }) {
  return defineFamily({
    name: 'counter',
    aliases: ['/counter'],
    summary: 'Counts things (test family)',
    commands: [
      defineCommand({
        name: 'bump',
        summary: 'Add to the counter',
        usage: 'bump <by> [note…]',
        examples: ['/counter bump 2 because'],
        args: z.object({ by: arg.int({ min: 1, max: 100 }), note: arg.rest().optional() }),
        positional: ['by', 'note'],
        role: 'admin',
        mutates: true,
        async handler(ctx, { by }) {
          state.runs += 1;
          await state.gate;
          const total = await ctx.services.redis.incrby('counter', by);
          return ctx.ok(`counter is ${total}`);
        },
      }),
      defineCommand({
        name: 'flaky',
        summary: 'Fails the first time',
        usage: 'flaky',
        examples: ['/counter flaky'],
        args: z.object({}),
        positional: [],
        role: 'anyone',
        mutates: true,
        async handler(ctx) {
          state.runs += 1;
          if (!state.flakyFailed) {
            state.flakyFailed = true;
            throw new Error('connection reset by peer');
          }
          await ctx.services.redis.incr('counter');
          return ctx.ok('done');
        },
      }),
    ],
  });
}

describe('dispatcher with real Redis', () => {
  let renderer: Renderer;
  let prefix: string;
  let redis: RedisClient;
  let inspect: RedisClient;
  let audit: AuditLog;
  let state: { runs: number; flakyFailed: boolean; gate?: Promise<void> };
  let dispatch: Dispatch;
  let seq = 0;

  const event = (text: string, userId = 'U0ALICE', command = '/day2'): CommandEvent => ({
    kind: 'command',
    eventId: `Ev${++seq}`,
    platform: 'slack',
    user: { platform: 'slack', id: userId },
    channel: { platform: 'slack', id: 'C0CHAN' },
    command,
    text,
  });

  /** Every key under this test's prefix (read without the prefix, so nothing is hidden). */
  async function keys(): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await inspect.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found.sort();
  }

  beforeAll(async () => {
    renderer = await createRenderer();
  });

  beforeEach(async () => {
    prefix = `t-${randomUUID()}`;
    redis = connectRedis(REDIS_URL, { keyPrefix: `${prefix}:` });
    inspect = connectRedis(REDIS_URL);
    audit = createAuditLog(redis);
    state = { runs: 0, flakyFailed: false };
    const directory = new Directory(config);
    const services: Services = {
      config: () => config,
      directory: () => directory,
      redis,
      renderer,
      audit,
      openForm: async () => {},
    };
    dispatch = createDispatcher({ families: [...allFamilies, counterFamily(state)], services, metrics: createMetrics({ defaultMetrics: false }), log: silentLogger });
  });

  afterEach(async () => {
    const left = await keys();
    if (left.length > 0) await inspect.del(...left);
    await redis.quit();
    await inspect.quit();
  });

  it('bad input changes nothing: no run, no audit entry, no keys written', async () => {
    for (const input of ['counter bump lots', 'counter bump', 'counter bump 1000', 'counter bump "2', 'counter bmup 2', 'counter bump by=1 by=2']) {
      const result = await dispatch(event(input));
      expect(text(result.reply)).toMatch(/There is no command|Usage:/);
    }
    const { reply } = await dispatch(event('counter bump lots'));
    expect(text(reply)).toContain('by: "lots" is not a whole number');
    expect(text(reply)).toContain('/day2 counter bump <by> [note…]');
    expect(state.runs).toBe(0);
    expect(await audit.recent(10)).toEqual([]);
    expect(await keys()).toEqual([]);
  });

  it('a caller without the role is refused and nothing is written', async () => {
    const { reply } = await dispatch(event('counter bump 1', 'U0BOB'));
    expect(text(reply)).toContain('**admin**');
    expect(state.runs).toBe(0);
    expect(await keys()).toEqual([]);
  });

  it('a redelivered event id runs once, also when both deliveries overlap', async () => {
    let open!: () => void;
    state.gate = new Promise((r) => (open = r));
    const ev = event('counter bump 5');
    const first = dispatch(ev);
    const overlapping = await dispatch({ ...ev, retryNum: 1 }); // the first one is still running
    open();
    const done = await first;
    const later = await dispatch({ ...ev, retryNum: 2 });
    expect(state.runs).toBe(1);
    expect(await redis.get('counter')).toBe('5');
    expect(overlapping).toEqual({});
    expect(later).toEqual(done);
    expect(text(done.reply)).toContain('counter is 5');
    expect((await audit.recent(10)).length).toBe(1);
    // The answer is remembered past Slack's last retry (~5 min), for 15 minutes.
    const ttl = await redis.pttl(`dedupe:slack:${ev.eventId}`);
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
  });

  it('a failed first attempt lets the retry run', async () => {
    const ev = event('flaky', 'U0BOB', '/counter');
    const first = await dispatch(ev);
    expect(text(first.reply)).toMatch(/reference: `[0-9a-f]{8}`/);
    expect(text(first.reply)).not.toContain('connection reset');
    expect(await keys()).toEqual([]); // the marker was released
    const retry = await dispatch({ ...ev, retryNum: 1 });
    expect(text(retry.reply)).toContain('done');
    expect(state.runs).toBe(2);
    expect(await redis.get('counter')).toBe('1');
    expect((await audit.recent(10)).map((e) => e.action)).toEqual(['flaky']);
  });

  it('a mutating command writes one audit entry: who, what, when, platform, parsed args', async () => {
    const ev = event('counter bump 3 for the "release" notes');
    await dispatch(ev);
    await dispatch(event('whoami')); // read-only: not audited
    const entries = await audit.recent(10);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      eventId: ev.eventId,
      platform: 'slack',
      userId: 'U0ALICE',
      person: 'alice',
      channelId: 'C0CHAN',
      kind: 'command',
      family: 'counter',
      action: 'bump',
      args: { by: 3, note: 'for the "release" notes' },
    });
    expect(Date.now() - Date.parse(entries[0]!.at)).toBeLessThan(60_000);
    expect(await inspect.type(`${prefix}:audit`)).toBe('stream');
  });

  it('help and whoami render with the shipped templates', async () => {
    const help = await dispatch(event('', 'U0BOB'));
    expect(help.reply?.title).toBe('Day2 commands');
    expect(text(help.reply)).toContain('/day2 whoami');
    expect(text(help.reply)).not.toContain('/day2 counter bump');
    const family = await dispatch(event('', 'U0BOB', '/counter'));
    expect(family.reply?.title).toBe('Help: counter');
    expect(text(family.reply)).toContain('/counter bump 2 because');
    const me = await dispatch(event('whoami'));
    expect(me.reply?.fields?.map((f) => f.label)).toEqual(['Platform', 'User id', 'Person', 'Time zone', 'Roles']);
  });
});

describe('dedupe store', () => {
  let prefix: string;
  let redis: RedisClient;

  beforeEach(() => {
    prefix = `t-${randomUUID()}`;
    redis = connectRedis(REDIS_URL, { keyPrefix: `${prefix}:` });
  });
  afterEach(async () => {
    await redis.del('dedupe:a');
    await redis.quit();
  });

  it('only the holder of a marker can release it', async () => {
    const dedupe = createDedupe(redis, { runningTtlMs: 60_000 });
    const claim = await dedupe.begin('a');
    expect(claim.state).toBe('new');
    expect((await dedupe.begin('a')).state).toBe('running');
    await dedupe.release('a', 'someone-else');
    expect((await dedupe.begin('a')).state).toBe('running');
    await dedupe.release('a', claim.state === 'new' ? claim.token : '');
    expect((await dedupe.begin('a')).state).toBe('new');
  });

  it('a crashed attempt stops blocking once its marker expires', async () => {
    const dedupe = createDedupe(redis, { runningTtlMs: 50 });
    expect((await dedupe.begin('a')).state).toBe('new');
    await new Promise((r) => setTimeout(r, 120));
    expect((await dedupe.begin('a')).state).toBe('new');
  });
});
