/**
 * Timers for later features (rotation hand-offs, reminders, cadence): one BullMQ queue, `timers`.
 *
 *   scheduler.at(kind, id, when, data)   one-off timer; (kind, id) names it, so scheduling it again
 *                                        moves it and cancel(kind, id) stops it
 *   scheduler.every(id, { pattern, tz }, kind, data)   recurring, on a cron pattern in an IANA zone
 *   scheduler.handle(kind, schema, handler)            what to run; payloads are checked with zod
 *
 * A one-off timer is a delayed job whose id is built from (kind, id, time), plus a pointer
 * `timer:<kind>:<id>` naming the job that currently stands for it. Moving or cancelling a timer
 * rewrites the pointer and removes the old job when it can; a job that fires without being the
 * pointer's job (removal raced with firing) does nothing. So at most the latest schedule runs.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { RedisClient } from '../store/redis.js';
import { isValidZone } from '../time/zone.js';
import { jobId } from './job-id.js';
import { QUEUES, assertWorkerConnection } from './queues.js';

export interface TimerContext {
  kind: string;
  /** The timer id (one-off) or the schedule id (recurring). */
  id: string;
  /** When it was due. */
  scheduledFor: Date;
  /** 1 on the first try. */
  attempt: number;
  log: Logger;
}

export type TimerHandler<T> = (data: T, ctx: TimerContext) => Promise<void>;

export interface Recurrence {
  /** Cron pattern, 5 fields or 6 with seconds first: `0 9 * * 1-5`. */
  pattern: string;
  /** IANA zone the pattern is read in: `Europe/Berlin`. */
  tz: string;
}

export interface Scheduler {
  /** Run `kind`'s handler with `data` at `when` (now if past). Idempotent; a different `when` moves it. */
  at(kind: string, id: string, when: Date, data: unknown): Promise<void>;
  /** Resolves true when a pending timer was cancelled. */
  cancel(kind: string, id: string): Promise<boolean>;
  /** Create or replace the recurring schedule `id`. */
  every(id: string, recurrence: Recurrence, kind: string, data: unknown): Promise<void>;
  /** Resolves true when the schedule existed. */
  stopEvery(id: string): Promise<boolean>;
  /** Register the handler for `kind`; payloads failing `schema` are refused at scheduling and at run time. */
  handle<S extends z.ZodType>(kind: string, schema: S, handler: TimerHandler<z.output<S>>): void;
  /** Next run time of each recurring schedule, for `/day2 status` style listings. */
  schedules(): Promise<{ id: string; kind: string; next?: Date; pattern?: string; tz?: string }[]>;
  close(): Promise<void>;
}

export interface SchedulerOptions {
  /** Plain connection (no keyPrefix) for BullMQ. */
  connection: RedisClient;
  /** Key-prefixed connection for the timer pointers. */
  redis: RedisClient;
  prefix: string;
}

const KIND = /^[a-z][a-z0-9-]{0,63}$/;
const ID = /^[A-Za-z0-9_.-]{1,200}$/;
/** Pointers outlive their timer by this much, then expire on their own. */
const POINTER_SLACK_MS = 30 * 24 * 3600 * 1000;

const envelopeSchema = z.union([
  z.object({ kind: z.string(), id: z.string(), at: z.number(), data: z.unknown() }),
  z.object({ kind: z.string(), every: z.string(), data: z.unknown() }),
]);
type Envelope = z.infer<typeof envelopeSchema>;

// KEYS: pointer. ARGV: jobId. Delete the pointer only if it still names this job.
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

interface Registered {
  schema: z.ZodType;
  handler: TimerHandler<unknown>;
}

/** Internal view the timer worker needs. */
interface SchedulerInternals {
  handlers: Map<string, Registered>;
  pointerKey(kind: string, id: string): string;
}

const internals = new WeakMap<Scheduler, SchedulerInternals>();

function check(what: string, value: string, re: RegExp): void {
  if (!re.test(value)) throw new Error(`timer ${what} ${JSON.stringify(value)} must match ${re.source}`);
}

function pointerKey(kind: string, id: string): string {
  return `timer:${kind}:${id}`;
}

