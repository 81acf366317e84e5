/**
 * BullMQ queue names and the connection rules every queue/worker here follows. Job ids are built
 * from what the job is about (see job-id.ts), so adding the same work twice is a no-op.
 */
import type { RedisClient } from '../store/redis.js';

export const QUEUES = {
  /** Every outbound post, reply, DM and edit (src/delivery/service.ts). */
  delivery: 'delivery',
  /** One-off and recurring timers of later features (src/delivery/scheduler.ts). */
  timers: 'timers',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * BullMQ duplicates a worker's connection for its blocking fetch and refuses one whose
 * `maxRetriesPerRequest` is not null; say so up front, with the fix.
 */
export function assertWorkerConnection(connection: RedisClient, who: string): void {
  const opts = connection.options as { maxRetriesPerRequest?: number | null; redisOptions?: { maxRetriesPerRequest?: number | null } };
  const value = 'redisOptions' in opts && opts.redisOptions ? opts.redisOptions.maxRetriesPerRequest : opts.maxRetriesPerRequest;
  if (value !== null) {
    throw new Error(`${who} needs a BullMQ connection with maxRetriesPerRequest: null; create it with connectRedis(url, { blocking: true }) and no keyPrefix`);
  }
}
