/**
 * Keys and Lua scripts of the per-item on-call layout: overrides and swaps one hash field per item
 * per rotation, absences one per item per person, each indexed by time in a sorted set, so a
 * change writes one small item and a schedule reads only the items of its window.
 *
 * Layout (under the connection's key prefix; the hash tags are the legacy repositories', so a
 * migration script can move a legacy record's items in one atomic step, even on a Cluster):
 *   oncall:{oncall-rotation}:ov:<rotation>      hash  id -> "<startMs>|<override JSON>"
 *   oncall:{oncall-rotation}:ov-end:<rotation>  zset  id scored by the override's end (ms)
 *   oncall:{oncall-rotation}:sw:<rotation>      hash  id -> "<earlier turn start>|<swap JSON>"
 *   oncall:{oncall-rotation}:sw-at:<rotation>   zset  id scored by the later turn's start (ms)
 *   oncall:{oncall-rotation}:stamp:<rotation>   counter bumped by every item write of the rotation
 *   oncall:{oncall-absence}:items:<person>      hash  id -> "<fromMs>|<absence JSON>"
 *   oncall:{oncall-absence}:from:<person>       zset  id scored by the absence's start (ms)
 *   oncall:{oncall-absence}:people              set of people with absence items (for listing)
 *   rec:{oncall-absence}#stamp                  the absence counter, shared with the legacy records
 */
import { createHash } from 'node:crypto';

/** Braces would move the Cluster hash tag; whitespace and control characters are never intended. */
const OWNER = /^[^\s{}]{1,512}$/;
const owner = (id: string) => {
  if (!OWNER.test(id)) throw new Error(`on-call items: invalid owner id ${JSON.stringify(id)}`);
  return id;
};

export const rotationKeys = (rotationId: string) => {
  const id = owner(rotationId);
  return {
    record: `rec:{oncall-rotation}:${id}`,
    ovHash: `oncall:{oncall-rotation}:ov:${id}`,
    ovIndex: `oncall:{oncall-rotation}:ov-end:${id}`,
    swHash: `oncall:{oncall-rotation}:sw:${id}`,
    swIndex: `oncall:{oncall-rotation}:sw-at:${id}`,
    stamp: `oncall:{oncall-rotation}:stamp:${id}`,
  };
};

export const absenceKeys = (person: string) => {
  const id = owner(person);
  return { record: `rec:{oncall-absence}:${id}`, hash: `oncall:{oncall-absence}:items:${id}`, index: `oncall:{oncall-absence}:from:${id}` };
};
export const ABSENCE_LEGACY_INDEX = 'rec:{oncall-absence}';
export const ABSENCE_PEOPLE = 'oncall:{oncall-absence}:people';
export const ABSENCE_STAMP = 'rec:{oncall-absence}#stamp';

/** An item's stored value: its start first, so the window script filters without decoding JSON. */
export const itemValue = (startMs: number, json: string) => `${startMs}|${json}`;
export const itemJson = (value: string) => value.slice(value.indexOf('|') + 1);

const digest = (text: string) => ({ text, sha: createHash('sha1').update(text).digest('hex') });

// KEYS: hash, index, stamp[, people set]. ARGV: id, value, score[, owner]. Returns the new stamp.
export const PUT_ITEM = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if KEYS[4] then redis.call('SADD', KEYS[4], ARGV[4]) end
return redis.call('INCR', KEYS[3])`;

// KEYS: hash, index, stamp. ARGV: id. Returns 1 deleted, 0 missing.
export const DELETE_ITEM = `
local n = redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if n == 1 then redis.call('INCR', KEYS[3]) end
return n`;

// The items of several (hash, index) groups whose index score is in [zmin, zmax] and whose start
// is below `lim` ('' = no limit), with the stamp, all at one instant.
// KEYS: stamp, then hash, index per group. ARGV: zmin, zmax, lim per group.
// Returns { stamp, n1, value..., n2, value... }.
const WINDOW = `
local out = { tonumber(redis.call('GET', KEYS[1]) or '0') }
for i = 1, (#KEYS - 1) / 2 do
  local lim = tonumber(ARGV[3 * i])
  local pos = #out + 1
  out[pos] = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2 * i + 1], ARGV[3 * i - 2], ARGV[3 * i - 1])) do
    local v = redis.call('HGET', KEYS[2 * i], id)
    if v then
      local s = tonumber(string.match(v, '^(-?%d+)|'))
      if not lim or (s and s < lim) then
        out[#out + 1] = v
        out[pos] = out[pos] + 1
      end
    end
  end
end
return out`;
export const WINDOW_SCRIPT = digest(WINDOW);

// Moves a legacy rotation record's overrides and swaps to items and rewrites the record without
// them, in one step, only if the record is still at the revision they were read at.
// KEYS: record, ovHash, ovIndex, swHash, swIndex, stamp. ARGV: rev, record JSON, then
// (kind 'o'|'s', id, score, value) per item. Returns the new rev, or -2 on a conflict.
export const MIGRATE_ROTATION = `
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev or tonumber(rev) ~= tonumber(ARGV[1]) then return -2 end
for i = 3, #ARGV, 4 do
  local h, z = KEYS[2], KEYS[3]
  if ARGV[i] == 's' then h, z = KEYS[4], KEYS[5] end
  redis.call('HSET', h, ARGV[i + 1], ARGV[i + 3])
  redis.call('ZADD', z, ARGV[i + 2], ARGV[i + 1])
end
redis.call('HSET', KEYS[1], 'rev', tonumber(rev) + 1, 'data', ARGV[2])
redis.call('INCR', KEYS[6])
return tonumber(rev) + 1`;

// Moves a legacy absence record's items to the person's items and deletes the record, in one step,
// only if the record is still at the revision they were read at.
// KEYS: record, legacy index, stamp, hash, index, people. ARGV: rev, person, then (id, score, value)
// per item. Returns 1 moved, 0 no record, -2 conflict.
export const MIGRATE_ABSENCES = `
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev then return 0 end
if tonumber(rev) ~= tonumber(ARGV[1]) then return -2 end
for i = 3, #ARGV, 3 do
  redis.call('HSET', KEYS[4], ARGV[i], ARGV[i + 2])
  redis.call('ZADD', KEYS[5], ARGV[i + 1], ARGV[i])
end
if #ARGV > 2 then redis.call('SADD', KEYS[6], ARGV[2]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('INCR', KEYS[3])
return 1`;
