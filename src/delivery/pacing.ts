/**
 * Outbound pacing shared by every Day2 process on one Redis: at most one message per
 * `channelIntervalMs` to a channel (Slack's chat.postMessage rule, thread replies included) and
 * a steady rate per platform workspace (one rate for all platforms, or one per platform), with a
 * small burst allowance. BullMQ's own limiter is global per queue and its per-group limiter is a
 * paid add-on, hence this.
 *
 * Two things are kept apart:
 *
 * - **Lines** spread waiting senders out. A sender that cannot go now takes the next free place
 *   in its channel's line (`slotAt`) and, once that is near the platform's line, the next place
 *   in the platform's line (`platformSlotAt`); it comes back at the later of the two. N senders
 *   waiting for one platform get N distinct future places instead of all waking for the same
 *   free slot, and a backlog of N messages to one channel wakes about N times, not N² times. A
 *   sender whose channel slot is far off takes no platform place yet (it would pass unused), and
 *   a sender that comes back early keeps its places and is told to wait again.
 *
 * - **The rate itself** is enforced on real sends with a GCRA (a token bucket kept as one
 *   "theoretical arrival time"): a send may go when the platform's `tat` minus the burst allowance
 *   has passed. The allowance lets a sender that woke a few milliseconds late go without pushing
 *   everyone behind it back, so the line keeps the platform at its rate instead of a little under
 *   it; it never lets more than `burst` messages above the rate through.
 *
 * A 429 blocks what the platform said is limited until Retry-After has passed:
 *   - a channel: reservations of that channel inside the block take new places after it;
 *   - a kind of call (Slack limits chat.update apart from chat.postMessage): senders of that kind
 *     give up platform places inside the block and take new ones after it;
 *   - the whole platform: the platform's line moves back by the block's length, so everybody keeps
 *     their order and spacing and the line resumes at the rate, with no burst, when it ends.
 *     Platform places are stored relative to the line's `shift`, which a block increases.
 *
 * All times are Redis's clock (TIME), so processes on hosts with skewed clocks agree.
 */
import type { RedisClient } from '../store/redis.js';

export interface PacingLane {
  platform: string;
  /** Channel id, or `dm-<user id>` for direct messages. */
  channel: string;
  /**
   * The kind of call (`post` for posts, replies and DMs, `edit` for updates), for platforms that
   * limit kinds of calls separately. Only blocks look at it.
   */
  kind?: string;
}

/** What a 429 holds back. */
export type BlockScope = 'channel' | 'kind' | 'platform';

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
  /**
   * The call that `acquire` let go has returned. The channel's interval then counts from now:
   * a request held up on its way out (a busy event loop, a slow connection) must not arrive
   * less than an interval before the next one to the same channel.
   */
  sent(lane: PacingLane): Promise<void>;
  /** Nothing may be sent to the channel (or that kind of call, or the whole platform) for `ms`. */
  block(lane: PacingLane, ms: number, scope?: BlockScope): Promise<void>;
}

export interface PacerOptions {
  channelIntervalMs: number;
  /** Minimum average gap between two sends to one platform: one figure for all, or per platform. */
  platformIntervalMs: number | ((platform: string) => number);
  /** Messages a platform may get at once above its rate (default 0: none). */
  burst?: number | ((platform: string) => number);
}

// KEYS: channel hash {last, next, blocked}, platform hash {tat, next, shift, blocked}, kind hash {blocked}.
// ARGV: channelIntervalMs, platformIntervalMs, burst allowance ms, slotAt (0 = none), platformSlotAt (0 = none).
// Platform places (`next`, platformSlotAt) are in line time: real time = line time + shift.
// Returns {1, 0, slot, 0, pslot} (go) or {0, waitMs, slot, blocked(0/1), pslot}.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ci = tonumber(ARGV[1])
local pi = tonumber(ARGV[2])
local tau = tonumber(ARGV[3])
local c = redis.call('HMGET', KEYS[1], 'last', 'next', 'blocked')
local p = redis.call('HMGET', KEYS[2], 'tat', 'next', 'shift', 'blocked')
local cLast = tonumber(c[1]) or -1e15
local cNext = tonumber(c[2]) or 0
local cBlocked = tonumber(c[3]) or 0
local tat = tonumber(p[1]) or 0
local pNext = tonumber(p[2]) or 0
local shift = tonumber(p[3]) or 0
local pBlocked = tonumber(p[4]) or 0
local kBlocked = tonumber(redis.call('HGET', KEYS[3], 'blocked')) or 0
local channelFree = math.max(cLast + ci, cBlocked)
local slot = tonumber(ARGV[4])
local pslot = tonumber(ARGV[5])
local cNextWas = cNext
if slot == 0 or slot < cBlocked then
  slot = math.max(now, cNext, channelFree)
  cNext = slot + ci
