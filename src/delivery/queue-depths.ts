/**
 * How many jobs each Day2 queue holds, by state, for the `day2_queue_depth` gauge. A growing
 * `delayed` delivery count means pacing or 429s; a growing `failed` count needs a look.
 */
import { Queue } from 'bullmq';
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

/** Copy a probe's reading into the gauge (call it from the gauge's collect or before a scrape). */
export function recordQueueDepths(metrics: Metrics, depths: QueueDepth[]): void {
  for (const d of depths) metrics.queueDepth.set({ queue: d.queue, state: d.state }, d.count);
}
