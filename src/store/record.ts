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
 *
 * This file is the public entry; the parts live next to it in record-*.ts.
 */
import { createRecordContext, type RecordContext } from './record-context.js';
import { createReads } from './record-reads.js';
import { sendRead } from './record-send.js';
import type { Read, Repository, RepositoryOptions, Stored } from './record-types.js';
import { createWrites } from './record-writes.js';

export { RecordConflictError, RecordNotFoundError, RecordUnreadableError } from './record-errors.js';
export { sendReads } from './record-send.js';
export type { Read, Repository, RepositoryOptions, Stored } from './record-types.js';

export function createRepository<T>(options: RepositoryOptions<T>): Repository<T> {
  const ctx = createRecordContext(options);
  const reads = createReads(ctx);
  const readOne = async <R>(read: Read<R>): Promise<R> => read.decode(await sendRead(ctx.redis, read));

  const get = async (id: string): Promise<Stored<T> | undefined> => readOne(reads.get(id));
  const { put, update, upsert, delete: del } = createWrites(ctx, get);
  const list = async (): Promise<Stored<T>[]> => listAll(ctx, get);

  const revOf = async (id: string): Promise<number> => readOne(reads.revOf(id));
  const stamp = async (): Promise<number> => readOne(reads.stamp());
  const getManyStamped = async (ids: readonly string[]) => readOne(reads.getManyStamped(ids));
  const listStamped = async () => readOne(reads.listStamped());

  return { name: ctx.name, get, put, update, upsert, delete: del, list, revOf, stamp, getManyStamped, listStamped, reads };
}

/** Every live record by id, one read each (a small repository's `list`). */
async function listAll<T>(ctx: RecordContext<T>, get: (id: string) => Promise<Stored<T> | undefined>): Promise<Stored<T>[]> {
  const { redis, ttlMs, indexKey } = ctx;
  // Expired records vanish on their own; their index entries are pruned here.
  if (ttlMs > 0) await redis.zremrangebyscore(indexKey, '-inf', `(${Date.now()}`);
  const ids = (await redis.zrange(indexKey, '0', '-1')).sort();
  const out: Stored<T>[] = [];
  for (const id of ids) {
    const rec = await get(id);
    if (rec) out.push(rec);
  }
  return out;
}
