/**
 * The onboarding service on real Redis: racing submissions of one draft make one request, and
 * the onboarding timers on the real scheduler (BullMQ on real Redis): an SLA that fell due while
 * nobody claimed the request fires once, escalates, and sets the next round a business day on;
 * a claimed request's timer does nothing. Meeting reminders fire for the meeting they were set
 * for only.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.js';
import { Directory } from '../../../src/directory.js';
import type { Services } from '../../../src/dispatch/services.js';
import { createDeliveryService, type DeliveryService } from '../../../src/delivery/service.js';
import type { OnboardingService } from '../../../src/services/onboard/service.js';
import { wireOnboarding } from '../../../src/services/onboard/wiring.js';
import { RecordingAdapter } from '../../support/recording-adapter.js';
import { createScheduler, startTimerWorker, type Scheduler } from '../../../src/delivery/scheduler.js';
import { createMetrics } from '../../../src/metrics.js';
import { silentLogger } from '../../../src/log.js';
import { createRenderer } from '../../../src/render/renderer.js';
import { createAuditLog } from '../../../src/store/audit.js';
import type { Draft } from '../../../src/domain/onboard/request.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

let env: RedisEnv;
let scheduler: Scheduler;
let deliveries: DeliveryService;
let worker: { close(): Promise<void> };
let svc: OnboardingService;

const cfg = (): Config => {
  const r = parseConfig(`
timezone: Europe/Berlin
people: [{ id: bob, name: Bob }, { id: carol, name: Carol, slack: U0CAROL01 }]
teams: [{ id: platform, name: Platform, managers: [carol] }]
onboarding:
  intake: { slack: [C0INTAKE1] }
`);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
};

beforeEach(async () => {
  env = await redisEnv();
  scheduler = createScheduler({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  deliveries = createDeliveryService({ connection: env.connection, redis: env.redis, prefix: env.prefix });
  const config = cfg();
  const directory = new Directory(config);
  const services: Services = {
    config: () => config,
    directory: () => directory,
    redis: env.redis,
    renderer: await createRenderer({}),
    audit: createAuditLog(env.redis),
    deliveries,
    scheduler,
    openForm: async () => {},
  };
  // A Slack adapter is "present" (its deliveries are queued; no worker sends them here).
  svc = wireOnboarding({ services, scheduler, adapters: new Map([['slack', new RecordingAdapter('slack')]]), metrics: createMetrics({ defaultMetrics: false }), log: silentLogger });
  worker = await startTimerWorker({ connection: env.connection, redis: env.redis, prefix: env.prefix, scheduler, log: silentLogger, retryBaseMs: 100 });
});

afterEach(async () => {
  await worker.close();
  await scheduler.close();
  await deliveries.close();
  await env.cleanup();
});

const draft = (): Draft => ({
  platform: 'slack',
  userId: 'U0BOB0001',
  mode: 'chat',
  answers: { capability: 'Ledger' },
  presented: [],
  history: [],
  startedAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
});
const bob = { platform: 'slack' as const, userId: 'U0BOB0001', personId: 'bob' };

async function waitFor(check: () => Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('onboarding timers', () => {
  it('an overdue SLA fires through BullMQ, escalates once and schedules the next round', async () => {
    // Submitted two weeks ago: its first SLA deadline has long passed, so the timer fires now.
    const req = await svc.submit(draft(), bob, new Date(Date.now() - 14 * 86_400_000));
    await waitFor(async () => (await svc.store.requests.get(req.id))!.value.escalations === 1);
    const due = svc.slaDue(new Date());
    await new Promise((r) => setTimeout(r, 300));
    const after = (await svc.store.requests.get(req.id))!.value;
    expect(after.escalations).toBe(1);
    // The escalation went to the intake channel and to the manager (Slack DM), as deliveries.
    expect((await deliveries.status(`onboard-${req.id}-sla1`)).map((e) => e.target)).toEqual([{ platform: 'slack', channelId: 'C0INTAKE1' }]);
    expect((await deliveries.status(`onboard-${req.id}-sla1-carol`)).map((e) => e.target)).toEqual([{ platform: 'slack', userId: 'U0CAROL01' }]);
    // The next round waits a business day; its job id carries that instant.
    const pointer = await env.redis.get(`timer:onboard-sla:${req.id}`);
    expect(pointer).toBeTruthy();
    expect(Math.abs(Number(/(\d{12,})/.exec(pointer!)![1]) - due.getTime())).toBeLessThan(5000);
  });

  it('a claimed request ignores its SLA timer', async () => {
    const req = await svc.submit(draft(), bob, new Date());
    await svc.store.requests.update(req.id, (r) => ({ ...r, status: 'claimed' }));
    await svc.onSlaDue(req.id, 1, new Date());
    expect((await svc.store.requests.get(req.id))!.value.escalations).toBe(0);
    expect(await deliveries.status(`onboard-${req.id}-sla1`)).toEqual([]);
  });

  it('a reminder for a moved meeting does nothing; the current one reaches both sides', async () => {
    const req = await svc.submit(draft(), bob, new Date());
    const at = new Date(Date.now() + 86_400_000).toISOString();
    await svc.store.requests.update(req.id, (r) => ({ ...r, status: 'meeting-scheduled', claimedBy: { platform: 'slack', userId: 'U0CAROL01', personId: 'carol' }, meeting: { at, minutes: 30, zone: 'UTC' } }));
    await svc.onReminder(req.id, 15, '2020-01-01T00:00:00.000Z');
    expect(await deliveries.status(`onboard-${req.id}-remind-${Date.parse('2020-01-01T00:00:00.000Z')}-15-r`)).toEqual([]);
    await svc.onReminder(req.id, 15, at);
    const key = `onboard-${req.id}-remind-${Date.parse(at)}-15`;
    expect((await deliveries.status(`${key}-r`)).map((e) => e.target)).toEqual([{ platform: 'slack', userId: 'U0BOB0001' }]);
    expect((await deliveries.status(`${key}-o`)).map((e) => e.target)).toEqual([{ platform: 'slack', userId: 'U0CAROL01' }]);
  });
});

describe('submission', () => {
  it('two submissions of one draft racing make one request', async () => {
    const d = draft();
    const results = await Promise.allSettled([svc.submit(d, bob, new Date()), svc.submit(d, bob, new Date())]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason)).toMatch(/submitted already/);
    expect((await svc.store.requests.list()).length).toBe(1);
  });
});
