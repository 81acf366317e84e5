/**
 * Cadence firing against the real Redis with real BullMQ timer workers: two "processes" (each its
 * own scheduler, timer worker and cadence service on one prefix) announce an occurrence once;
 * a bot that was down announces late within the grace window and records it missed beyond it;
 * reminders fire before; RSVPs queue a new revision; a skip cancels the pending timer.
 *
 * Occurrences are brought to "in a second" with single-occurrence moves, so nothing waits for a
 * wall-clock minute. Deliveries are checked on the real delivery queue (jobs and outbox).
 */
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Cadence } from '../../../src/domain/cadence/model.js';
import { nextOccurrences } from '../../../src/domain/cadence/occurrences.js';
import { createCadenceService, type CadenceService } from '../../../src/services/cadence/service.js';
import { createDeliveryService, type DeliveryService } from '../../../src/delivery/service.js';
import { QUEUES } from '../../../src/delivery/queues.js';
import { createScheduler, startTimerWorker, type Scheduler } from '../../../src/delivery/scheduler.js';
import { silentLogger } from '../../../src/log.js';
import { createRenderer } from '../../../src/render/renderer.js';
import { createCadenceStore } from '../../../src/store/cadence/store.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Proc {
  scheduler: Scheduler;
  deliveries: DeliveryService;
  cadence: CadenceService;
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

let env: RedisEnv;
let procs: Proc[];
let deliveryQueue: Queue;
let settings: { graceMs: number; lateAfterMs: number };

beforeEach(async () => {
  env = await redisEnv();
  procs = [];
  settings = { graceMs: 60 * 60_000, lateAfterMs: 60_000 };
  deliveryQueue = new Queue(QUEUES.delivery, { connection: env.connection, prefix: env.prefix });
});

afterEach(async () => {
  for (const p of procs) await p.close();
  await deliveryQueue.close();
  await env.cleanup();
});

