/** A repository's writes: create, compare-and-set update, upsert and delete, each one Lua script. */
import type { RecordContext } from './record-context.js';
import { confirmWrites } from './redis-durability.js';
import { RecordConflictError, RecordNotFoundError } from './record-errors.js';
import { DELETE, PUT, UPDATE } from './record-scripts.js';
import type { Repository, Stored } from './record-types.js';

/** How often `update`/`upsert` re-run `fn` after losing a race before giving up. */
const MAX_RACES = 20;

export type Writes<T> = Pick<Repository<T>, 'put' | 'update' | 'upsert' | 'delete'>;

/** The writes of one repository; `get` reads the current record before a compare-and-set. */
export function createWrites<T>(ctx: RecordContext<T>, get: (id: string) => Promise<Stored<T> | undefined>): Writes<T> {
  const { redis, name, version, ttlMs, indexKey, stampKey, stamped, keyOf, encode, expiry } = ctx;

  const put = async (id: string, value: T): Promise<Stored<T>> => {
    const json = encode(id, value);
    const ok = await redis.eval(PUT, 3, keyOf(id), indexKey, stampKey, id, version, json, ttlMs, expiry(), stamped);
    if (Number(ok) !== 1) throw new RecordConflictError(name, id, 'already exists');
    // Done means replicated: a Sentinel failover must not take it back (redis-durability.ts).
    await confirmWrites(redis);
    return { id, value: JSON.parse(json) as T, rev: 1 };
  };

  /** One compare-and-set; resolves undefined on a lost race, throws on a missing record. */
  const casWrite = async (id: string, value: T, expectedRev: number): Promise<Stored<T> | undefined> => {
    const json = encode(id, value);
    const res = Number(await redis.eval(UPDATE, 3, keyOf(id), indexKey, stampKey, id, version, json, ttlMs, expiry(), expectedRev, stamped));
    if (res === -1) throw new RecordNotFoundError(name, id);
    if (res === -2) return undefined;
    await confirmWrites(redis);
    return { id, value: JSON.parse(json) as T, rev: res };
  };

  const del = async (id: string, expectedRev?: number): Promise<boolean> => {
    const res = Number(await redis.eval(DELETE, 3, keyOf(id), indexKey, stampKey, id, expectedRev === undefined ? '' : String(expectedRev), stamped));
    if (res === -2) throw new RecordConflictError(name, id, `expected rev ${expectedRev} on delete`);
    if (res === 1) await confirmWrites(redis);
    return res === 1;
  };

  return {
    put,
    update: (id, fn, expectedRev) => updateWithRetries(name, get, casWrite, id, fn, expectedRev),
    upsert: (id, fn) => upsertWithRetries(name, get, put, casWrite, id, fn),
    delete: del,
  };
}

type Get<T> = (id: string) => Promise<Stored<T> | undefined>;
type CasWrite<T> = (id: string, value: T, expectedRev: number) => Promise<Stored<T> | undefined>;

async function updateWithRetries<T>(name: string, get: Get<T>, casWrite: CasWrite<T>, id: string, fn: (current: T) => T, expectedRev?: number): Promise<Stored<T>> {
  for (let race = 0; race < MAX_RACES; race++) {
    const current = await get(id);
    if (!current) throw new RecordNotFoundError(name, id);
    if (expectedRev !== undefined && current.rev !== expectedRev) throw new RecordConflictError(name, id, `expected rev ${expectedRev}, found ${current.rev}`);
    const written = await casWrite(id, fn(current.value), current.rev);
    if (written) return written;
    if (expectedRev !== undefined) throw new RecordConflictError(name, id, `changed while writing rev ${expectedRev}`);
  }
  throw new RecordConflictError(name, id, `lost ${MAX_RACES} races in a row; too much contention`);
}

async function upsertWithRetries<T>(
  name: string,
  get: Get<T>,
  put: (id: string, value: T) => Promise<Stored<T>>,
  casWrite: CasWrite<T>,
  id: string,
  fn: (current: T | undefined) => T,
): Promise<Stored<T>> {
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
}
