/**
 * The delivery queue: every outbound post, reply, DM and edit goes through it, so pacing,
 * retries and "never twice" live in one place. Producers call `enqueue`; each bot process runs
 * one delivery worker (startDeliveryWorker). See delivery-processor.ts for what a job does.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import type { ChatAdapter, Platform } from '../chat/port.js';
import type { Metrics } from '../metrics.js';
import type { Logger } from '../log.js';
import { createOutbox, type OutboxEntry, type OutboxOptions } from './outbox.js';
import { createPacer } from './pacing.js';
import { platformRate } from '../domain/delivery/config.js';
import type { RedisClient } from '../store/redis.js';
import { confirmWrites } from '../store/redis-durability.js';
import { createDeliveryProcessor } from './processor.js';
import { deliveryJobId, deliveryRequestSchema, type DeliveryRequest } from './job.js';
import { QUEUES, assertWorkerConnection } from './queues.js';
import { NOT_RUNNING, liveConsole, routeOf, type DeliveryRouting } from './routing.js';
import { startConsoleDeliveryWorker } from './console-worker.js';

export type { DeliveryRequest, DeliveryTarget } from './job.js';
export type { OutboxEntry } from './outbox.js';
export type { DeliveryOutcome } from './processor.js';

export interface DeliveryService {
  /**
   * Queue deliveries. Idempotent: the same (key, target, revision) twice gives one job, and one
   * that is already delivered gives none. Asking again for a revision that failed for good retries it.
   */
  enqueue(requests: DeliveryRequest[]): Promise<void>;
  /** Per target of `key`: pending / delivered / failed, the copy's ref, revisions, error reason. */
  status(key: string): Promise<OutboxEntry[]>;
  /** Close the producer's queue handle (the connections stay open; they belong to the caller). */
  close(): Promise<void>;
}

export interface DeliveryConnections {
  /** Plain connection (no keyPrefix) for BullMQ. Workers need maxRetriesPerRequest: null. */
  connection: RedisClient;
  /** Key-prefixed connection for the outbox and pacing keys. */
  redis: RedisClient;
  /** BullMQ prefix: queuePrefix(config.redisPrefix). */
  prefix: string;
  outbox?: OutboxOptions;
  /** Decide per request, when it is queued, which queue takes it or that it is not sent (routing.ts). */
  routing?: DeliveryRouting;
}

/**
 * Jobs carry a generous attempts ceiling; the worker's own `attempts` (from config) decides when
 * to give up, so changing the config needs no re-queueing. Backoff is the worker's strategy.
 */
const JOB_ATTEMPTS_CEILING = 50;
const BACKOFF_TYPE = 'delivery';

