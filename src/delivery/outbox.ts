/**
 * The delivery outbox: one record per (message key, target) saying what the platform has of that
 * message: the copy's MessageRef, which revision it shows, and whether a send is in flight.
 *
 * The "in flight" marker is what keeps a message from being posted twice. It is written before
 * the platform is called and cleared after; if a worker finds a marker it did not write and whose
 * lease has run out (the sender crashed) or that was left "uncertain" (the platform timed out
 * after we sent), the platform may or may not have the copy, so the worker looks for it by key
 * (ChatAdapter.findPosted) before posting again.
 */
import { z } from 'zod';
import { PLATFORMS, type MessageRef, type Platform } from '../chat/port.js';
import { createRepository, type Repository, type Stored } from '../store/record.js';
import type { RedisClient } from '../store/redis.js';

export type DeliveryTarget = { platform: Platform; channelId: string } | { platform: Platform; userId: string };

/** What `DeliveryService.status` reports per target. */
export interface OutboxEntry {
  key: string;
  target: DeliveryTarget;
  /** pending: queued or being sent; delivered: the platform shows `revision`; failed: gave up. */
  state: 'pending' | 'delivered' | 'failed';
  /** The newest revision asked for. */
  revision: number;
  /** The revision the platform copy shows, if there is a copy. */
  deliveredRevision?: number;
  ref?: MessageRef;
  /** Platform calls made for this target so far (all revisions). */
  attempts: number;
  /** Why it failed (state failed), or the last retryable error while pending. */
  error?: string;
  updatedAt: number;
}

const platform = z.enum(PLATFORMS as [Platform, ...Platform[]]);
export const deliveryTargetSchema = z.union([
  z.strictObject({ platform, channelId: z.string().min(1).max(200) }),
  z.strictObject({ platform, userId: z.string().min(1).max(200) }),
]);

export const messageRefSchema = z.object({
  platform,
  channelId: z.string().min(1),
  messageId: z.string().min(1),
  threadId: z.string().min(1).optional(),
});

const inflightSchema = z.object({
  attemptId: z.string(),
  revision: z.int().min(1),
  since: z.number(),
  /** Until when the sender is presumed alive; past it, the send counts as uncertain. */
  leaseUntil: z.number(),
  /** The call ended without telling us whether the platform acted on it. */
  uncertain: z.boolean(),
});

const outboxRecordSchema = z.object({
  key: z.string(),
  target: deliveryTargetSchema,
  revision: z.int().min(1),
  delivered: z.object({ revision: z.int().min(1), ref: messageRefSchema, at: z.number() }).optional(),
  inflight: inflightSchema.optional(),
  failed: z.object({ revision: z.int().min(1), code: z.string(), reason: z.string(), at: z.number() }).optional(),
  attempts: z.int().min(0),
  lastError: z.string().optional(),
  /** DM channel learned from an earlier copy or from dmChannelOf, so findPosted looks in the right place. */
  dmChannelId: z.string().optional(),
  updatedAt: z.number(),
});

export type OutboxRecord = z.infer<typeof outboxRecordSchema>;
export type Inflight = z.infer<typeof inflightSchema>;

/** Stable, readable id for a target: `slack-c-C123`, `mattermost-u-abc`. */
export function targetId(target: DeliveryTarget): string {
  return 'channelId' in target ? `${target.platform}-c-${target.channelId}` : `${target.platform}-u-${target.userId}`;
}

export function describeEntry(rec: OutboxRecord): OutboxEntry {
  const deliveredRevision = rec.delivered?.revision;
  const state: OutboxEntry['state'] =
    deliveredRevision !== undefined && deliveredRevision >= rec.revision ? 'delivered' : rec.failed && rec.failed.revision >= rec.revision ? 'failed' : 'pending';
  const entry: OutboxEntry = { key: rec.key, target: rec.target, state, revision: rec.revision, attempts: rec.attempts, updatedAt: rec.updatedAt };
  if (deliveredRevision !== undefined) entry.deliveredRevision = deliveredRevision;
  if (rec.delivered) entry.ref = rec.delivered.ref;
  if (state === 'failed' && rec.failed) entry.error = `${rec.failed.code}: ${rec.failed.reason}`;
  else if (state === 'pending' && rec.lastError) entry.error = rec.lastError;
  return entry;
}

