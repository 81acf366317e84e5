/**
 * The two Redis topologies the infra tests run against, built from plain redis-server processes:
 * a Sentinel group (1 master, 2 replicas, 3 sentinels) and a Cluster (3 masters, 3 replicas).
 */
import { cli, createCluster, freePort, startServer, stopServer, until, type Server } from './servers.js';

export const MASTER_NAME = 'day2';

export interface SentinelInfo {
  url: string;
  name: string;
  sentinels: number[];
  servers: number[];
}

export interface ClusterInfo {
  url: string;
  nodes: number[];
}

export interface Started<T> {
  info: T;
  servers: Server[];
}

const infoField = (text: string, field: string) => new RegExp(`^${field}:(.*)$`, 'm').exec(text)?.[1]?.trim();

export async function startSentinelGroup(root: string): Promise<Started<SentinelInfo>> {
  const servers: Server[] = [];
  const masterPort = await freePort();
  servers.push(await startServer(root, masterPort, []));
  for (let i = 0; i < 2; i++) servers.push(await startServer(root, await freePort(), [`replicaof 127.0.0.1 ${masterPort}`]));
  await until('2 replicas in sync', async () => infoField(await cli(masterPort, 'INFO', 'replication'), 'connected_slaves') === '2');
  const sentinelConf = [
    `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
    `sentinel down-after-milliseconds ${MASTER_NAME} 2000`,
    `sentinel failover-timeout ${MASTER_NAME} 10000`,
    `sentinel parallel-syncs ${MASTER_NAME} 1`,
  ];
  const sentinels: Server[] = [];
  for (let i = 0; i < 3; i++) sentinels.push(await startServer(root, await freePort(), sentinelConf, true));
  // A forced failover needs each sentinel to know the replicas (and the others, to vote).
  await until(
    'sentinels discover replicas and each other',
    async () => {
      for (const s of sentinels) {
        const text = await cli(s.port, 'SENTINEL', 'MASTER', MASTER_NAME);
        const lines = text.split('\n');
        const field = (k: string) => lines[lines.indexOf(k) + 1];
        if (field('num-slaves') !== '2' || field('num-other-sentinels') !== '2') return false;
      }
      return true;
    },
    30_000,
    200,
  );
  const url = `redis+sentinel://${sentinels.map((s) => `127.0.0.1:${s.port}`).join(',')}/${MASTER_NAME}`;
  return { info: { url, name: MASTER_NAME, sentinels: sentinels.map((s) => s.port), servers: servers.map((s) => s.port) }, servers: [...sentinels, ...servers] };
}

export async function startCluster(root: string): Promise<Started<ClusterInfo>> {
  const conf = ['cluster-enabled yes', 'cluster-config-file nodes.conf', 'cluster-node-timeout 2000'];
  const servers: Server[] = [];
  for (let i = 0; i < 6; i++) servers.push(await startServer(root, await freePort(true), conf));
  const ports = servers.map((s) => s.port);
  await createCluster(ports);
  await until('cluster state ok on every node', async () => {
    for (const p of ports) if (infoField(await cli(p, 'CLUSTER', 'INFO'), 'cluster_state') !== 'ok') return false;
    return true;
  });
  await until('every master has a replica', async () => {
    const nodes = await cli(ports[0]!, 'CLUSTER', 'NODES');
    return nodes.split('\n').filter((l) => / slave /.test(l) || /,slave /.test(l)).length === 3;
  });
  return { info: { url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, nodes: ports }, servers };
}

export async function stopAll(servers: Server[]): Promise<void> {
  await Promise.all(servers.map(stopServer));
}

/** The Sentinel group's current master, as the sentinels see it. */
export async function currentMaster(info: SentinelInfo): Promise<number> {
  const reply = await cli(info.sentinels[0]!, 'SENTINEL', 'get-master-addr-by-name', info.name);
  return Number(reply.split('\n')[1]);
}

/** `host:port` of each cluster master, and a replica of the given master. */
export async function clusterRoles(info: ClusterInfo): Promise<{ masters: number[]; replicaOf: (master: number) => number | undefined }> {
  const text = await cli(info.nodes[0]!, 'CLUSTER', 'NODES');
  const rows = text.split('\n').map((l) => l.split(' '));
  const portOf = (addr: string) => Number(addr.split('@')[0]!.split(':')[1]);
  const masters = rows.filter((r) => r[2]!.includes('master') && !r[2]!.includes('fail')).map((r) => portOf(r[1]!));
  const idOf = new Map(rows.map((r) => [portOf(r[1]!), r[0]!]));
  return {
    masters,
    replicaOf: (m) => {
      const row = rows.find((r) => r[3] === idOf.get(m) && r[2]!.includes('slave') && !r[2]!.includes('fail'));
      return row ? portOf(row[1]!) : undefined;
    },
  };
}
