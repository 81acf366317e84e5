/**
 * Versioned records: zod-validated JSON values stored one Redis hash per record, with a schema
 * version `v` (so old records can be migrated on read) and an optimistic revision `rev` (so two
 * processes editing the same record cannot overwrite each other). Every write is one Lua script,
 * so a record is never half-written and its index never disagrees with it.
 *
 * Layout (under the connection's key prefix):
 *   rec:{<name>}:<id>  hash { v, rev, data }
 *   rec:{<name>}       sorted set of ids, scored by expiry time (+inf when records do not expire)
 *   rec:{<name>}#stamp counter bumped by every write of any record (repositories with `stamped`)
 * The `{<name>}` hash tag keeps a repository's keys in one Cluster slot, which the scripts need.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { RedisClient } from './redis.js';

export interface Stored<T> {
  id: string;
  value: T;
  /** Starts at 1 on creation and grows by one on every write. */
  rev: number;
}

export class RecordConflictError extends Error {
  constructor(
    readonly repository: string,
    readonly id: string,
    message: string,
  ) {
    super(`${repository}/${id}: ${message}`);
    this.name = 'RecordConflictError';
  }
}

export class RecordNotFoundError extends Error {
  constructor(
    readonly repository: string,
    readonly id: string,
  ) {
    super(`${repository}/${id}: no such record`);
    this.name = 'RecordNotFoundError';
  }
}