function createTimerQueue(opts: SchedulerOptions): Queue {
  const queue = new Queue(QUEUES.timers, {
    connection: opts.connection,
    prefix: opts.prefix,
    defaultJobOptions: {
      attempts: 5,
      // Delay chosen by the worker (retryBaseMs), so it can change without re-queueing.
      backoff: { type: 'timer' },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600, count: 10_000 },
    },
  });
  queue.on('error', () => {
    // Errors reach the caller of the failing call; the listener keeps Node from crashing.
  });
  return queue;
}

/** Refuse a payload the kind's registered schema rejects; kinds without a handler yet pass. */
function validatePayload(handlers: Map<string, Registered>, kind: string, data: unknown): void {
  const reg = handlers.get(kind);
  if (!reg) return;
  const parsed = reg.schema.safeParse(data);
  if (!parsed.success) throw new Error(`timer ${kind}: invalid payload: ${z.prettifyError(parsed.error)}`);
}

/** Remove job `id` if it has not started; resolves true when it was removed. */
async function removeIfWaiting(queue: Queue, id: string): Promise<boolean> {
  const job = await queue.getJob(id);
  if (!job) return false;
  const state = await job.getState();
  if (state !== 'delayed' && state !== 'waiting' && state !== 'prioritized') return false;
  try {
    await job.remove();
    return true;
  } catch {
    // Picked up by a worker meanwhile: the pointer check stops it.
    return false;
  }
}

interface SchedulerState {
  opts: SchedulerOptions;
  queue: Queue;
  handlers: Map<string, Registered>;
}

async function scheduleAt(st: SchedulerState, kind: string, id: string, when: Date, data: unknown): Promise<void> {
  check('kind', kind, KIND);
  check('id', id, ID);
  const ms = when.getTime();
  if (!Number.isFinite(ms)) throw new Error(`timer ${kind}/${id}: invalid date`);
  validatePayload(st.handlers, kind, data);
  const jid = jobId('t', [kind, id, ms]);
  const ttl = Math.max(0, ms - Date.now()) + POINTER_SLACK_MS;
  // Point first, then add: if we die in between, no job stands for a pointer, which is harmless.
  const previous = (await st.opts.redis.call('SET', pointerKey(kind, id), jid, 'PX', String(ttl), 'GET')) as string | null;
  if (previous && previous !== jid) await removeIfWaiting(st.queue, previous);
  const envelope: Envelope = { kind, id, at: ms, data };
  await st.queue.add(kind, envelope, { jobId: jid, delay: Math.max(0, ms - Date.now()) });
}

async function cancelAt(st: SchedulerState, kind: string, id: string): Promise<boolean> {
  check('kind', kind, KIND);
  check('id', id, ID);
  const previous = (await st.opts.redis.call('GETDEL', pointerKey(kind, id))) as string | null;
  if (!previous) return false;
  await removeIfWaiting(st.queue, previous);
  return true;
}

async function scheduleEvery(st: SchedulerState, id: string, recurrence: Recurrence, kind: string, data: unknown): Promise<void> {
  check('schedule id', id, ID);
  check('kind', kind, KIND);
  // BullMQ stores a misspelled zone without complaint and then never fires; refuse it here.
  if (!isValidZone(recurrence.tz)) throw new Error(`schedule ${id}: "${recurrence.tz}" is not an IANA time zone (e.g. "Europe/Berlin")`);
  validatePayload(st.handlers, kind, data);
  const envelope: Envelope = { kind, every: id, data };
  try {
    await st.queue.upsertJobScheduler(id, { pattern: recurrence.pattern, tz: recurrence.tz }, { name: kind, data: envelope });
  } catch (e) {
    throw new Error(`schedule ${id}: cannot use cron pattern "${recurrence.pattern}": ${(e as Error).message}`, { cause: e });
  }
}

async function listSchedules(queue: Queue): ReturnType<Scheduler['schedules']> {
  const list = await queue.getJobSchedulers(0, -1, true);
  return list.map((s) => {
    const out: { id: string; kind: string; next?: Date; pattern?: string; tz?: string } = { id: s.id ?? s.key, kind: s.name };
    if (s.next !== undefined) out.next = new Date(s.next);
    if (s.pattern) out.pattern = s.pattern;
    if (s.tz) out.tz = s.tz;
    return out;
  });
}

