/**
 * How many jobs each Day2 queue holds, by state, for the `day2_queue_depth` gauge. A growing
 * `delayed` delivery count means pacing or 429s; a growing `failed` count needs a look.
 *
 * The gauge is refreshed in the background (`startQueueDepthRefresh`), never by a scrape: a
 * scrape that waited on Redis would hang for as long as Redis is away, and the monitoring
 * would lose every other metric exactly when it matters. `day2_queue_depth_age_seconds` says
 * how old the last reading is.
 */
import { Queue } from 'bullmq';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { RedisClient } from '../store/redis.js';
import { QUEUES, type QueueName } from './queues.js';

export const DEPTH_STATES = ['waiting', 'delayed', 'active', 'prioritized', 'failed'] as const;
export type DepthState = (typeof DEPTH_STATES)[number];

export interface QueueDepth {
  queue: QueueName;
  state: DepthState;
  count: number;
}

export interface QueueDepthProbe {
  queueDepths(): Promise<QueueDepth[]>;
  close(): Promise<void>;
}

export function createQueueDepthProbe(opts: { connection: RedisClient; prefix: string }): QueueDepthProbe {
  const queues = Object.values(QUEUES).map((name) => {
    const q = new Queue(name, { connection: opts.connection, prefix: opts.prefix });
    q.on('error', () => {
      // Surfaces through queueDepths(); the listener keeps Node from crashing.
    });
    return { name, q };
  });
  return {
    async queueDepths() {
      const out: QueueDepth[] = [];
      for (const { name, q } of queues) {
        const counts = await q.getJobCounts(...DEPTH_STATES.map((s) => (s === 'waiting' ? 'wait' : s)));
        for (const state of DEPTH_STATES) out.push({ queue: name, state, count: counts[state === 'waiting' ? 'wait' : state] ?? 0 });
      }
      return out;
    },
    async close() {
      await Promise.all(queues.map(({ q }) => q.close()));
    },
  };
}

/** Copy a probe's reading into the gauge and mark it fresh. */
export function recordQueueDepths(metrics: Metrics, depths: QueueDepth[]): void {
  for (const d of depths) metrics.queueDepth.set({ queue: d.queue, state: d.state }, d.count);
  metrics.queueDepthsRead();
}

export const DEFAULT_DEPTH_INTERVAL_MS = 15_000;

export interface QueueDepthRefresh {
  /** Read now (also what the timer does); resolves when this reading is recorded or failed. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Read the depths now and then every `intervalMs`. One reading at a time: while Redis is away
 * a reading can wait until it is back, and readings must not pile up behind it meanwhile.
 */
export function startQueueDepthRefresh(opts: { probe: QueueDepthProbe; metrics: Metrics; log: Logger; intervalMs?: number }): QueueDepthRefresh {
  let running: Promise<void> | undefined;
  let failing = false;
  const refresh = () =>
    (running ??= opts.probe
      .queueDepths()
      .then((depths) => {
        recordQueueDepths(opts.metrics, depths);
        if (failing) opts.log.info('queue depths readable again');
        failing = false;
      })
      .catch((err: unknown) => {
        // Logged once per outage, not once per interval.
        if (!failing) opts.log.warn({ err }, 'could not read queue depths; /metrics keeps the last reading');
        failing = true;
      })
      .finally(() => {
        running = undefined;
      }));
  void refresh();
  const timer = setInterval(() => void refresh(), opts.intervalMs ?? DEFAULT_DEPTH_INTERVAL_MS);
  // Never the reason the process stays up.
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}
