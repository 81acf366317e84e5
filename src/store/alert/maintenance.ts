/**
 * Maintenance silences: which Alertmanager silence stands for a notice's maintenance window in
 * one integration, and which revision of the notice it reflects. A short lock per (notice,
 * integration) makes a retried or doubled timer, or a second process, wait for the first one
 * and then find its silence, instead of creating a second silence.
 *
 * Layout (under the connection's key prefix), both keys in one hash slot:
 *   alert:maint:{<notice>.<integration>}       JSON MaintenanceSilence
 *   alert:maint:{<notice>.<integration>}:lock  token of the holder, expires on its own
 */
import { z } from 'zod';
import { tryLock } from '../lock.js';
import type { RedisClient } from '../redis.js';

const recordSchema = z.object({
  /** The silence standing for the window, once created. */
  silenceId: z.string().optional(),
  /** The notice's root revision this record reflects: an older change arriving late is ignored. */
  revision: z.int().min(0),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  /** The window was completed or cancelled and its silence expired (or left to end). */
  lifted: z.boolean(),
  /**
   * Set just before Alertmanager is asked to create the silence: found still set (the holder
   * died before recording the answer), the next run looks the silence up before creating one.
   */
  creating: z.boolean().optional(),
});
export type MaintenanceSilence = z.infer<typeof recordSchema>;

export interface MaintenanceSilenceStore {
  get(noticeId: string, integrationId: string): Promise<MaintenanceSilence | undefined>;
  put(noticeId: string, integrationId: string, record: MaintenanceSilence): Promise<void>;
  /** Runs `fn` holding the (notice, integration) lock; throws when it stays taken for `waitMs`. */
  withLock<T>(noticeId: string, integrationId: string, fn: () => Promise<T>): Promise<T>;
}

/** Kept well past the longest window a notice may announce, then forgotten. */
const TTL_MS = 90 * 24 * 3600_000;
/** Longer than the Alertmanager calls one holder makes (5 s timeout each). */
const LOCK_MS = 30_000;

export function createMaintenanceSilenceStore(redis: RedisClient, opts: { waitMs?: number } = {}): MaintenanceSilenceStore {
  const key = (noticeId: string, integrationId: string) => `alert:maint:{${noticeId}.${integrationId}}`;
  const waitMs = opts.waitMs ?? 15_000;
  return {
    async get(noticeId, integrationId) {
      const raw = await redis.get(key(noticeId, integrationId));
      return raw ? recordSchema.parse(JSON.parse(raw)) : undefined;
    },
    async put(noticeId, integrationId, record) {
      await redis.set(key(noticeId, integrationId), JSON.stringify(recordSchema.parse(record)), 'PX', TTL_MS);
    },
    async withLock(noticeId, integrationId, fn) {
      const lock = `${key(noticeId, integrationId)}:lock`;
      const until = Date.now() + waitMs;
      let release: (() => Promise<void>) | undefined;
      while (!(release = await tryLock(redis, lock, LOCK_MS))) {
        if (Date.now() > until) throw new Error(`maintenance silence of notice ${noticeId} in ${integrationId} is busy; will retry`);
        await new Promise((r) => setTimeout(r, 100));
      }
      try {
        return await fn();
      } finally {
        await release();
      }
    },
  };
}
