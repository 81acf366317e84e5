/**
 * Heartbeats against the real group store: once a missed beat paged and the next beat resolved
 * that page, the beats that follow (every interval, for ever) leave the resolved page alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { AlertsConfig, Integration } from '../../../src/domain/alert/config.js';
import type { Scheduler } from '../../../src/delivery/scheduler.js';
import { createHeartbeats, HEARTBEAT_TIMER } from '../../../src/services/alert/heartbeats.js';
import { createIngest, type PageEvent } from '../../../src/services/alert/ingest.js';
import { createAlertMetrics } from '../../../src/services/alert/metrics.js';
import { createAlertGroupStore } from '../../../src/store/alert/groups.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

let env: RedisEnv;
beforeAll(async () => {
  env = await redisEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

const hb = { id: 'nightly', kind: 'heartbeat', tokenEnv: 'X', teams: ['payments'], intervalSeconds: 60 } as Integration;

describe('heartbeats', () => {
  it('edits nothing on the beats after the one that resolved the missed-beat page', async () => {
    let now = new Date('2030-01-01T10:00:00Z');
    const clock = () => now;
    let timer: ((data: unknown) => Promise<void>) | undefined;
    let pending: unknown;
    const scheduler = {
      handle: (kind: string, _schema: unknown, fn: (d: unknown) => Promise<void>) => void (kind === HEARTBEAT_TIMER && (timer = fn)),
      at: async (_kind: string, _id: string, _when: Date, data: unknown) => void (pending = data),
    } as unknown as Scheduler;
    const events: PageEvent[] = [];
    const config = () => ({ integrations: [hb], routes: [], defaultTeam: 'payments' }) as unknown as AlertsConfig;
    const ingest = createIngest({ config, groups: createAlertGroupStore(env.redis), metrics: createAlertMetrics(new Registry()), clock, onPage: async (e) => void events.push(e) });
    const beat = createHeartbeats({ scheduler, ingest, clock, integration: () => hb });

    await beat(hb);
    now = new Date('2030-01-01T10:02:00Z');
    await timer!(pending); // the beat was missed: the page opens
    now = new Date('2030-01-01T10:03:00Z');
    await beat(hb); // and the next beat resolves it
    expect(events.map((e) => [e.change.opened, e.change.resolved])).toEqual([[true, false], [false, true]]);

    for (const minute of [4, 5, 6]) {
      now = new Date(`2030-01-01T10:0${minute}:00Z`);
      expect(await beat(hb)).toMatchObject({ unchanged: 1 });
    }
    expect(events).toHaveLength(2);
  });
});
