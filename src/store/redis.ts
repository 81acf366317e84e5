/**
 * Redis connections. Day2's own keys go through a connection with an ioredis `keyPrefix`
 * (`<prefix>:`); BullMQ gets plain connections and its own `prefix` option, because BullMQ
 * refuses ioredis key prefixes. `REDIS_URL` may name a single server (`redis://`, `rediss://`),
 * a Sentinel set-up or a Cluster (see parseRedisUrl).
 *
 * Failovers: a command is retried for a bounded time (about 10 s) while Redis reconnects or a
 * replica is promoted, then fails with an error `isRedisUnavailable` recognises, which the
 * dispatcher turns into "reconnecting, try again in a moment".
 */
import { Redis, Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Logger } from '../log.js';
import { trackReplicas } from './redis-durability.js';
import { watchRedis } from './redis-watch.js';

export { isRedisUnavailable, pingMasters } from './redis-watch.js';
export { confirmWrites } from './redis-durability.js';

export type RedisClient = Redis | Cluster;

export interface RedisTarget {
  kind: 'single' | 'sentinel' | 'cluster';
  url: string;
}

/**
 * `redis://host:port/db` (single), `redis+sentinel://[user:pass@]h1:26379,h2:26379/<master name>[/db]`
 * (Sentinel) or `redis+cluster://[user:pass@]h1:7000,h2:7001` (Cluster). On a cluster every key a
 * script or transaction touches must share a slot, so Day2 hash-tags its prefixes there (`{day2}`).
 */
export function parseRedisUrl(url: string): RedisTarget {
  if (url.startsWith('redis+sentinel://')) return { kind: 'sentinel', url };
  if (url.startsWith('redis+cluster://')) return { kind: 'cluster', url };
  return { kind: 'single', url };
}

interface Parsed {
  hosts: { host: string; port: number }[];
  path: string[];
  username?: string;
  password?: string;
}

/** `[user:pass@]h1:p1,h2:p2/a/b` after the scheme; `new URL` cannot read a host list. */
function parseHostList(rest: string, defaultPort: number): Parsed {
  const at = rest.lastIndexOf('@', rest.indexOf('/') === -1 ? undefined : rest.indexOf('/'));
  const auth = at >= 0 ? rest.slice(0, at) : '';
  const [list = '', ...path] = rest.slice(at + 1).split('/');
  const [user, pass] = auth.includes(':') ? auth.split(':', 2) : [undefined, auth || undefined];
  const hosts = list.split(',').filter(Boolean).map((hp) => {
    const i = hp.lastIndexOf(':');
    return i < 0 ? { host: hp, port: defaultPort } : { host: hp.slice(0, i) || '127.0.0.1', port: Number(hp.slice(i + 1)) };
  });
  const decode = (s?: string) => (s ? decodeURIComponent(s) : undefined);
  return { hosts, path: path.filter(Boolean), username: decode(user), password: decode(pass) };
}

export interface ConnectOptions {
  /** ioredis key prefix for Day2's own keys, e.g. `day2:`. Leave unset for BullMQ connections. */
  keyPrefix?: string;
  /** BullMQ workers need `null` (block forever); producers and repositories fail after a bounded retry. */
  blocking?: boolean;
  lazyConnect?: boolean;
  /** Gets one line per state change (connect, ready, reconnecting, failover, end). */
  log?: Logger;
  /** Which connection this is, in those log lines (e.g. `day2`, `bullmq`). */
  name?: string;
}

/** Retries per command across reconnects: with the delays below, about 10 s before giving up. */
const MAX_RETRIES_PER_REQUEST = 10;
const reconnectDelay = (times: number) => Math.min(100 * times, 2_000);

/**
 * READONLY: we wrote to a master that was just demoted. Reconnect (Sentinel then names the new
 * master) and resend the command (2), instead of failing it.
 */
function reconnectOnError(err: Error): boolean | 2 {
  return /^(READONLY|LOADING|MASTERDOWN)/.test(err.message) ? 2 : false;
}

function baseOptions(options: ConnectOptions): RedisOptions {
  return {
    keyPrefix: options.keyPrefix,
    lazyConnect: options.lazyConnect ?? false,
    maxRetriesPerRequest: options.blocking ? null : MAX_RETRIES_PER_REQUEST,
    enableReadyCheck: true,
    retryStrategy: reconnectDelay,
    reconnectOnError,
  };
}

/** On a cluster, `day2:` becomes `{day2}:` so Day2's multi-key scripts stay in one slot. */
export function clusterKeyPrefix(keyPrefix: string | undefined): string | undefined {
  if (!keyPrefix || keyPrefix.includes('{')) return keyPrefix;
  return `{${keyPrefix.replace(/:$/, '')}}:`;
}

export function connectRedis(url: string, options: ConnectOptions = {}): RedisClient {
  const target = parseRedisUrl(url);
  const base = baseOptions(options);
  let client: RedisClient;
  if (target.kind === 'sentinel') {
    const p = parseHostList(url.slice('redis+sentinel://'.length), 26379);
    const [name = 'mymaster', db = '0'] = p.path;
    client = new Redis({
      ...base,
      sentinels: p.hosts,
      name,
      db: Number(db),
      username: p.username,
      password: p.password,
      // Without it ioredis keeps writing to the old master until its connection breaks, and
      // writes it confirmed there are lost when that master rejoins as a replica.
      failoverDetector: true,
      sentinelRetryStrategy: (times) => Math.min(100 * times, 1_000),
      sentinelReconnectStrategy: (times) => Math.min(100 * times, 1_000),
    });
    // Writes count as done once on every healthy replica (redis-durability.ts).
    trackReplicas(client, p.hosts, name);
  } else if (target.kind === 'cluster') {
    const p = parseHostList(url.slice('redis+cluster://'.length), 6379);
    client = new Cluster(p.hosts, clusterOptions(base, p, options));
  } else {
    client = new Redis(url, base);
  }
  watchRedis(client, { kind: target.kind, name: options.name ?? (options.keyPrefix ? 'day2' : 'bullmq'), log: options.log });
  return client;
}

function clusterOptions(base: RedisOptions, p: Parsed, options: ConnectOptions): ClusterOptions {
  const { keyPrefix, lazyConnect, retryStrategy: _r, ...redisOptions } = base;
  return {
    keyPrefix: clusterKeyPrefix(keyPrefix),
    lazyConnect,
    redisOptions: { ...redisOptions, username: p.username, password: p.password },
    // A failover answers CLUSTERDOWN, TRYAGAIN, MOVED or "Connection is closed" for a few
    // seconds; each is retried after a short pause. maxRedirections bounds the whole wait
    // (each retry uses one): 40 × ≤300 ms ≈ 10 s, like MAX_RETRIES_PER_REQUEST elsewhere.
    retryDelayOnFailover: 300,
    retryDelayOnClusterDown: 300,
    retryDelayOnTryAgain: 200,
    retryDelayOnMoved: 50,
    maxRedirections: options.blocking ? 1_000 : 40,
    clusterRetryStrategy: reconnectDelay,
    slotsRefreshTimeout: 2_000,
  };
}

/** The BullMQ prefix for a Day2 redis prefix; hash-tagged so it is cluster-safe everywhere. */
export function queuePrefix(redisPrefix: string): string {
  return redisPrefix.includes('{') ? redisPrefix : `{${redisPrefix}}`;
}