export function createScheduler(opts: SchedulerOptions): Scheduler {
  const handlers = new Map<string, Registered>();
  const queue = createTimerQueue(opts);
  const st: SchedulerState = { opts, queue, handlers };

  const scheduler: Scheduler = {
    at: (kind, id, when, data) => scheduleAt(st, kind, id, when, data),
    cancel: (kind, id) => cancelAt(st, kind, id),
    every: (id, recurrence, kind, data) => scheduleEvery(st, id, recurrence, kind, data),
    stopEvery: (id) => queue.removeJobScheduler(id),

    handle(kind, schema, handler) {
      check('kind', kind, KIND);
      if (handlers.has(kind)) throw new Error(`timer kind "${kind}" already has a handler`);
      handlers.set(kind, { schema, handler: handler as TimerHandler<unknown> });
    },

    schedules: () => listSchedules(queue),
    close: () => queue.close(),
  };
  internals.set(scheduler, { handlers, pointerKey });
  return scheduler;
}

export interface TimerWorkerOptions {
  connection: RedisClient;
  redis: RedisClient;
  prefix: string;
  /** The scheduler whose handlers run here (register them before starting). */
  scheduler: Scheduler;
  log: Logger;
  /** Default 4. */
  concurrency?: number;
  /** First retry delay of a failing handler; doubles per attempt (5 attempts). Default 5000 ms. */
  retryBaseMs?: number;
  /** See DeliveryWorkerOptions.lockDurationMs. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export type TimerOutcome = 'ran' | 'superseded';

export async function startTimerWorker(opts: TimerWorkerOptions): Promise<{ close(): Promise<void> }> {
  assertWorkerConnection(opts.connection, 'startTimerWorker');
  const inner = internals.get(opts.scheduler);
  if (!inner) throw new Error('startTimerWorker needs a scheduler made by createScheduler');

  const process = async (job: Job): Promise<TimerOutcome> => {
    const parsed = envelopeSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid timer job: ${z.prettifyError(parsed.error)}`);
    const env = parsed.data;
    const id = 'every' in env ? env.every : env.id;
    const log = opts.log.child({ timer: env.kind, id, job: job.id });
    if (!('every' in env)) {
      const current = await opts.redis.get(inner.pointerKey(env.kind, env.id));
      if (current !== job.id) {
        log.debug('timer was moved or cancelled; not running');
        return 'superseded';
      }
    }
    const reg = inner.handlers.get(env.kind);
    if (!reg) throw new UnrecoverableError(`no handler for timer kind "${env.kind}"`);
    const payload = reg.schema.safeParse(env.data);
    if (!payload.success) throw new UnrecoverableError(`timer ${env.kind}/${id}: invalid payload: ${z.prettifyError(payload.error)}`);
    // Scheduler-made jobs carry their cron instant in opts.prevMillis.
    const scheduledFor = new Date('every' in env ? (job.opts.prevMillis ?? job.timestamp + job.delay) : env.at);
    await reg.handler(payload.data, { kind: env.kind, id, scheduledFor, attempt: job.attemptsMade + 1, log });
    if (!('every' in env)) await opts.redis.eval(RELEASE, 1, inner.pointerKey(env.kind, env.id), job.id ?? '');
    return 'ran';
  };

  const worker = new Worker(QUEUES.timers, process, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency ?? 4,
    lockDuration: opts.lockDurationMs ?? 30_000,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    maxStalledCount: 5,
    settings: {
      backoffStrategy: (attemptsMade: number) => (opts.retryBaseMs ?? 5000) * 2 ** Math.max(0, attemptsMade - 1),
    },
  });
  worker.on('error', (err) => opts.log.error({ err }, 'timer worker error'));
  worker.on('failed', (job, err) => opts.log.warn({ job: job?.id, err: err.message, attempt: job?.attemptsMade }, 'timer job failed'));
  await worker.waitUntilReady();
  return { close: () => worker.close() };
}
