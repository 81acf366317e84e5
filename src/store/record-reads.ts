/** A repository's reads as single Redis commands (`Repository.reads`), each with its reply decoder. */
import type { RecordContext } from './record-context.js';
import { GET_MANY_SCRIPT, LIST_SCRIPT } from './record-scripts.js';
import type { Read, Repository, Stored } from './record-types.js';

type Reads<T> = Repository<T>['reads'];

export function createReads<T>(ctx: RecordContext<T>): Reads<T> {
  const { keyOf, decode, stampKey, requireStamped } = ctx;
  return {
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
    getManyStamped: (ids) => getManyStampedRead(ctx, ids),
    listStamped: () => listStampedRead(ctx),
  };
}

function getManyStampedRead<T>(ctx: RecordContext<T>, ids: readonly string[]): ReturnType<Reads<T>['getManyStamped']> {
  ctx.requireStamped();
  const keys = [ctx.stampKey, ...ids.map(ctx.keyOf)];
  return {
    command: ['evalsha', GET_MANY_SCRIPT.sha, keys.length, ...keys],
    script: GET_MANY_SCRIPT.text,
    decode: (r) => {
      const reply = r as (string | number | null)[];
      const records = ids.map((id, i) => {
        const [v, rev, data] = reply.slice(1 + 3 * i, 4 + 3 * i);
        return v == null || rev == null || data == null ? undefined : ctx.decode(id, String(v), String(rev), String(data));
      });
      return { stamp: Number(reply[0]), records };
    },
  };
}

function listStampedRead<T>(ctx: RecordContext<T>): Read<{ stamp: number; records: Stored<T>[] }> {
  ctx.requireStamped();
  return {
    command: ['evalsha', LIST_SCRIPT.sha, 2, ctx.indexKey, ctx.stampKey],
    script: LIST_SCRIPT.text,
    decode: (r) => {
      const reply = r as (string | number)[];
      const records: Stored<T>[] = [];
      for (let i = 1; i + 4 <= reply.length; i += 4) records.push(ctx.decode(String(reply[i]), String(reply[i + 1]), String(reply[i + 2]), String(reply[i + 3])));
      return { stamp: Number(reply[0]), records: records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
    },
  };
}
