/**
 * Redis connections. Day2's own keys go through a connection with an ioredis `keyPrefix`
 * (`<prefix>:`); BullMQ gets plain connections and its own `prefix` option, because BullMQ
 * refuses ioredis key prefixes. `REDIS_URL` may name a single server (`redis://`, `rediss://`),
 * a Sentinel set-up or a Cluster (see parseRedisUrl).
 */
import { Redis, Cluster, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface RedisTarget {
  kind: 'single' | 'sentinel' | 'cluster';
  url: string;
}

/**
 * `redis://host:port/db` (single), `redis+sentinel://h1:26379,h2:26379/<master name>[/db]`
 * (Sentinel) or `redis+cluster://h1:7000,h2:7001` (Cluster). On a cluster every BullMQ prefix
 * must be hash-tagged (`{day2}`) so a queue's keys live in one slot; Day2 does that itself.
 */
export function parseRedisUrl(url: string): RedisTarget {
  if (url.startsWith('redis+sentinel://')) return { kind: 'sentinel', url };
  if (url.startsWith('redis+cluster://')) return { kind: 'cluster', url };
  return { kind: 'single', url };
}

function hosts(list: string): { host: string; port: number }[] {
  return list.split(',').map((hp) => {
    const [host, port] = hp.split(':');
    return { host: host ?? '127.0.0.1', port: Number(port ?? 26379) };
  });
}

export interface ConnectOptions {
  /** ioredis key prefix for Day2's own keys, e.g. `day2:`. Leave unset for BullMQ connections. */
  keyPrefix?: string;
  /** BullMQ workers need `null` (block forever); producers and repositories fail fast. */
  blocking?: boolean;
  lazyConnect?: boolean;
}

export function connectRedis(url: string, options: ConnectOptions = {}): RedisClient {
  const base: RedisOptions = {
    keyPrefix: options.keyPrefix,
    lazyConnect: options.lazyConnect ?? false,
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableReadyCheck: true,
  };
  const target = parseRedisUrl(url);
  if (target.kind === 'sentinel') {
    const rest = url.slice('redis+sentinel://'.length);
    const [hostList = '', name = 'mymaster', db = '0'] = rest.split('/');
    return new Redis({ ...base, sentinels: hosts(hostList), name, db: Number(db) });
  }
  if (target.kind === 'cluster') {
    const rest = url.slice('redis+cluster://'.length).split('/')[0] ?? '';
    return new Cluster(hosts(rest), { keyPrefix: options.keyPrefix, lazyConnect: base.lazyConnect, redisOptions: base });
  }
  return new Redis(url, base);
}

/** The BullMQ prefix for a Day2 redis prefix; hash-tagged so it is cluster-safe everywhere. */
export function queuePrefix(redisPrefix: string): string {
  return redisPrefix.includes('{') ? redisPrefix : `{${redisPrefix}}`;
}
