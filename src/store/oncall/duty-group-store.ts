/**
 * What Day2 last made each platform show as a rotation's on-duty group, and how the last try went.
 *
 *   oncall:duty:<rotation>:<platform>:synced   fingerprint of the state last written (expires,
 *                                               so a group edited by hand is put right within a day)
 *   oncall:duty:<rotation>:<platform>:status   outcome of the last try, for `/oncall who` and logs
 *   oncall:duty:<rotation>:lock                one sync of a rotation at a time, across processes
 */
import { tryLock } from '../lock.js';
import { z } from 'zod';
import type { RedisClient } from '../redis.js';

const statusSchema = z.object({
  ok: z.boolean(),
  at: z.iso.datetime(),
  /** The group handle / id or channel id tried. */
  target: z.string(),
  /** Why it failed (absent when ok). */
  reason: z.string().optional(),
});
export type DutyGroupStatus = z.infer<typeof statusSchema>;

export interface DutyGroupStore {
  synced(rotationId: string, platform: string): Promise<string | undefined>;
  markSynced(rotationId: string, platform: string, fingerprint: string, ttlMs: number): Promise<void>;
  status(rotationId: string, platform: string): Promise<DutyGroupStatus | undefined>;
  setStatus(rotationId: string, platform: string, status: DutyGroupStatus): Promise<void>;
  /** Take the rotation's sync lock for `ttlMs`; resolves the release function, or undefined when held. */
  lock(rotationId: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
}

/** A status outlives a removed dutyGroup config by this long, then goes. */
const STATUS_TTL_S = 30 * 86_400;

export function createDutyGroupStore(redis: RedisClient): DutyGroupStore {
  const base = (rotationId: string, platform: string) => `oncall:duty:${rotationId}:${platform}`;
  return {
    async synced(rotationId, platform) {
      return (await redis.get(`${base(rotationId, platform)}:synced`)) ?? undefined;
    },
    async markSynced(rotationId, platform, fingerprint, ttlMs) {
      await redis.set(`${base(rotationId, platform)}:synced`, fingerprint, 'PX', ttlMs);
    },
    async status(rotationId, platform) {
      const raw = await redis.get(`${base(rotationId, platform)}:status`);
      if (!raw) return undefined;
      const parsed = statusSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    },
    async setStatus(rotationId, platform, status) {
      await redis.set(`${base(rotationId, platform)}:status`, JSON.stringify(statusSchema.parse(status)), 'EX', STATUS_TTL_S);
    },
    lock: (rotationId, ttlMs) => tryLock(redis, `oncall:duty:${rotationId}:lock`, ttlMs),
  };
}
