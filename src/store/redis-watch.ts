/**
 * What a Redis connection is going through, said once per change: connect, ready, reconnecting,
 * failover, end. ioredis emits `reconnecting` and `error` on every retry, and prints
 * "[ioredis] Unhandled error event" for an `error` nobody listens to; during a failover that is
 * hundreds of lines saying the same thing. Also: which errors mean "Redis is failing over".
 */
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../log.js';

type Client = Redis | Cluster;

export interface WatchOptions {
  kind: 'single' | 'sentinel' | 'cluster';
  name: string;
  log?: Logger;
}

/** `host:port` of each master a cluster client currently routes to, sorted. */
function clusterMasters(cluster: Cluster): string[] {
  return cluster
    .nodes('master')
    .map((n) => `${n.options.host ?? '127.0.0.1'}:${n.options.port ?? 6379}`)
    .sort();
}

function addressOf(redis: Redis): string | undefined {
  const s = redis.stream as { remoteAddress?: string; remotePort?: number } | undefined;
  return s?.remoteAddress ? `${s.remoteAddress}:${s.remotePort}` : undefined;
}

export function watchRedis(client: Client, opts: WatchOptions): void {
  const log = opts.log?.child({ redis: opts.name, topology: opts.kind });
  let state = '';
  let erred = false;
  let master: string | undefined;
  const change = (next: string, extra: Record<string, unknown> = {}) => {
    if (next === state) return;
    state = next;
    erred = false;
    const level = next === 'ready' || next === 'connect' ? 'info' : 'warn';
    log?.[level](extra, `redis ${next}`);
  };
  client.on('connect', () => change('connect'));
  client.on('reconnecting', () => change('reconnecting'));
  client.on('end', () => change('end'));
  client.on('ready', () => {
    if (opts.kind === 'cluster') return change('ready', { masters: clusterMasters(client as Cluster) });
    const now = addressOf(client as Redis);
    // Sentinel named another master than last time: that is the failover, seen from here.
    if (master && now && now !== master) change('failover', { from: master, to: now });
    master = now ?? master;
    change('ready', { master });
  });
  if (opts.kind === 'cluster') {
    let masters: string[] = [];
    client.on('refresh', () => {
      const now = clusterMasters(client as Cluster);
      if (masters.length > 0 && now.join() !== masters.join()) {
        change('failover', { from: masters, to: now });
        change('ready', { masters: now });
      }
      masters = now;
    });
    client.on('node error', () => undefined);
  }
  // Listening is what stops "Unhandled error event"; the first error of each state is enough.
  client.on('error', (err: Error) => {
    if (erred) return;
    erred = true;
    log?.warn({ error: err.message, state }, 'redis error');
  });
}

const UNAVAILABLE = [
  /^(CLUSTERDOWN|TRYAGAIN|READONLY|LOADING|MASTERDOWN|MOVED|ASK) /,
  /^Connection is closed/,
  /^Too many Cluster redirections/,
  /^Stream isn't writeable/,
  /enableOfflineQueue/,
  /^Command timed out/,
  /^Reached the max retries per request limit/,
  /sentinel/i,
  /^Failed to refresh slots cache/,
  /^Cluster isn't ready/,
  /^None of startup nodes is available/,
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE/,
];

/**
 * Whether `err` (or an error it wraps, via `cause`) says Redis is reconnecting or failing over,
 * so the same request a moment later will most likely work.
 */
export function isRedisUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    const { name, message } = e;
    if (['MaxRetriesPerRequestError', 'ClusterAllFailedError', 'RedisNotReplicatedError'].includes(name)) return true;
    if (UNAVAILABLE.some((re) => re.test(message))) return true;
    e = e.cause;
  }
  return false;
}

/**
 * For /readyz: every master answers. On a cluster, each master node is pinged (one down master
 * loses its slots); elsewhere the connection's server must answer and be a master (a Sentinel
 * client still pointing at a demoted master is not ready).
 */
export async function pingMasters(client: Client): Promise<void> {
  if (client.isCluster) {
    // Before the first slots refresh the client knows no node; that is "not ready" too.
    if (client.status !== 'ready') throw new Error(`cluster connection is ${client.status}`);
    const masters = (client as Cluster).nodes('master');
    if (masters.length === 0) throw new Error('no cluster master known');
    const failed: string[] = [];
    await Promise.all(
      masters.map((n) => n.ping().catch((e: Error) => void failed.push(`${n.options.host}:${n.options.port}: ${e.message}`))),
    );
    if (failed.length > 0) throw new Error(`cluster masters not answering: ${failed.join('; ')}`);
    return;
  }
  const role = (await (client as Redis).call('role')) as unknown[];
  if (role[0] !== 'master') throw new Error(`connected to a ${String(role[0])}, not a master`);
}
