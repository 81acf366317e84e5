import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../../src/log.js';
import { createQueueDepthProbe, recordQueueDepths } from '../../../src/delivery/queue-depths.js';
import { createScheduler, startTimerWorker, type Scheduler, type TimerContext } from '../../../src/delivery/scheduler.js';
import { createMetrics } from '../../../src/metrics.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const handoff = z.object({ rotation: z.string() });

describe('scheduler', () => {
  let env: RedisEnv;
  let scheduler: Scheduler;
  let closers: (() => Promise<void>)[];
  let runs: { data: unknown; ctx: TimerContext; at: number }[];

  beforeEach(async () => {
    env = await redisEnv();
    scheduler = createScheduler({ connection: env.connection, redis: env.redis, prefix: env.prefix });
    closers = [];
    runs = [];
    scheduler.handle('handoff', handoff, async (data, ctx) => {
      runs.push({ data, ctx, at: Date.now() });
    });
  });

  afterEach(async () => {
    for (const c of closers) await c();
    await scheduler.close();
    await env.cleanup();
  });

  async function start() {
    const w = await startTimerWorker({ connection: env.connection, redis: env.redis, prefix: env.prefix, scheduler, log: silentLogger, retryBaseMs: 100 });
    closers.push(() => w.close());
    return w;
  }

  it('runs a one-off timer once, when due, with its payload', async () => {
    await start();
    const when = new Date(Date.now() + 400);
    await scheduler.at('handoff', 'rot-1', when, { rotation: 'primary' });
    await scheduler.at('handoff', 'rot-1', when, { rotation: 'primary' });
    await until('run', () => runs.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(runs).toHaveLength(1);
    expect(runs[0]!.data).toEqual({ rotation: 'primary' });
    expect(runs[0]!.ctx).toMatchObject({ kind: 'handoff', id: 'rot-1', attempt: 1 });
    expect(runs[0]!.ctx.scheduledFor.getTime()).toBe(when.getTime());
    expect(runs[0]!.at).toBeGreaterThanOrEqual(when.getTime() - 20);
  });

  it('moves a timer when it is scheduled again for another time', async () => {
    await start();
    await scheduler.at('handoff', 'rot-2', new Date(Date.now() + 300), { rotation: 'early' });
    const later = new Date(Date.now() + 900);
    await scheduler.at('handoff', 'rot-2', later, { rotation: 'late' });
    await until('run', () => runs.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(runs.map((r) => r.data)).toEqual([{ rotation: 'late' }]);
    expect(runs[0]!.at).toBeGreaterThanOrEqual(later.getTime() - 20);
  });

  it('cancels a pending timer', async () => {
    await start();
    await scheduler.at('handoff', 'rot-3', new Date(Date.now() + 300), { rotation: 'x' });
    // The pointer lives under Day2's key prefix.
    expect(await env.connection.exists(`${env.name}:timer:handoff:rot-3`)).toBe(1);
    expect(await scheduler.cancel('handoff', 'rot-3')).toBe(true);
    expect(await env.connection.exists(`${env.name}:timer:handoff:rot-3`)).toBe(0);
    expect(await scheduler.cancel('handoff', 'rot-3')).toBe(false);
    await new Promise((r) => setTimeout(r, 700));
    expect(runs).toHaveLength(0);
  });

  it('does not run a superseded job even if it could not be removed in time', async () => {
    await scheduler.at('handoff', 'rot-4', new Date(Date.now() - 1000), { rotation: 'old' });
    // Simulate the race: the pointer moves on while the old job stays queued.
    await env.redis.set('timer:handoff:rot-4', 't-elsewhere');
    await start();
    await new Promise((r) => setTimeout(r, 500));
    expect(runs).toHaveLength(0);
  });

  it('refuses bad payloads when scheduling and fails bad payloads at run time without retrying', async () => {
    await expect(scheduler.at('handoff', 'rot-5', new Date(), { rotation: 5 })).rejects.toThrow(/invalid payload/);
    // Scheduled by a process that had no handler registered for the kind:
    const other = createScheduler({ connection: env.connection, redis: env.redis, prefix: env.prefix });
    await other.at('handoff', 'rot-5', new Date(), { nope: true });
    await other.close();
    await start();
    const { Queue } = await import('bullmq');
    const q = new Queue('timers', { connection: env.connection, prefix: env.prefix });
    await until('failed', async () => (await q.getJobCounts('failed')).failed === 1);
    const [job] = await q.getFailed();
    expect(job?.failedReason).toMatch(/invalid payload/);
    expect(job?.attemptsMade).toBe(1);
    await q.close();
    expect(runs).toHaveLength(0);
  });

  it('retries a handler that throws', async () => {
    let calls = 0;
    scheduler.handle('flaky', z.object({}), async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
    });
    await start();
    await scheduler.at('flaky', 'f-1', new Date(), {});
    await until('second call', () => calls === 2);
    // Succeeded on the retry: the pointer is released, so cancelling finds nothing.
    await until('released', async () => (await env.redis.exists('timer:flaky:f-1')) === 0);
  });

  it('rejects invalid zones and cron patterns for recurring schedules, and registers valid ones', async () => {
    await expect(scheduler.every('standup', { pattern: '0 9 * * 1-5', tz: 'Europe/Berlinn' }, 'handoff', { rotation: 'x' })).rejects.toThrow(/not an IANA time zone/);
    await expect(scheduler.every('standup', { pattern: 'every day', tz: 'Europe/Berlin' }, 'handoff', { rotation: 'x' })).rejects.toThrow(/cron pattern/);
    await expect(scheduler.every('bad:id', { pattern: '0 9 * * *', tz: 'UTC' }, 'handoff', { rotation: 'x' })).rejects.toThrow(/must match/);
    await scheduler.every('standup', { pattern: '0 9 * * 1-5', tz: 'Europe/Berlin' }, 'handoff', { rotation: 'x' });
    await scheduler.every('standup', { pattern: '0 10 * * 1-5', tz: 'Europe/Berlin' }, 'handoff', { rotation: 'x' });
    const list = await scheduler.schedules();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 'standup', kind: 'handoff', pattern: '0 10 * * 1-5', tz: 'Europe/Berlin' });
    // 10:00 in Berlin is 08:00 or 09:00 UTC depending on DST.
    expect([8, 9]).toContain(list[0]!.next!.getUTCHours());
    expect(await scheduler.stopEvery('standup')).toBe(true);
    expect(await scheduler.schedules()).toEqual([]);
  });

  it('fires recurring schedules through the registered handler', async () => {
    await start();
    await scheduler.every('tick', { pattern: '* * * * * *', tz: 'UTC' }, 'handoff', { rotation: 'tick' });
    await until('two ticks', () => runs.length >= 2, 5000);
    expect(runs[0]!.ctx).toMatchObject({ kind: 'handoff', id: 'tick' });
    expect(runs[0]!.ctx.scheduledFor.getUTCMilliseconds()).toBe(0);
    await scheduler.stopEvery('tick');
  });

  it('reports queue depths per queue and state', async () => {
    await scheduler.at('handoff', 'later-1', new Date(Date.now() + 60_000), { rotation: 'a' });
    await scheduler.at('handoff', 'later-2', new Date(Date.now() + 60_000), { rotation: 'b' });
    const probe = createQueueDepthProbe({ connection: env.connection, prefix: env.prefix });
    closers.push(() => probe.close());
    const depths = await probe.queueDepths();
    expect(depths).toContainEqual({ queue: 'timers', state: 'delayed', count: 2 });
    expect(depths).toContainEqual({ queue: 'delivery', state: 'waiting', count: 0 });
    const metrics = createMetrics({ defaultMetrics: false });
    recordQueueDepths(metrics, depths);
    expect(await metrics.registry.metrics()).toContain('day2_queue_depth{queue="timers",state="delayed"} 2');
  });
});