end
-- A platform place that can no longer be used (the channel slot moved past it, or this kind of
-- call is blocked over it) is given up; a new one is taken below.
if pslot ~= 0 and (pslot + shift < slot or pslot + shift < kBlocked) then pslot = 0 end
if pslot == 0 then
  local ps = math.max(now - shift, pNext, pBlocked - shift)
  local want = math.max(slot, kBlocked) - shift
  -- Take a platform place only when the channel slot is not far past it (else it would go unused).
  if want <= ps + pi then
    pslot = math.max(ps, want)
    pNext = pslot + pi
    redis.call('HSET', KEYS[2], 'next', pNext)
    -- The channel's next sender comes after this one's real send, not just after its channel slot.
    cNext = math.max(cNext, pslot + shift + ci)
  end
end
if cNext ~= cNextWas then redis.call('HSET', KEYS[1], 'next', cNext) end
local ready = math.max(slot, channelFree, kBlocked)
if pslot ~= 0 then ready = math.max(ready, pslot + shift, tat - tau, pBlocked) end
local keep = math.max(ready - now, 0) + ci + 60000
local pkeep = math.max(pNext + shift - now, tat - now, 0) + pi + 60000
if redis.call('PTTL', KEYS[2]) < pkeep then redis.call('PEXPIRE', KEYS[2], pkeep) end
if ready > now then
  redis.call('PEXPIRE', KEYS[1], keep)
  -- 'blocked' when a 429's block is what this sender is waiting out, rather than plain pacing.
  local blocked = 0
  if now < cBlocked or now < kBlocked or (pslot ~= 0 and now < pBlocked) then blocked = 1 end
  return {0, ready - now, slot, blocked, pslot}
end
redis.call('HSET', KEYS[1], 'last', now)
redis.call('HSET', KEYS[2], 'tat', math.max(tat, now) + pi)
redis.call('PEXPIRE', KEYS[1], keep)
return {1, 0, slot, 0, pslot}`;

// KEYS: channel hash. Moves its `last` send to now, if later, keeping the key's expiry.
const SENT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if (tonumber(redis.call('HGET', KEYS[1], 'last')) or 0) < now then redis.call('HSET', KEYS[1], 'last', now) end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) + 60000 then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + 60000) end
return 1`;

// KEYS: hash to block. ARGV: ms, scope. A platform block also moves the platform's line back by
// the time it adds and leaves no burst allowance at its end (the platform said we were over).
const BLOCK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ms = tonumber(ARGV[1])
local untilMs = now + ms
local cur = tonumber(redis.call('HGET', KEYS[1], 'blocked')) or 0
if untilMs <= cur then return cur end
redis.call('HSET', KEYS[1], 'blocked', untilMs)
if ARGV[2] == 'platform' then
  local added = untilMs - math.max(now, cur)
  redis.call('HINCRBY', KEYS[1], 'shift', added)
  local tat = tonumber(redis.call('HGET', KEYS[1], 'tat')) or 0
  if tat < untilMs then redis.call('HSET', KEYS[1], 'tat', untilMs) end
elseif ARGV[2] == 'channel' then
  -- New places in the channel's line start after the block.
  if (tonumber(redis.call('HGET', KEYS[1], 'next')) or 0) < untilMs then redis.call('HSET', KEYS[1], 'next', untilMs) end
end
if redis.call('PTTL', KEYS[1]) < ms + 60000 then redis.call('PEXPIRE', KEYS[1], ms + 60000) end
return untilMs`;

export function createPacer(redis: RedisClient, options: PacerOptions): Pacer {
  // One hash tag per platform: a channel's and its platform's keys must share a Cluster slot.
  const channelKey = (lane: PacingLane) => `pace:{${lane.platform}}:ch:${lane.channel}`;
  const platformKey = (lane: PacingLane) => `pace:{${lane.platform}}:all`;
  const kindKey = (lane: PacingLane) => `pace:{${lane.platform}}:kind:${lane.kind ?? 'post'}`;
  const perPlatform = (v: number | ((platform: string) => number) | undefined, platform: string) => (typeof v === 'function' ? v(platform) : (v ?? 0));
  const platformInterval = (platform: string) => Math.max(1, Math.ceil(perPlatform(options.platformIntervalMs, platform)));
  const burstMs = (platform: string) => Math.max(0, Math.floor(perPlatform(options.burst, platform))) * platformInterval(platform);

  return {
    async acquire(lane, slotAt, platformSlotAt) {
      const res = (await redis.eval(
        ACQUIRE,
        3,
        channelKey(lane),
        platformKey(lane),
        kindKey(lane),
        options.channelIntervalMs,
        platformInterval(lane.platform),
        burstMs(lane.platform),
        slotAt ?? 0,
        platformSlotAt ?? 0,
      )) as number[];
      const [go, waitMs, slot, blocked, pslot] = res.map(Number) as [number, number, number, number, number];
      if (go === 1) return { ok: true };
      return { ok: false, waitMs, slotAt: slot, platformSlotAt: pslot, reason: blocked === 1 ? 'blocked' : 'paced' };
    },

    async sent(lane) {
      await redis.eval(SENT, 1, channelKey(lane), options.channelIntervalMs);
    },

    async block(lane, ms, scope = 'channel') {
      const key = scope === 'platform' ? platformKey(lane) : scope === 'kind' ? kindKey(lane) : channelKey(lane);
      await redis.eval(BLOCK, 1, key, Math.max(0, Math.ceil(ms)), scope);
    },
  };
}