export function createDeliveryService(opts: DeliveryConnections): DeliveryService {
  const outbox = createOutbox(opts.redis, opts.outbox);
  const queues = new Map<string, Queue>();
  const queueOf = (name: string): Queue => {
    let queue = queues.get(name);
    if (queue) return queue;
    queue = new Queue(name, {
      connection: opts.connection,
      prefix: opts.prefix,
      defaultJobOptions: {
        attempts: JOB_ATTEMPTS_CEILING,
        backoff: { type: BACKOFF_TYPE },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
      },
    });
    queue.on('error', () => {
      // Connection errors surface on the calls that hit them; without a listener Node would crash.
    });
    queues.set(name, queue);
    return queue;
  };
  queueOf(QUEUES.delivery);

  // A target nobody here can reach is recorded once, as not sent, instead of queued to fail.
  const skip = async (req: DeliveryRequest, reason: string) => {
    if (!(await outbox.request(req.key, req.target, req.revision))) return;
    await outbox.change(req.key, req.target, (cur) => ({ ...cur, failed: { revision: req.revision, code: NOT_RUNNING, reason, at: Date.now() } }));
  };

  return {
    async enqueue(requests) {
      const unique = new Map<string, DeliveryRequest>();
      for (const raw of requests) {
        const parsed = deliveryRequestSchema.safeParse(raw);
        if (!parsed.success) throw new Error(`invalid delivery request: ${z.prettifyError(parsed.error)}`);
        const jobId = deliveryJobId(parsed.data);
        if (!unique.has(jobId)) unique.set(jobId, parsed.data);
      }
      // Without a console of our own, console targets go to the console running elsewhere.
      const needsConsole = opts.routing && !opts.routing.consoleOwner && [...unique.values()].some((r) => r.target.platform === 'console');
      const elsewhere = needsConsole ? await liveConsole(opts.redis) : undefined;
      // Each request touches its own outbox entry, so they are prepared side by side (ioredis
      // pipelines them): a fan-out's first copies then go out without waiting for the last.
      const prepared = await Promise.all(
        [...unique].map(async ([jobId, req]) => {
          const route = routeOf(req, opts.routing, elsewhere);
          if ('skip' in route) return skip(req, route.skip);
          const queue = queueOf(route.queue);
          const before = await outbox.load(req.key, req.target);
          if (!(await outbox.request(req.key, req.target, req.revision))) return undefined;
          if (before?.value.failed && before.value.failed.revision <= req.revision) {
            // A job that failed for good keeps its id in the failed set; clear it so this one runs.
            const old = await queue.getJob(jobId);
            if (old && (await old.isFailed())) await old.remove();
          }
          return { queue, job: { name: 'deliver', data: req, opts: { jobId } } };
        }),
      );
      const byQueue = new Map<Queue, { name: string; data: DeliveryRequest; opts: { jobId: string } }[]>();
      for (const p of prepared) if (p) byQueue.set(p.queue, [...(byQueue.get(p.queue) ?? []), p.job]);
      if (byQueue.size === 0) return;
      for (const [queue, jobs] of byQueue) await queue.addBulk(jobs);
      // The queue shares this connection; wait for a replica so a failover cannot drop the jobs.
      await confirmWrites(opts.connection);
    },
    status: (key) => outbox.entries(key),
    close: async () => {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}

export interface DeliveryWorkerOptions extends DeliveryConnections {
  adapters: Map<Platform, ChatAdapter>;
  metrics: Metrics;
  log: Logger;
  /** Minimum gap between two messages to one channel (config delivery.perChannelIntervalMs). */
  perChannelIntervalMs: number;
  /**
   * Messages per second per platform (config delivery.perPlatformPerSecond): one rate for every
   * platform, or a rate per platform (a platform left out gets the default, 20).
   */
  perPlatformPerSecond: number | Partial<Record<Platform, number>>;
  /** Messages a platform may take at once above its rate (config delivery.burst). Default 0. */
  burst?: number;
  /** Platform calls per message before giving up on retryable errors (config delivery.attempts). */
  attempts: number;
  /**
   * Jobs handled at once by this process. Default: enough for about a second of messages at the
   * running platforms' rates, plus 8 (jobs mostly wait on HTTP or sleep until their slot).
   */
  concurrency?: number;
  /** First retry delay; doubles per attempt up to 10 minutes. Default 1000 ms. */
  retryBaseMs?: number;
  /**
   * BullMQ job lock; a job whose worker died is retried once the lock has expired and a stalled
   * check ran. Also the lease on an in-flight send. Default 30 000 ms.
   */
  lockDurationMs?: number;
  /** How often this worker looks for jobs of dead workers. Default 30 000 ms. */
  stalledIntervalMs?: number;
  /** How long a reply waits for its parent before failing. Default 1 hour. */
  parentWaitMs?: number;
}

export interface DeliveryWorker {
  /** Stop taking jobs and wait for the ones in flight. */
  close(): Promise<void>;
}

/** About a second's worth of messages at the running platforms' rates, plus 8; 16 to 512. */
function defaultConcurrency(opts: DeliveryWorkerOptions): number {
  const perSecond = [...opts.adapters.keys()].reduce((sum, p) => sum + platformRate(opts.perPlatformPerSecond, p), 0);
  return Math.min(512, Math.max(16, Math.ceil(perSecond) + 8));
}

export async function startDeliveryWorker(opts: DeliveryWorkerOptions): Promise<DeliveryWorker> {
  assertWorkerConnection(opts.connection, 'startDeliveryWorker');
  const lockDuration = opts.lockDurationMs ?? 30_000;
  const retryBaseMs = opts.retryBaseMs ?? 1000;
  const processor = createDeliveryProcessor({
    outbox: createOutbox(opts.redis, opts.outbox),
    pacer: createPacer(opts.redis, {
      channelIntervalMs: opts.perChannelIntervalMs,
      platformIntervalMs: (platform) => Math.ceil(1000 / Math.max(1, platformRate(opts.perPlatformPerSecond, platform))),
      burst: opts.burst ?? 0,
    }),
    adapters: opts.adapters,
    metrics: opts.metrics,
    log: opts.log,
    attempts: opts.attempts,
    leaseMs: lockDuration,
    parentWaitMs: opts.parentWaitMs ?? 3600_000,
  });
  const worker = new Worker(QUEUES.delivery, (job: Job, token?: string) => processor(job, token), {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency ?? defaultConcurrency(opts),
    lockDuration,
    stalledInterval: opts.stalledIntervalMs ?? 30_000,
    // A crashed process leaves its jobs stalled; being restarted a few times is no reason to fail.
    maxStalledCount: 5,
    settings: {
      backoffStrategy: (attemptsMade: number) => Math.min(retryBaseMs * 2 ** Math.max(0, attemptsMade - 1), 10 * 60_000),
    },
  });
  worker.on('error', (err) => opts.log.error({ err }, 'delivery worker error'));
  worker.on('failed', (job, err) => {
    if (job && job.attemptsMade < (job.opts.attempts ?? 1) && err.name !== 'UnrecoverableError') return;
    opts.log.warn({ job: job?.id, err: err.message }, 'delivery job failed');
  });
  await worker.waitUntilReady();
  const owner = opts.routing?.consoleOwner;
  const consoleWorker = owner
    ? await startConsoleDeliveryWorker({ ...opts, owner, lockDurationMs: lockDuration, parentWaitMs: opts.parentWaitMs ?? 3600_000, log: opts.log.child({ console: owner }) })
    : undefined;
  return {
    close: async () => {
      await Promise.all([worker.close(), consoleWorker?.close()]);
    },
  };
}
