/**
 * Outbound pacing shared by every Day2 process on one Redis: at most one message per
 * `channelIntervalMs` to a channel (Slack's chat.postMessage rule, thread replies included) and
 * at most one per platform interval to a platform workspace (one rate for all platforms, or one
 * per platform). BullMQ's own limiter is global per queue and its per-group limiter is a paid
 * add-on, hence this.
 *
 * Channels and platforms both keep a line of reserved slots. A sender that cannot go now takes
 * the next free channel slot (`slotAt`) and, once that slot is near the platform's line, the next
 * free platform slot (`platformSlotAt`); it comes back at the later of the two. So N senders
 * waiting for one platform are spread over N future slots instead of all waking for the same free
 * slot (which wasted about half the platform rate), and a backlog of N messages to one channel
 * wakes up about N times, not N² times. A sender whose channel slot is far off takes no platform
 * slot yet: that slot would pass unused while it waits. A sender that comes back early keeps its
 * reservations and is told to wait again.
 *
 * The actual spacing is also enforced on the time of the last real send, so a late sender never
 * lets the next one in too early. A 429 blocks the channel (or the platform) until its
 * Retry-After has passed; a channel reservation that falls inside a channel block takes a new
 * place in line, while platform places inside a platform block keep their order and wait for it.
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
  /**
   * Come back in `waitMs` with `slotAt` (your place in the channel's line) and `platformSlotAt`
   * (your place in the platform's line; 0 when you have none yet).
   */
  | { ok: false; waitMs: number; slotAt: number; platformSlotAt: number; reason: 'paced' | 'blocked' };

export interface Pacer {
  acquire(lane: PacingLane, slotAt?: number, platformSlotAt?: number): Promise<PaceResult>;
  /** Nothing may be sent to the channel (or, with `wholePlatform`, the platform) for `ms`. */
  block(lane: PacingLane, ms: number, wholePlatform?: boolean): Promise<void>;
}

export interface PacerOptions {
  channelIntervalMs: number;
  /** Minimum gap between two sends to one platform: one figure for all, or per platform. */
  platformIntervalMs: number | ((platform: string) => number);
}

// KEYS: channel hash {last, next, blocked}, platform hash {last, next, blocked}.
// ARGV: channelIntervalMs, platformIntervalMs, slotAt (0 = none), platformSlotAt (0 = none).
// Returns {1, 0, slot, 0, pslot} (go) or {0, waitMs, slot, blocked(0/1), pslot}.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ci = tonumber(ARGV[1])
local pi = tonumber(ARGV[2])
local c = redis.call('HMGET', KEYS[1], 'last', 'next', 'blocked')
local p = redis.call('HMGET', KEYS[2], 'last', 'next', 'blocked')
local cLast = tonumber(c[1]) or -1e15
local cNext = tonumber(c[2]) or 0
local cBlocked = tonumber(c[3]) or 0
local pLast = tonumber(p[1]) or -1e15
local pNext = tonumber(p[2]) or 0
local pBlocked = tonumber(p[3]) or 0
local channelFree = math.max(cLast + ci, cBlocked)
local platformFree = math.max(pLast + pi, pBlocked)
local slot = tonumber(ARGV[3])
local pslot = tonumber(ARGV[4])
if slot == 0 or slot < cBlocked then
  slot = math.max(now, cNext, channelFree)
  redis.call('HSET', KEYS[1], 'next', slot + ci)
end
-- A platform block keeps the platform's line in order: places inside it just wait for its end.
-- (Sending them to the back would leave their places empty and stretch the line at every 429.)
if pslot ~= 0 and pslot < slot then pslot = 0 end
if pslot == 0 then
  local ps = math.max(now, pNext, platformFree)
  -- Take a platform place only when the channel slot is not far past it (else it would go unused).
  if slot <= ps + pi then
    pslot = math.max(ps, slot)
    pNext = pslot + pi
    redis.call('HSET', KEYS[2], 'next', pNext)
  end
end
local ready = math.max(slot, channelFree)
if pslot ~= 0 then ready = math.max(ready, pslot, platformFree) end
local keep = math.max(ready - now, 0) + ci + 60000
local pkeep = math.max(pNext - now, 0) + pi + 60000
if redis.call('PTTL', KEYS[2]) < pkeep then redis.call('PEXPIRE', KEYS[2], pkeep) end
if ready > now then
  redis.call('PEXPIRE', KEYS[1], keep)
  local blocked = 0
  if ready == cBlocked or ready == pBlocked then blocked = 1 end
  return {0, ready - now, slot, blocked, pslot}
end
redis.call('HSET', KEYS[1], 'last', now)
redis.call('HSET', KEYS[2], 'last', now)
redis.call('PEXPIRE', KEYS[1], keep)
return {1, 0, slot, 0, pslot}`;

// KEYS: hash to block. ARGV: ms.
const BLOCK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('HGET', KEYS[1], 'blocked')) or 0
if untilMs > cur then redis.call('HSET', KEYS[1], 'blocked', untilMs) end
-- New places in the line start after the block.
if (tonumber(redis.call('HGET', KEYS[1], 'next')) or 0) < untilMs then redis.call('HSET', KEYS[1], 'next', untilMs) end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) + 60000 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 60000) end
return untilMs`;

export function createPacer(redis: RedisClient, options: PacerOptions): Pacer {
  // One hash tag per platform: a channel's and its platform's keys must share a Cluster slot.
  const channelKey = (lane: PacingLane) => `pace:{${lane.platform}}:ch:${lane.channel}`;
  const platformKey = (lane: PacingLane) => `pace:{${lane.platform}}:all`;
  const interval = options.platformIntervalMs;
  const platformInterval = (platform: string) => Math.max(1, Math.ceil(typeof interval === 'number' ? interval : interval(platform)));

  return {
    async acquire(lane, slotAt, platformSlotAt) {
      const res = (await redis.eval(ACQUIRE, 2, channelKey(lane), platformKey(lane), options.channelIntervalMs, platformInterval(lane.platform), slotAt ?? 0, platformSlotAt ?? 0)) as number[];
      const [go, waitMs, slot, blocked, pslot] = res.map(Number) as [number, number, number, number, number];
      if (go === 1) return { ok: true };
      return { ok: false, waitMs, slotAt: slot, platformSlotAt: pslot, reason: blocked === 1 ? 'blocked' : 'paced' };
    },

    async block(lane, ms, wholePlatform = false) {
      await redis.eval(BLOCK, 1, channelKey(lane), Math.max(0, Math.ceil(ms)));
      if (wholePlatform) await redis.eval(BLOCK, 1, platformKey(lane), Math.max(0, Math.ceil(ms)));
    },
  };
}
