/**
 * globalSetup of the `infra` project: one Sentinel group and one Cluster from real redis-server
 * processes on free loopback ports, data folders in a temp dir; their URLs go to the tests
 * through `provide`/`inject`. Teardown kills exactly the processes started here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { Server } from './support/servers.js';
import { startCluster, startSentinelGroup, stopAll, type ClusterInfo, type SentinelInfo } from './support/topologies.js';

declare module 'vitest' {
  export interface ProvidedContext {
    sentinel: SentinelInfo;
    cluster: ClusterInfo;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), 'day2-infra-'));
  const servers: Server[] = [];
  const t0 = Date.now();
  try {
    const [sentinel, cluster] = await Promise.all([startSentinelGroup(root), startCluster(root)]);
    servers.push(...sentinel.servers, ...cluster.servers);
    project.provide('sentinel', sentinel.info);
    project.provide('cluster', cluster.info);
    console.log(`[infra] sentinel group and cluster up in ${Date.now() - t0} ms (${root})`);
  } catch (err) {
    await stopAll(servers);
    throw err;
  }
  return async () => {
    await stopAll(servers);
    await rm(root, { recursive: true, force: true });
  };
}
