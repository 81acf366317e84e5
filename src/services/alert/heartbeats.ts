/**
 * Heartbeats: an integration of kind `heartbeat` expects a call at least every `intervalSeconds`.
 * Each beat resolves the missed-beat alert (if it fired) and moves the `alert-heartbeat` timer to
 * one interval later; when the timer runs, the beat was missed and the alert fires, paging like
 * any other alert.
 */
import { z } from 'zod';
import type { Integration } from '../../domain/alert/config.js';
import type { NormalizedAlert } from '../../domain/alert/model.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import type { Ingest, IngestResult } from './ingest.js';

export const HEARTBEAT_TIMER = 'alert-heartbeat';
const heartbeatData = z.object({ id: z.string(), since: z.iso.datetime() });

function missed(integration: Integration, status: NormalizedAlert['status'], since: string): NormalizedAlert {
  return {
    groupKey: `heartbeat:${integration.id}`,
    fingerprint: `heartbeat:${integration.id}`,
    status,
    labels: { alertname: 'HeartbeatMissed', heartbeat: integration.id },
    annotations: { summary: `No heartbeat from ${integration.id} since ${since}` },
    startsAt: since,
  };
}

export function createHeartbeats(deps: { scheduler: Scheduler; ingest: Ingest; integration: (id: string) => Integration | undefined; clock: () => Date }) {
  deps.scheduler.handle(HEARTBEAT_TIMER, heartbeatData, async (data) => {
    const integration = deps.integration(data.id);
    if (!integration || integration.kind !== 'heartbeat') return;
    await deps.ingest(integration, { alerts: [missed(integration, 'firing', data.since)] });
  });
  /** One beat: resolve a missed-beat page, and expect the next beat within the interval. */
  return async function beat(integration: Integration): Promise<IngestResult> {
    const now = deps.clock();
    const since = now.toISOString();
    await deps.scheduler.at(HEARTBEAT_TIMER, integration.id, new Date(now.getTime() + (integration.intervalSeconds ?? 60) * 1000), { id: integration.id, since });
    return deps.ingest(integration, { alerts: [missed(integration, 'resolved', since)] });
  };
}
