/** What every operation of one repository shares: its keys, and how records are encoded and decoded. */
import type { z } from 'zod';
import type { RedisClient } from './redis.js';
import { RecordUnreadableError } from './record-errors.js';
import type { RepositoryOptions, Stored } from './record-types.js';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Braces would move the Cluster hash tag; whitespace and control characters are never intended. */
const ID = /^[^\s{}]{1,512}$/;

export interface RecordContext<T> {
  readonly redis: RedisClient;
  readonly name: string;
  readonly schema: z.ZodType<T>;
  readonly version: number;
  readonly options: RepositoryOptions<T>;
  readonly ttlMs: number;
  readonly indexKey: string;
  readonly stampKey: string;
  /** '1' when every write bumps the stamp, else '0' (the scripts' last argument). */
  readonly stamped: '1' | '0';
  keyOf(id: string): string;
  encode(id: string, value: T): string;
  decode(id: string, v: string, rev: string, data: string): Stored<T>;
  /** The index score of a record written now. */
  expiry(): string;
  requireStamped(): void;
}

/** Validates the options and builds the shared context; throws on a bad name or version. */
export function createRecordContext<T>(options: RepositoryOptions<T>): RecordContext<T> {
  const { redis, name, schema, version } = options;
  if (!NAME.test(name)) throw new Error(`repository name "${name}" must match ${NAME.source}`);
  if (!Number.isInteger(version) || version < 1) throw new Error(`repository ${name}: version must be a positive integer`);
  const ttlMs = options.ttlMs ?? 0;
  return {
    redis,
    name,
    schema,
    version,
    options,
    ttlMs,
    indexKey: `rec:{${name}}`,
    // Not of the form `rec:{name}:<id>`, so no record id can collide with it; same Cluster slot.
    stampKey: `rec:{${name}}#stamp`,
    stamped: options.stamped ? '1' : '0',
    keyOf: (id) => {
      if (!ID.test(id)) throw new Error(`repository ${name}: invalid record id ${JSON.stringify(id)}`);
      return `rec:{${name}}:${id}`;
    },
    encode: (id, value) => {
      const parsed = schema.safeParse(value);
      // Refuse to store what we could not read back.
      if (!parsed.success) throw new Error(`repository ${name}: refusing to write invalid record ${id}: ${parsed.error.message}`);
      return JSON.stringify(parsed.data);
    },
    decode: (id, v, rev, data) => decodeRecord(options, id, v, rev, data),
    expiry: () => (ttlMs > 0 ? String(Date.now() + ttlMs) : '+inf'),
    requireStamped: () => {
      if (!options.stamped) throw new Error(`repository ${name} keeps no stamp; create it with stamped: true`);
    },
  };
}

/** Parse a stored record, migrating it from an older schema version when needed. */
function decodeRecord<T>(options: RepositoryOptions<T>, id: string, v: string, rev: string, data: string): Stored<T> {
  const { name, schema, version } = options;
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
}
