/** The Lua scripts behind record writes and stamped reads, each run atomically by Redis. */
import { createHash } from 'node:crypto';

// Every script takes the stamp key as KEYS[3] and bumps it when the last ARGV is '1'.

// KEYS: record, index, stamp. ARGV: id, v, json, ttlMs, expiresAt, stamped.
export const PUT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'rev', 1, 'data', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
if ARGV[6] == '1' then redis.call('INCR', KEYS[3]) end
return 1`;

// KEYS: record, index, stamp. ARGV: id, v, json, ttlMs, expiresAt, expectedRev, stamped. Returns the new rev, -1 missing, -2 conflict.
export const UPDATE = `
local rev = redis.call('HGET', KEYS[1], 'rev')
if not rev then return -1 end
if tonumber(rev) ~= tonumber(ARGV[6]) then return -2 end
local nextRev = tonumber(rev) + 1
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'rev', nextRev, 'data', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
if ARGV[7] == '1' then redis.call('INCR', KEYS[3]) end
return nextRev`;

// KEYS: record, index, stamp. ARGV: id, expectedRev ('' = any), stamped. Returns 1 deleted, 0 missing, -2 conflict.
export const DELETE = `
if ARGV[2] ~= '' then
  local rev = redis.call('HGET', KEYS[1], 'rev')
  if not rev then return 0 end
  if tonumber(rev) ~= tonumber(ARGV[2]) then return -2 end
end
redis.call('ZREM', KEYS[2], ARGV[1])
local deleted = redis.call('DEL', KEYS[1])
if deleted == 1 and ARGV[3] == '1' then redis.call('INCR', KEYS[3]) end
return deleted`;

// Reads of several records with the stamp, each one script so nothing is written in between.
// KEYS: stamp, record... Returns { stamp, v, rev, data, v, rev, data, ... } (false for missing fields).
const GET_MANY = `
local out = { tonumber(redis.call('GET', KEYS[1]) or '0') }
for i = 2, #KEYS do
  local f = redis.call('HMGET', KEYS[i], 'v', 'rev', 'data')
  out[#out + 1] = f[1]
  out[#out + 1] = f[2]
  out[#out + 1] = f[3]
end
return out`;

// KEYS: index, stamp. Record keys are the index key + ':' + id (same hash tag, so the same slot).
// Returns { stamp, id, v, rev, data, ... } for the records that still exist.
const LIST = `
local out = { tonumber(redis.call('GET', KEYS[2]) or '0') }
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local f = redis.call('HMGET', KEYS[1] .. ':' .. id, 'v', 'rev', 'data')
  if f[1] and f[2] and f[3] then
    out[#out + 1] = id
    out[#out + 1] = f[1]
    out[#out + 1] = f[2]
    out[#out + 1] = f[3]
  end
end
return out`;

const digest = (text: string) => ({ text, sha: createHash('sha1').update(text).digest('hex') });
export const GET_MANY_SCRIPT = digest(GET_MANY);
export const LIST_SCRIPT = digest(LIST);