export interface Outbox {
  /** The record behind (key, target), with its revision for compare-and-set writes. */
  load(key: string, target: DeliveryTarget): Promise<Stored<OutboxRecord> | undefined>;
  /**
   * Note that `revision` of (key, target) is wanted. Returns false when the platform already shows
   * that revision or a newer one (nothing to send). A permanent failure of the same revision is
   * cleared, so asking again retries it.
   */
  request(key: string, target: DeliveryTarget, revision: number): Promise<boolean>;
  /** Compare-and-set write; resolves undefined when someone else wrote first (re-load and decide again). */
  write(stored: Stored<OutboxRecord>, next: OutboxRecord): Promise<Stored<OutboxRecord> | undefined>;
  /** Read-modify-write that retries on conflicts, for transitions that must land whatever else happened. */
  change(key: string, target: DeliveryTarget, fn: (rec: OutboxRecord) => OutboxRecord): Promise<Stored<OutboxRecord>>;
  /** Every target of a key, in target-id order. */
  entries(key: string): Promise<OutboxEntry[]>;
}

export interface OutboxOptions {
  /** Entries expire this long after their last change; an edit after that posts a new copy. Default 60 days. */
  ttlMs?: number;
}

export const DEFAULT_OUTBOX_TTL_MS = 60 * 24 * 3600 * 1000;

export function createOutbox(redis: RedisClient, options: OutboxOptions = {}): Outbox {
  const ttlMs = options.ttlMs ?? DEFAULT_OUTBOX_TTL_MS;
  const repo: Repository<OutboxRecord> = createRepository({ redis, name: 'outbox', schema: outboxRecordSchema, version: 1, ttlMs });
  const idOf = (key: string, target: DeliveryTarget) => `${key}/${targetId(target)}`;
  // Which targets a key was sent to, for status(). Written before the entry, so it never misses one.
  const indexOf = (key: string) => `outbox-targets:{outbox}:${key}`;

  return {
    load: (key, target) => repo.get(idOf(key, target)),

    async request(key, target, revision) {
      await redis.sadd(indexOf(key), idOf(key, target));
      await redis.pexpire(indexOf(key), ttlMs);
      const stored = await repo.upsert(idOf(key, target), (cur) => {
        const now = Date.now();
        if (!cur) return { key, target, revision, attempts: 0, updatedAt: now };
        const next: OutboxRecord = { ...cur, revision: Math.max(cur.revision, revision), updatedAt: now };
        if (next.failed && next.failed.revision <= revision) delete next.failed;
        return next;
      });
      return !(stored.value.delivered && stored.value.delivered.revision >= revision);
    },

    async write(stored, next) {
      try {
        return await repo.update(stored.id, () => ({ ...next, updatedAt: Date.now() }), stored.rev);
      } catch (e) {
        if (e instanceof Error && (e.name === 'RecordConflictError' || e.name === 'RecordNotFoundError')) return undefined;
        throw e;
      }
    },

    change: (key, target, fn) => repo.update(idOf(key, target), (rec) => ({ ...fn(rec), updatedAt: Date.now() })),

    async entries(key) {
      const ids = (await redis.smembers(indexOf(key))).sort();
      // Read side by side (ioredis pipelines them): a 1,000-channel notice is 1,000 entries.
      const recs = await Promise.all(ids.map((id) => repo.get(id)));
      return recs.flatMap((rec) => (rec ? [describeEntry(rec.value)] : []));
    },
  };
}
