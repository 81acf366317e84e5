/**
 * "Done" survives a Sentinel failover. Redis replicates asynchronously: when Sentinel promotes a
 * replica, writes the old master accepted after that moment (it keeps serving until it is
 * reconfigured, about a second) are discarded when it rejoins as a replica. failoverDetector
 * shortens that window but cannot close it (measured: hundreds of confirmed writes lost in a
 * burst). So a write counts as done only once every replica Sentinel knows as healthy has it
 * (`WAIT n ms`): the promoted replica then has it whichever it is, and a write the old master took
 * after the promotion cannot reach it, so it times out and is reported as not done.
 *
 * Trade-off: while a replica Sentinel still counts as in sync is unreachable, writes wait up to
 * WAIT_MS and answer "reconnecting"; Sentinel drops a dead replica from the count after its
 * down-after-milliseconds. Right after a failover, until the old master has resynced, fewer
 * replicas are waited for: a second failover within those seconds may lose writes. Single servers and Cluster connections are not tracked here (a manual
 * CLUSTER FAILOVER is coordinated by Redis itself and loses nothing).
 */
import { Redis, type Cluster } from 'ioredis';

/** How long a write waits for its replicas before it is reported as not done. */
export const WAIT_MS = 1_000;
const REFRESH_MS = 1_000;

/** A write was accepted but not replicated in time: it may be lost by a failover in progress. */
export class RedisNotReplicatedError extends Error {
  constructor(acked: number, needed: number) {
    super(`write reached ${acked} of ${needed} replicas within ${WAIT_MS} ms: Redis may be failing over`);
    this.name = 'RedisNotReplicatedError';
  }
}

interface Tracker {
  replicas: number;
  stop(): void;
}

const trackers = new WeakMap<object, Tracker>();

/**
 * Replicas a write must reach, from one sentinel's `SENTINEL REPLICAS` reply (flat field/value
 * lists): every replica that is up and reports itself a replica, plus the one being promoted.
 * Counting the promoted one closes the window: once it has left the old master, that master
 * cannot collect enough acknowledgements, so its late writes are never reported done. An old
 * master not yet turned into a replica (it still reports "master") is not counted, so writes on
 * the new master do not stall until it rejoins. (`master-link-status` is no guide: sentinels
 * refresh it every 10 s and report "err" for healthy replicas meanwhile.)
 */
function replicasToWaitFor(reply: unknown): number {
  if (!Array.isArray(reply)) return 0;
  return reply.filter((entry) => {
    const fields = Array.isArray(entry) ? (entry as string[]) : [];
    const field = (k: string) => fields[fields.indexOf(k) + 1] ?? '';
    if (/s_down|o_down|disconnected/.test(field('flags'))) return false;
    return field('flags').includes('promoted') || field('role-reported') === 'slave';
  }).length;
}

/**
 * Keep `client`'s replica count current from the sentinels (every second, and whenever it gets
 * ready): the largest count any sentinel gives, since only the failover's leader marks the
 * replica it promotes. Until the first answer the count is unknown and writes are not held back.
 */
export function trackReplicas(client: Redis, sentinels: { host: string; port: number }[], name: string): void {
  const probes = sentinels.map((at) => {
    const probe = new Redis({ host: at.host, port: at.port, lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: 800, retryStrategy: (n) => Math.min(200 * n, 2_000) });
    probe.on('error', () => undefined);
    return probe;
  });
  const tracker: Tracker = { replicas: 0, stop: () => undefined };
  const refresh = async () => {
    const counts = await Promise.all(probes.map((p) => p.call('sentinel', 'replicas', name).then(replicasToWaitFor, () => undefined)));
    const answered = counts.filter((c): c is number => c !== undefined);
    // No sentinel answered: keep the last count rather than stop holding writes back.
    if (answered.length > 0) tracker.replicas = Math.max(...answered);
  };
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  timer.unref();
  client.on('ready', () => void refresh());
  client.once('end', () => tracker.stop());
  tracker.stop = () => {
    clearInterval(timer);
    for (const p of probes) p.disconnect();
  };
  trackers.set(client, tracker);
  void refresh();
}

/** Resolve once this connection's writes so far are on every healthy replica; else throw. */
export async function confirmWrites(client: Redis | Cluster): Promise<void> {
  const tracker = trackers.get(client);
  if (!tracker || tracker.replicas === 0) return;
  const needed = tracker.replicas;
  const acked = Number(await (client as Redis).call('wait', needed, WAIT_MS));
  if (acked < needed) throw new RedisNotReplicatedError(acked, needed);
}
