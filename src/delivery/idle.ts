/**
 * "Is anything due still to happen?" for a scripted console: the work in the timer queue and in
 * this console's delivery queue that is running, waiting, or delayed until before `horizonMs`
 * from now. Reminders due days later do not count; a thread reply waiting a second for its root
 * does.
 */
import { Queue } from 'bullmq';
import type { RedisClient } from '../store/redis.js';

export interface IdleProbe {
  /** Jobs running, waiting, or due within `horizonMs`. */
  due(horizonMs: number): Promise<number>;
  close(): Promise<void>;
}

export function createIdleProbe(opts: { connection: RedisClient; prefix: string; queues: string[] }): IdleProbe {
  const queues = opts.queues.map((name) => {
    const q = new Queue(name, { connection: opts.connection, prefix: opts.prefix });
    q.on('error', () => {});
    return q;
  });
  return {
    async due(horizonMs) {
      const until = Date.now() + horizonMs;
      let n = 0;
      for (const q of queues) {
        const counts = await q.getJobCounts('active', 'waiting', 'prioritized', 'waiting-children');
        n += Object.values(counts).reduce((a, b) => a + b, 0);
        // BullMQ scores a delayed job by its due time in ms, times 0x1000 (plus a tie-breaker).
        n += await opts.connection.zcount(q.keys.delayed!, 0, (until + 1) * 0x1000 - 1);
      }
      return n;
    },
    close: async () => {
      await Promise.all(queues.map((q) => q.close()));
    },
  };
}
