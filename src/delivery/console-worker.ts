/**
 * The worker of this process's console queue (see routing.ts). The console is one terminal, so
 * its messages are printed one at a time in the order they were queued, without the platforms'
 * pacing (nothing rate-limits a terminal). When the console closes, its queue goes with it: no
 * other process could ever print what is left in it.
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { ChatAdapter, Platform } from '../chat/port.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { RedisClient } from '../store/redis.js';
import { createOutbox, type OutboxOptions } from './outbox.js';
import type { Pacer } from './pacing.js';
import { createDeliveryProcessor } from './processor.js';
import { consoleQueueName, registerConsole } from './routing.js';

export interface ConsoleWorkerOptions {
  owner: string;
  connection: RedisClient;
  redis: RedisClient;
  prefix: string;
  outbox?: OutboxOptions;
  adapters: Map<Platform, ChatAdapter>;
  metrics: Metrics;
  log: Logger;
  attempts: number;
  lockDurationMs: number;
  parentWaitMs: number;
}

/** A terminal takes every message at once. */
const unpaced: Pacer = {
  acquire: async () => ({ ok: true }),
  sent: async () => {},
  block: async () => {},
};

export async function startConsoleDeliveryWorker(opts: ConsoleWorkerOptions): Promise<{ close(): Promise<void> }> {
  const name = consoleQueueName(opts.owner);
  const processor = createDeliveryProcessor({
    outbox: createOutbox(opts.redis, opts.outbox),
    pacer: unpaced,
    adapters: opts.adapters,
    metrics: opts.metrics,
    log: opts.log,
    attempts: opts.attempts,
    leaseMs: opts.lockDurationMs,
    parentWaitMs: opts.parentWaitMs,
  });
  const worker = new Worker(name, (job: Job, token?: string) => processor(job, token), {
    connection: opts.connection,
    prefix: opts.prefix,
    // One at a time: a thread's root is printed before its replies, an edit after its message.
    concurrency: 1,
    lockDuration: opts.lockDurationMs,
    settings: { backoffStrategy: (attemptsMade: number) => Math.min(200 * 2 ** Math.max(0, attemptsMade - 1), 5000) },
  });
  worker.on('error', (err) => opts.log.error({ err }, 'console delivery worker error'));
  await worker.waitUntilReady();
  const listed = registerConsole(opts.redis, opts.owner);
  return {
    async close() {
      await listed.stop();
      await worker.close();
      const queue = new Queue(name, { connection: opts.connection, prefix: opts.prefix });
      queue.on('error', () => {});
      await queue.obliterate({ force: true }).catch((err: unknown) => opts.log.warn({ err }, 'could not remove the console delivery queue'));
      await queue.close();
    },
  };
}
