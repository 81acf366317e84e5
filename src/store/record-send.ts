/** Sending record reads to Redis: one at a time, or several in one round trip (sendReads). */
import type { RedisClient } from './redis.js';
import type { Read } from './record-types.js';

type Results<Rs extends readonly Read<unknown>[]> = { [K in keyof Rs]: Rs[K] extends Read<infer R> ? R : never };

const isNoScript = (e: unknown) => e instanceof Error && e.message.startsWith('NOSCRIPT');

/** Send one read; a script Redis does not know (a restarted or flushed server) is sent in full. */
export async function sendRead(redis: RedisClient, read: Read<unknown>): Promise<unknown> {
  try {
    return await redis.call(...read.command);
  } catch (e) {
    if (!read.script || !isNoScript(e)) throw e;
    const [, , ...rest] = read.command;
    return redis.call('eval', read.script, ...rest);
  }
}

/**
 * Send several reads in one round trip and decode their replies. On one server (or Sentinel)
 * they go as one pipeline, in one write; on a Cluster they may live on different nodes, so each
 * goes on its own, all at once. The reads are not atomic together: a result that must agree with
 * a stamp has to come from a single read (getManyStamped, listStamped).
 */
export async function sendReads<const Rs extends readonly Read<unknown>[]>(redis: RedisClient, reads: Rs): Promise<Results<Rs>> {
  let replies: unknown[];
  if (reads.length < 2 || redis.isCluster) replies = await Promise.all(reads.map((r) => sendRead(redis, r)));
  else {
    const pipeline = redis.pipeline();
    for (const r of reads) pipeline.call(...r.command);
    const answers = (await pipeline.exec()) ?? [];
    replies = await Promise.all(
      reads.map(async (r, i) => {
        const [err, reply] = answers[i] ?? [new Error('no reply in the pipeline'), null];
        if (!err) return reply;
        if (r.script && isNoScript(err)) return sendRead(redis, r);
        throw err;
      }),
    );
  }
  return reads.map((r, i) => r.decode(replies[i])) as Results<Rs>;
}
