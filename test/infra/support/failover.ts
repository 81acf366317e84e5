/** Forcing a failover on each topology, and waiting until it has settled. */
import type { SentinelInfo, ClusterInfo } from './topologies.js';
import { clusterRoles, currentMaster } from './topologies.js';
import { cli, until } from './servers.js';

const field = (text: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim();

/** `SENTINEL FAILOVER`; resolves when a replica is master and the old master follows it. */
export async function sentinelFailover(info: SentinelInfo): Promise<{ from: number; to: number }> {
  const from = await currentMaster(info);
  const reply = await cli(info.sentinels[0]!, 'SENTINEL', 'FAILOVER', info.name);
  if (reply !== 'OK') throw new Error(`SENTINEL FAILOVER answered ${reply}`);
  let to = from;
  await until('a new master', async () => (to = await currentMaster(info)) !== from, 30_000);
  return { from, to };
}

/** After a Sentinel failover: the old master is a replica of the new one, link up, and in sync. */
export async function sentinelSettled(info: SentinelInfo, from: number, to: number): Promise<void> {
  await until(
    `old master ${from} replicating from ${to}`,
    async () => {
      const text = await cli(from, 'INFO', 'replication');
      return field(text, 'role') === 'slave' && field(text, 'master_port') === String(to) && field(text, 'master_link_status') === 'up';
    },
    40_000,
  );
  await until('new master has both replicas', async () => field(await cli(to, 'INFO', 'replication'), 'connected_slaves') === '2', 40_000);
}

/** The cluster master that holds `key`'s slot. */
export async function masterOfKey(info: ClusterInfo, key: string): Promise<number> {
  const slot = Number(await cli(info.nodes[0]!, 'CLUSTER', 'KEYSLOT', key));
  const text = await cli(info.nodes[0]!, 'CLUSTER', 'NODES');
  for (const line of text.split('\n')) {
    const cols = line.split(' ');
    if (!cols[2]?.includes('master') || cols[2].includes('fail')) continue;
    for (const range of cols.slice(8)) {
      const [lo, hi = lo] = range.split('-').map(Number);
      if (lo !== undefined && hi !== undefined && slot >= lo && slot <= hi) return Number(cols[1]!.split('@')[0]!.split(':')[1]);
    }
  }
  throw new Error(`no master holds slot ${slot}`);
}

/** `CLUSTER FAILOVER` on a replica of the master holding `key`; resolves once it is master. */
export async function clusterFailover(info: ClusterInfo, key: string): Promise<{ from: number; to: number }> {
  const from = await masterOfKey(info, key);
  const to = (await clusterRoles(info)).replicaOf(from);
  if (to === undefined) throw new Error(`master ${from} has no healthy replica`);
  const reply = await cli(to, 'CLUSTER', 'FAILOVER');
  if (reply !== 'OK') throw new Error(`CLUSTER FAILOVER answered ${reply}`);
  await until(`replica ${to} promoted`, async () => field(await cli(to, 'INFO', 'replication'), 'role') === 'master', 30_000);
  return { from, to };
}

/** Every node says the cluster is ok and every master has a replica again. */
export async function clusterSettled(info: ClusterInfo): Promise<void> {
  await until(
    'cluster ok everywhere',
    async () => {
      for (const p of info.nodes) if (field(await cli(p, 'CLUSTER', 'INFO'), 'cluster_state') !== 'ok') return false;
      const roles = await clusterRoles(info);
      return roles.masters.length === 3 && roles.masters.every((m) => roles.replicaOf(m) !== undefined);
    },
    40_000,
  );
}
