/**
 * Deterministic BullMQ job ids. BullMQ rejects ids containing `:` and ids made of digits only, and
 * uses the id to drop duplicates, so an id must be a pure function of what the job is about. The
 * readable head is for people reading queues; the hash makes ids unique even when heads collide
 * (truncation, separators inside the parts).
 */
import { createHash } from 'node:crypto';

export function jobId(kind: string, parts: readonly (string | number)[]): string {
  const hash = createHash('sha256').update(JSON.stringify([kind, ...parts])).digest('hex').slice(0, 16);
  const head = parts
    .map((p) => String(p).replace(/[^A-Za-z0-9_.-]/g, '_'))
    .join('-')
    .slice(0, 80);
  return `${kind}-${head}-${hash}`;
}