async function proc(): Promise<Proc> {
  const renderer = await createRenderer();
  const scheduler = createScheduler({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  const deliveries = createDeliveryService({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  const cadence = createCadenceService({
    store: createCadenceStore(env.redis),
    scheduler,
    deliveries,
    renderer,
    settings: () => ({ calendars: {}, ...settings }),
    log: silentLogger,
  });
  let worker: { close(): Promise<void> } | undefined;
  const p: Proc = {
    scheduler,
    deliveries,
    cadence,
    async startWorker() {
      worker = await startTimerWorker({ connection: env.connection, redis: env.redis, prefix: env.prefix, scheduler, log: silentLogger, retryBaseMs: 100 });
    },
    async close() {
      await worker?.close();
      await scheduler.close();
      await deliveries.close();
    },
  };
  procs.push(p);
  return p;
}

function cadence(over: Partial<Cadence> = {}): Cadence {
  return {
    name: 'platform-sync',
    kind: 'meeting',
    schedule: 'daily',
    rule: 'FREQ=DAILY',
    // Half a day away from now, so no regular slot falls inside a test's window or the grace period.
    time: { hour: (new Date().getUTCHours() + 12) % 24, minute: 0 },
    zone: 'UTC',
    start: '2026-01-01',
    channels: [
      { platform: 'slack', channelId: 'C0OPS' },
      { platform: 'mattermost', channelId: 'abcdefghijklmnopqrstuvwxyz' },
    ],
    reminders: [],
    duration: '1h',
    blocking: false,
    environments: [],
    invite: [],
    paused: false,
    skips: [],
    moves: {},
    source: 'chat',
    createdBy: 'alice',
    createdAt: new Date().toISOString(),
    agenda: [],
    ...over,
  };
}

/** The cadence with its next occurrence moved to `at`; returns it with that occurrence's id. */
function movedNext(c: Cadence, at: Date): { c: Cadence; occ: string } {
  const next = nextOccurrences({ rule: c.rule, time: c.time, zone: c.zone, start: c.start }, new Date(), 1)[0]!;
  return { c: { ...c, moves: { [next.id]: at.toISOString() } }, occ: next.id };
}

async function jobsFor(key: string) {
  const jobs = await deliveryQueue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized']);
  return jobs.filter((j) => (j.data as { key: string }).key === key);
}

describe('cadence firing', () => {
  it('announces an occurrence once with two processes planning and running it', async () => {
    const a = await proc();
    const b = await proc();
    const { c, occ } = movedNext(cadence({ agenda: [{ id: 'i1', text: 'Redis 7 upgrade', by: 'alice', at: new Date().toISOString() }] }), new Date(Date.now() + 1500));
    await a.cadence.create(c);
    await b.cadence.plan(c.name);
    await a.cadence.plan(c.name);
    await a.startWorker();
    await b.startWorker();
    await until('fired', async () => (await a.cadence.store.occurrences.get(`${c.name}.${occ}`))?.value.status === 'fired');
    await sleep(800);
    const jobs = await jobsFor(`cadence-${c.name}-${occ}`);
    // One job per channel, revision 1, never two.
    expect(jobs.map((j) => `${(j.data as { target: { platform: string } }).target.platform}:r${(j.data as { revision: number }).revision}`).sort()).toEqual(['mattermost:r1', 'slack:r1']);
    const message = (jobs[0]!.data as { message: { body: string; buttons: { actionId: string }[] } }).message;
    expect(message.body).toContain('Redis 7 upgrade');
    expect(message.buttons.map((x) => x.actionId)).toEqual(['cadenceGoing', 'cadenceMaybe', 'cadenceNotGoing']);
    const state = (await a.cadence.store.occurrences.get(`${c.name}.${occ}`))!.value;
    expect(state.late).toBe(false);
    expect(state.agenda.map((x) => x.text)).toEqual(['Redis 7 upgrade']);
    // The agenda was archived with the occurrence, and the next occurrence is planned.
    const after = (await a.cadence.store.cadences.get(c.name))!.value;
    expect(after.agenda).toEqual([]);
    expect(after.planned?.occurrence).not.toBe(occ);
    expect(after.planned).toBeDefined();
  });

  it('a restarted bot fires a passed occurrence late within the grace window, once', async () => {
    settings.lateAfterMs = 200;
    const a = await proc();
    const { c, occ } = movedNext(cadence(), new Date(Date.now() + 300));
    await a.cadence.create(c);
    await sleep(900); // "down" past the time
    await a.startWorker();
    await until('fired', async () => (await a.cadence.store.occurrences.get(`${c.name}.${occ}`))?.value.status === 'fired');
    const state = (await a.cadence.store.occurrences.get(`${c.name}.${occ}`))!.value;
    expect(state.late).toBe(true);
    const jobs = await jobsFor(`cadence-${c.name}-${occ}`);
    expect(jobs).toHaveLength(2);
    expect((jobs[0]!.data as { message: { title: string } }).message.title).toContain('(late)');
    // Planning again (another restart) does not announce it again.
    await a.cadence.plan(c.name);
    await sleep(400);
    expect(await jobsFor(`cadence-${c.name}-${occ}`)).toHaveLength(2);
  });

  it('records an occurrence missed when the bot comes back after the grace window, and posts nothing', async () => {
    settings.graceMs = 300;
    const a = await proc();
    const { c, occ } = movedNext(cadence(), new Date(Date.now() + 200));
    await a.cadence.create(c);
    await sleep(1000);
    await a.startWorker();
    await until('recorded', async () => (await a.cadence.store.occurrences.get(`${c.name}.${occ}`)) !== undefined);
    await sleep(300);
    expect((await a.cadence.store.occurrences.get(`${c.name}.${occ}`))!.value.status).toBe('missed');
    expect(await jobsFor(`cadence-${c.name}-${occ}`)).toHaveLength(0);
  });

  it('records every occurrence that passed while down for days as missed, then plans the next', async () => {
    const a = await proc();
    const now = new Date();
    const fiveDaysAgo = new Date(now.getTime() - 5 * 86_400_000);
    const c = cadence({ start: '2026-01-01', lastHandledAt: fiveDaysAgo.toISOString(), createdAt: new Date(now.getTime() - 30 * 86_400_000).toISOString() });
    await a.cadence.store.cadences.put(c.name, c);
    await a.cadence.plan(c.name);
    const missed = (await a.cadence.store.occurrences.list()).filter((s) => s.value.status === 'missed');
    // Daily: the 4 or 5 slots between five days ago and an hour ago (grace) are recorded missed.
    expect(missed.length).toBeGreaterThanOrEqual(4);
    expect(missed.length).toBeLessThanOrEqual(5);
    const planned = (await a.cadence.store.cadences.get(c.name))!.value.planned!;
    expect(new Date(planned.at).getTime()).toBeGreaterThan(now.getTime() - settings.graceMs);
  });

  it('a cadence created just after a slot starts with the next one (no late post of the slot it missed)', async () => {
    const a = await proc();
    await a.startWorker();
    // Daily at the current UTC hour: today's slot passed minutes ago, well within the grace window.
    const hour = new Date().getUTCHours();
    const c = cadence({ name: 'fresh', time: { hour, minute: 0 } });
    await a.cadence.create(c);
    const planned = (await a.cadence.store.cadences.get('fresh'))!.value.planned!;
    expect(new Date(planned.at).getTime()).toBeGreaterThan(Date.now());
    await sleep(500);
    expect(await a.cadence.store.occurrences.list()).toEqual([]);
  });

  it('sends a reminder before the occurrence', async () => {
    const a = await proc();
    await a.startWorker();
    const { c, occ } = movedNext(cadence({ reminders: ['1m'] }), new Date(Date.now() + 61_000));
    await a.cadence.create(c);
    await until('reminder', async () => (await jobsFor(`cadence-${c.name}-${occ}-r1m`)).length === 2);
    const job = (await jobsFor(`cadence-${c.name}-${occ}-r1m`))[0]!;
    expect((job.data as { message: { title: string } }).message.title).toContain('Reminder');
    expect(await a.cadence.store.occurrences.get(`${c.name}.${occ}`)).toBeUndefined();
  });

  it('an RSVP queues the next revision of the announcement with the new count', async () => {
    const a = await proc();
    await a.startWorker();
    const { c, occ } = movedNext(cadence(), new Date(Date.now() + 300));
    await a.cadence.create(c);
    await until('fired', async () => (await a.cadence.store.occurrences.get(`${c.name}.${occ}`))?.value.status === 'fired');
    await a.cadence.rsvp(c.name, occ, { key: 'person:alice', name: 'Alice', roles: ['pre'] }, 'going');
    await a.cadence.rsvp(c.name, occ, { key: 'person:alice', name: 'Alice', roles: ['pre'] }, 'going'); // same answer: no new revision
    await a.cadence.rsvp(c.name, occ, { key: 'person:bob', name: 'Bob', roles: [] }, 'maybe');
    const jobs = await jobsFor(`cadence-${c.name}-${occ}`);
    const revisions = [...new Set(jobs.map((j) => (j.data as { revision: number }).revision))].sort();
    expect(revisions).toEqual([1, 2, 3]);
    const last = jobs.find((j) => (j.data as { revision: number }).revision === 3)!;
    const fields = (last.data as { message: { fields: { label: string; value: string }[] } }).message.fields;
    expect(fields.find((f) => f.label === 'Going')?.value).toBe('1');
    expect(fields.find((f) => f.label === 'Maybe')?.value).toBe('1');
  });

  it('a skip cancels the pending announcement', async () => {
    const a = await proc();
    await a.startWorker();
    const { c, occ } = movedNext(cadence(), new Date(Date.now() + 800));
    await a.cadence.create(c);
    await a.cadence.change(c.name, (cur) => ({ ...cur, skips: [occ], moves: {} }));
    await sleep(1500);
    expect(await a.cadence.store.occurrences.get(`${c.name}.${occ}`)).toBeUndefined();
    expect(await jobsFor(`cadence-${c.name}-${occ}`)).toHaveLength(0);
  });

  it('reminds an open action item in the channels until it is done', async () => {
    const a = await proc();
    await a.startWorker();
    const { c, occ } = movedNext(cadence(), new Date(Date.now() + 200));
    await a.cadence.create(c);
    await until('fired', async () => (await a.cadence.store.occurrences.get(`${c.name}.${occ}`))?.value.status === 'fired');
    const item = await a.cadence.addAction(c.name, occ, { owner: 'person:alice', text: 'Write the Redis 7 plan', by: 'bob' }, new Date(Date.now() + 300));
    expect(item.id).toBe(`${occ}-1`);
    await until('reminder', async () => (await jobsFor(`cadence-${c.name}-act-${item.id}-1`)).length === 2);
    const job = (await jobsFor(`cadence-${c.name}-act-${item.id}-1`))[0]!;
    expect((job.data as { message: { body: string } }).message.body).toContain('<@person:alice>');
    // The next reminder is set for a day later; done cancels it.
    expect(await env.redis.exists(`timer:cadence-action:${c.name}.${item.id}`)).toBe(1);
    expect((await a.cadence.completeAction(c.name, item.id))?.done).toBe(true);
    expect(await env.redis.exists(`timer:cadence-action:${c.name}.${item.id}`)).toBe(0);
    expect(await a.cadence.completeAction(c.name, `${occ}-9`)).toBeUndefined();
  });

  it('asks for lessons learned in the channels and from each participant once an exercise is over', async () => {
    const a = await proc();
    await a.startWorker();
    // Started 58 s ago (announced late) and one minute long: over in 2 s, after the answers below.
    const { c, occ } = movedNext(cadence({ kind: 'exercise', invite: ['pre'], duration: '1m' }), new Date(Date.now() - 58_000));
    await a.cadence.store.cadences.put(c.name, { ...c, createdAt: new Date(Date.now() - 3600_000).toISOString() });
    await a.cadence.plan(c.name);
    await until('fired', async () => (await a.cadence.store.occurrences.get(`${c.name}.${occ}`))?.value.status === 'fired');
    await a.cadence.rsvp(c.name, occ, { key: 'person:bob', name: 'Bob', roles: ['pre'], user: { platform: 'slack', id: 'U0BOB0001' } }, 'going');
    await a.cadence.rsvp(c.name, occ, { key: 'person:carol', name: 'Carol', roles: [], user: { platform: 'mattermost', id: 'carolid' } }, 'not-going');
    await until('lessons prompt', async () => (await jobsFor(`cadence-${c.name}-${occ}-lessons`)).length > 0);
    await sleep(300);
    const targets = (await jobsFor(`cadence-${c.name}-${occ}-lessons`)).map((j) => JSON.stringify((j.data as { target: unknown }).target)).sort();
    expect(targets).toEqual([
      JSON.stringify({ platform: 'mattermost', channelId: 'abcdefghijklmnopqrstuvwxyz' }),
      JSON.stringify({ platform: 'slack', channelId: 'C0OPS' }),
      JSON.stringify({ platform: 'slack', userId: 'U0BOB0001' }),
    ].sort());
  });

  it('exposes blocking occurrences for release coordination', async () => {
    const a = await proc();
    await a.cadence.store.cadences.put('upgrade', cadence({ name: 'upgrade', blocking: true, environments: ['prod'], duration: '2h' }));
    await a.cadence.store.cadences.put('sync', cadence({ name: 'sync' }));
    const from = new Date();
    const to = new Date(from.getTime() + 3 * 86_400_000);
    const prod = await a.cadence.blockingEvents('prod', from, to);
    expect(prod.length).toBeGreaterThanOrEqual(2);
    expect(prod.every((e) => e.cadence === 'upgrade' && e.end.getTime() - e.start.getTime() === 2 * 3600_000 && e.owner === 'cadence')).toBe(true);
    expect(await a.cadence.blockingEvents('staging', from, to)).toEqual([]);
  });
});
