/** The public types of versioned-record repositories: stored records, options, the repository and its reads. */
import type { z } from 'zod';
import type { RedisClient } from './redis.js';

export interface Stored<T> {
  id: string;
  value: T;
  /** Starts at 1 on creation and grows by one on every write. */
  rev: number;
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