/** A stored record that cannot be read: newer schema than this code, or data that fails the schema. */
export class RecordUnreadableError extends Error {
  constructor(
    readonly repository: string,
    readonly id: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${repository}/${id}: ${message}`, options);
    this.name = 'RecordUnreadableError';
  }
}

export interface RepositoryOptions<T> {
  redis: RedisClient;
  /** Repository name, part of every key: letters, digits, `-` and `_`. */
  name: string;
  schema: z.ZodType<T>;
  /** Current schema version, written into every record. Bump it when the shape changes. */
  version: number;
  /**
   * Turns data written under an older version into something `schema` accepts. Called on read;
   * the migrated value is written back (at `version`) by the next write of that record.
   */
  migrate?: (data: unknown, fromVersion: number) => unknown;
  /** Records expire this long after their last write. Default: never. */
  ttlMs?: number;
  /**
   * Keep a counter that every write of any record bumps in the same script (`stamp()`), so a
   * cache built from several records can check with one read that none of them changed since.
   * A stamp read before the records were read never runs ahead of them. Default: false.
   */
  stamped?: boolean;
}

export interface Repository<T> {
  readonly name: string;
  get(id: string): Promise<Stored<T> | undefined>;
  /** Create; throws RecordConflictError when the id is taken. */
  put(id: string, value: T): Promise<Stored<T>>;
  /**
   * Replace the value with `fn(current)`. With `expectedRev`, the write happens only if the record
   * is still at that revision (else RecordConflictError); without it, a conflicting write from
   * elsewhere makes `fn` run again on the fresh value. Throws RecordNotFoundError when absent.
   */
  update(id: string, fn: (current: T) => T, expectedRev?: number): Promise<Stored<T>>;
  /** Create or replace with `fn(current or undefined)`, retrying on conflicts like `update`. */
  upsert(id: string, fn: (current: T | undefined) => T): Promise<Stored<T>>;
  /** Resolves false when there was nothing to delete; with `expectedRev`, conflicts throw. */
  delete(id: string, expectedRev?: number): Promise<boolean>;
  /** Every live record, by id. Meant for small repositories (config-sized, not message-sized). */
  list(): Promise<Stored<T>[]>;
  /** A record's revision without reading its data (0 when absent). */
  revOf(id: string): Promise<number>;
  /** The repository's write counter (0 before the first write); only with `stamped`. */
  stamp(): Promise<number>;
  /**
   * Several records and the write counter, read at one instant in one command (a cache can key
   * what it builds from them by that stamp exactly). Missing records are undefined. Only with `stamped`.
   */
  getManyStamped(ids: readonly string[]): Promise<{ stamp: number; records: (Stored<T> | undefined)[] }>;
  /** Every live record and the write counter, read at one instant in one command. Only with `stamped`. */
  listStamped(): Promise<{ stamp: number; records: Stored<T>[] }>;
  /** The reads above as single commands, to send with reads of other repositories (sendReads). */
  readonly reads: {
    get(id: string): Read<Stored<T> | undefined>;
    revOf(id: string): Read<number>;
    stamp(): Read<number>;
    getManyStamped(ids: readonly string[]): Read<{ stamp: number; records: (Stored<T> | undefined)[] }>;
    listStamped(): Read<{ stamp: number; records: Stored<T>[] }>;
  };
}

/** One read command (keys without the connection's prefix) and how to turn its reply into a result. */
export interface Read<R> {
  readonly command: readonly [name: string, ...args: (string | number)[]];
  /** For a script sent by digest (EVALSHA): its text, sent instead when Redis does not know it. */
  readonly script?: string;
  decode(reply: unknown): R;
}

type Results<Rs extends readonly Read<unknown>[]> = { [K in keyof Rs]: Rs[K] extends Read<infer R> ? R : never };

const isNoScript = (e: unknown) => e instanceof Error && e.message.startsWith('NOSCRIPT');

/** Send one read; a script Redis does not know (a restarted or flushed server) is sent in full. */
async function sendRead(redis: RedisClient, read: Read<unknown>): Promise<unknown> {
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

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Braces would move the Cluster hash tag; whitespace and control characters are never intended. */
const ID = /^[^\s{}]{1,512}$/;
/** How often `update`/`upsert` re-run `fn` after losing a race before giving up. */
const MAX_RACES = 20;

// Every script takes the stamp key as KEYS[3] and bumps it when the last ARGV is '1'.

// KEYS: record, index, stamp. ARGV: id, v, json, ttlMs, expiresAt, stamped.
const PUT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'rev', 1, 'data', ARGV[3])
if tonumber(ARGV[4]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
if ARGV[6] == '1' then redis.call('INCR', KEYS[3]) end
return 1`;

// KEYS: record, index, stamp. ARGV: id, v, json, ttlMs, expiresAt, expectedRev, stamped. Returns the new rev, -1 missing, -2 conflict.
const UPDATE = `
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
const DELETE = `
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
const GET_MANY_SCRIPT = digest(GET_MANY);
const LIST_SCRIPT = digest(LIST);

export function createRepository<T>(options: RepositoryOptions<T>): Repository<T> {
  const { redis, name, schema, version } = options;
  if (!NAME.test(name)) throw new Error(`repository name "${name}" must match ${NAME.source}`);
  if (!Number.isInteger(version) || version < 1) throw new Error(`repository ${name}: version must be a positive integer`);
  const ttlMs = options.ttlMs ?? 0;
  const indexKey = `rec:{${name}}`;
  // Not of the form `rec:{name}:<id>`, so no record id can collide with it; same Cluster slot.
  const stampKey = `rec:{${name}}#stamp`;
  const stamped = options.stamped ? '1' : '0';

  const keyOf = (id: string): string => {
    if (!ID.test(id)) throw new Error(`repository ${name}: invalid record id ${JSON.stringify(id)}`);
    return `rec:{${name}}:${id}`;
  };

  const encode = (id: string, value: T): string => {
    const parsed = schema.safeParse(value);
    // Refuse to store what we could not read back.
    if (!parsed.success) throw new Error(`repository ${name}: refusing to write invalid record ${id}: ${parsed.error.message}`);
    return JSON.stringify(parsed.data);
  };

  const decode = (id: string, v: string, rev: string, data: string): Stored<T> => {
    const stored = Number(v);
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch (e) {
      throw new RecordUnreadableError(name, id, 'stored data is not JSON', { cause: e });
    }
    if (stored > version) throw new RecordUnreadableError(name, id, `written by a newer Day2 (schema v${stored}, this one knows v${version}); upgrade before reading it`);
    if (stored < version) {
      if (!options.migrate) throw new RecordUnreadableError(name, id, `schema v${stored} is older than v${version} and the repository has no migrate function`);
      raw = options.migrate(raw, stored);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new RecordUnreadableError(name, id, `stored data fails the v${version} schema: ${parsed.error.message}`);
    return { id, value: parsed.data, rev: Number(rev) };
  };

  const expiry = (): string => (ttlMs > 0 ? String(Date.now() + ttlMs) : '+inf');

  const requireStamped = () => {
    if (!options.stamped) throw new Error(`repository ${name} keeps no stamp; create it with stamped: true`);
  };
  const reads: Repository<T>['reads'] = {
    get: (id) => ({
      command: ['hmget', keyOf(id), 'v', 'rev', 'data'],
      decode: (reply) => {
        const [v, rev, data] = reply as (string | null)[];
        return v == null || rev == null || data == null ? undefined : decode(id, v, rev, data);
      },
    }),
    revOf: (id) => ({ command: ['hget', keyOf(id), 'rev'], decode: (reply) => Number(reply ?? 0) }),
    stamp: () => {
      requireStamped();
      return { command: ['get', stampKey], decode: (reply) => Number(reply ?? 0) };
    },
    getManyStamped: (ids) => {
      requireStamped();
      const keys = [stampKey, ...ids.map(keyOf)];
      return {
        command: ['evalsha', GET_MANY_SCRIPT.sha, keys.length, ...keys],
        script: GET_MANY_SCRIPT.text,
        decode: (r) => {
          const reply = r as (string | number | null)[];
          const records = ids.map((id, i) => {
            const [v, rev, data] = reply.slice(1 + 3 * i, 4 + 3 * i);
            return v == null || rev == null || data == null ? undefined : decode(id, String(v), String(rev), String(data));
          });
          return { stamp: Number(reply[0]), records };
        },
      };
    },
    listStamped: () => {
      requireStamped();
      return {
        command: ['evalsha', LIST_SCRIPT.sha, 2, indexKey, stampKey],
        script: LIST_SCRIPT.text,
        decode: (r) => {
          const reply = r as (string | number)[];
          const records: Stored<T>[] = [];
          for (let i = 1; i + 4 <= reply.length; i += 4) records.push(decode(String(reply[i]), String(reply[i + 1]), String(reply[i + 2]), String(reply[i + 3])));
          return { stamp: Number(reply[0]), records: records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
        },
      };
    },
  };
  const readOne = async <R>(read: Read<R>): Promise<R> => read.decode(await sendRead(redis, read));

  const get = async (id: string): Promise<Stored<T> | undefined> => readOne(reads.get(id));

  const put = async (id: string, value: T): Promise<Stored<T>> => {
    const json = encode(id, value);
    const ok = await redis.eval(PUT, 3, keyOf(id), indexKey, stampKey, id, version, json, ttlMs, expiry(), stamped);
    if (Number(ok) !== 1) throw new RecordConflictError(name, id, 'already exists');
    return { id, value: JSON.parse(json) as T, rev: 1 };
  };

  /** One compare-and-set; resolves undefined on a lost race, throws on a missing record. */
  const casWrite = async (id: string, value: T, expectedRev: number): Promise<Stored<T> | undefined> => {
    const json = encode(id, value);
    const res = Number(await redis.eval(UPDATE, 3, keyOf(id), indexKey, stampKey, id, version, json, ttlMs, expiry(), expectedRev, stamped));
    if (res === -1) throw new RecordNotFoundError(name, id);
    if (res === -2) return undefined;
    return { id, value: JSON.parse(json) as T, rev: res };
  };

  const update = async (id: string, fn: (current: T) => T, expectedRev?: number): Promise<Stored<T>> => {
    for (let race = 0; race < MAX_RACES; race++) {
      const current = await get(id);
      if (!current) throw new RecordNotFoundError(name, id);
      if (expectedRev !== undefined && current.rev !== expectedRev) throw new RecordConflictError(name, id, `expected rev ${expectedRev}, found ${current.rev}`);
      const written = await casWrite(id, fn(current.value), current.rev);
      if (written) return written;
      if (expectedRev !== undefined) throw new RecordConflictError(name, id, `changed while writing rev ${expectedRev}`);
    }
    throw new RecordConflictError(name, id, `lost ${MAX_RACES} races in a row; too much contention`);
  };

  const upsert = async (id: string, fn: (current: T | undefined) => T): Promise<Stored<T>> => {
    for (let race = 0; race < MAX_RACES; race++) {
      const current = await get(id);
      if (!current) {
        try {
          return await put(id, fn(undefined));
        } catch (e) {
          if (e instanceof RecordConflictError) continue;
          throw e;
        }
      }
      try {
        const written = await casWrite(id, fn(current.value), current.rev);
        if (written) return written;
      } catch (e) {
        // Deleted between our read and write: start over as a create.
        if (!(e instanceof RecordNotFoundError)) throw e;
      }
    }
    throw new RecordConflictError(name, id, `lost ${MAX_RACES} races in a row; too much contention`);
  };

  const del = async (id: string, expectedRev?: number): Promise<boolean> => {
    const res = Number(await redis.eval(DELETE, 3, keyOf(id), indexKey, stampKey, id, expectedRev === undefined ? '' : String(expectedRev), stamped));
    if (res === -2) throw new RecordConflictError(name, id, `expected rev ${expectedRev} on delete`);
    return res === 1;
  };

  const list = async (): Promise<Stored<T>[]> => {
    // Expired records vanish on their own; their index entries are pruned here.
    if (ttlMs > 0) await redis.zremrangebyscore(indexKey, '-inf', `(${Date.now()}`);
    const ids = (await redis.zrange(indexKey, '0', '-1')).sort();
    const out: Stored<T>[] = [];
    for (const id of ids) {
      const rec = await get(id);
      if (rec) out.push(rec);
    }
    return out;
  };

  const revOf = async (id: string): Promise<number> => readOne(reads.revOf(id));
  const stamp = async (): Promise<number> => readOne(reads.stamp());
  const getManyStamped = async (ids: readonly string[]) => readOne(reads.getManyStamped(ids));
  const listStamped = async () => readOne(reads.listStamped());

  return { name, get, put, update, upsert, delete: del, list, revOf, stamp, getManyStamped, listStamped, reads };
}
