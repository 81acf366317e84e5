/**
 * Outbound pacing shared by every Day2 process on one Redis: at most one message per
 * `channelIntervalMs` to a channel (Slack's chat.postMessage rule, thread replies included) and
 * at most one per `platformIntervalMs` to a platform workspace. BullMQ's own limiter is global
 * per queue and its per-group limiter is a paid add-on, hence this.
 *
 * Each channel keeps a line: a sender that cannot go now takes the next free slot (`slotAt`) and
 * comes back then, so a backlog of N messages to one channel wakes up N times, not N² times.
 * The actual spacing is enforced on the time of the last real send, not on slots, so a late
 * sender never lets the next one in too early. A 429 blocks the channel (or the platform) until
 * its Retry-After has passed; reservations that fall inside a block take a new place in line.
 * All times are Redis's clock (TIME), so processes on hosts with skewed clocks agree.
 */
import type { RedisClient } from './redis.js';

export interface PacingLane {
  platform: string;
  /** Channel id, or `dm-<user id>` for direct messages. */
  channel: string;
}

export type PaceResult =
  /** Send now; the send has been counted. */
  | { ok: true }
  /** Come back in `waitMs` with `slotAt` (your place in the channel's line). */
  | { ok: false; waitMs: number; slotAt: number; reason: 'paced' | 'blocked' };

export interface Pacer {
  acquire(lane: PacingLane, slotAt?: number): Promise<PaceResult>;
  /** Nothing may be sent to the channel (or, with `wholePlatform`, the platform) for `ms`. */
  block(lane: PacingLane, ms: number, wholePlatform?: boolean): Promise<void>;
}

export interface PacerOptions {
  channelIntervalMs: number;
  platformIntervalMs: number;
}

// KEYS: channel hash {last, next, blocked}, platform hash {last, blocked}.
// ARGV: channelIntervalMs, platformIntervalMs, slotAt (0 = none).
// Returns {1, 0, slot} (go) or {0, waitMs, slot, blocked(0/1)}.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ci = tonumber(ARGV[1])
local pi = tonumber(ARGV[2])
local c = redis.call('HMGET', KEYS[1], 'last', 'next', 'blocked')
local p = redis.call('HMGET', KEYS[2], 'last', 'blocked')
local cLast = tonumber(c[1]) or -1e15
local cNext = tonumber(c[2]) or 0
local cBlocked = tonumber(c[3]) or 0
local pLast = tonumber(p[1]) or -1e15
local pBlocked = tonumber(p[2]) or 0
local channelFree = math.max(cLast + ci, cBlocked)
local platformFree = math.max(pLast + pi, pBlocked)
local slot = tonumber(ARGV[3])
if slot == 0 or slot < cBlocked or slot < pBlocked then
  slot = math.max(now, cNext, channelFree, pBlocked)
  redis.call('HSET', KEYS[1], 'next', slot + ci)
end
local ready = math.max(slot, channelFree, platformFree)
local keep = math.max(ready - now, 0) + ci + 60000
if ready > now then
  redis.call('PEXPIRE', KEYS[1], keep)
  local blocked = 0
  if ready == cBlocked or ready == pBlocked then blocked = 1 end
  return {0, ready - now, slot, blocked}
end
redis.call('HSET', KEYS[1], 'last', now)
redis.call('HSET', KEYS[2], 'last', now)
redis.call('PEXPIRE', KEYS[1], keep)
redis.call('PEXPIRE', KEYS[2], pi + 60000)
return {1, 0, slot, 0}`;

// KEYS: hash to block. ARGV: ms.
const BLOCK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('HGET', KEYS[1], 'blocked')) or 0
if untilMs > cur then redis.call('HSET', KEYS[1], 'blocked', untilMs) end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) + 60000 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 60000) end
return untilMs`;

export function createPacer(redis: RedisClient, options: PacerOptions): Pacer {
  // One hash tag per platform: a channel's and its platform's keys must share a Cluster slot.
  const channelKey = (lane: PacingLane) => `pace:{${lane.platform}}:ch:${lane.channel}`;
  const platformKey = (lane: PacingLane) => `pace:{${lane.platform}}:all`;

  return {
    async acquire(lane, slotAt) {
      const res = (await redis.eval(ACQUIRE, 2, channelKey(lane), platformKey(lane), options.channelIntervalMs, options.platformIntervalMs, slotAt ?? 0)) as number[];
      const [go, waitMs, slot, blocked] = res.map(Number) as [number, number, number, number];
      if (go === 1) return { ok: true };
      return { ok: false, waitMs, slotAt: slot, reason: blocked === 1 ? 'blocked' : 'paced' };
    },

    async block(lane, ms, wholePlatform = false) {
      await redis.eval(BLOCK, 1, channelKey(lane), Math.max(0, Math.ceil(ms)));
      if (wholePlatform) await redis.eval(BLOCK, 1, platformKey(lane), Math.max(0, Math.ceil(ms)));
    },
  };
}
