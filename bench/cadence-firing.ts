/**
 * bench/cadence-firing: 10,000 active cadences whose next occurrences are spread over the coming
 * minute(s), fired by two timer workers (two "bot processes" in one Node process, each with its
 * own scheduler, cadence service and Redis connections) on the real Redis and real BullMQ.
 *
 *   npm run bench:cadence
 *   BENCH_CADENCES=10000 BENCH_SPREAD_S=60 npm run bench:cadence
 *   BENCH_NO_RECORD=1 …   (print only, do not append to RESULTS.md)
 *
 * Reported:
 *   - firing lateness: claim time (the occurrence record's handledAt) minus the occurrence time,
 *     p50/p99/max; the baseline is bare BullMQ delayed jobs (same count and spread, a worker
 *     that only records Date.now() - due) measured in the same run;
 *   - duplicate firings: announcements queued more than once per (cadence, occurrence) on the
 *     delivery queue (jobs beyond one per key and channel), and publish calls that the delivery
 *     queue's idempotency absorbed;
 *   - Redis memory per cadence: used_memory after planning minus before, over the count
 *     (cadence record + occurrence timers + BullMQ delayed job + pointer);
 *   - CPU while idle between firings: process CPU time over a quiet window before the first
 *     occurrence is due, as a share of one core (baseline: the bare worker, idle likewise).
 * No delivery worker runs: what is measured is the firing, up to the announcement being queued.
 */
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Cadence } from '../src/domain/cadence/model.js';
import { nextOccurrences } from '../src/domain/cadence/occurrences.js';
import { createCadenceService, type CadenceService } from '../src/services/cadence/service.js';
import { createDeliveryService, type DeliveryService } from '../src/delivery/service.js';
import { QUEUES } from '../src/delivery/queues.js';
import { createScheduler, startTimerWorker } from '../src/delivery/scheduler.js';
import { silentLogger } from '../src/log.js';
import { createRenderer } from '../src/render/renderer.js';
import { createCadenceStore } from '../src/store/cadence/store.js';
import { queuePrefix } from '../src/store/redis.js';

const N = Number(process.env.BENCH_CADENCES ?? 10_000);
const SPREAD_MS = Number(process.env.BENCH_SPREAD_S ?? 60) * 1000;
const IDLE_MS = 5000;
/** Timer jobs each worker runs at once (BotOptions.worker.concurrency; a firing mostly waits on Redis). */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const results = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function usedMemory(admin: Redis): Promise<number> {
  const info = await admin.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
}

/** CPU time of this process over `ms` of wall time, as a share of one core. */
async function idleCpu(ms: number): Promise<number> {
  const before = process.cpuUsage();
  await sleep(ms);
  const d = process.cpuUsage(before);
  return (d.user + d.system) / 1000 / ms;
}

async function cleanup(admin: Redis, name: string): Promise<void> {
  for (const pattern of [`${name}:*`, `${queuePrefix(name)}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', pattern.replace(/[{}]/g, '\\$&'), 'COUNT', 1000);
      cursor = next;
      if (keys.length) await admin.del(...keys);
    } while (cursor !== '0');
  }
}

async function baseline(admin: Redis, lead: number) {
  const name = `bench-bare-${randomUUID().slice(0, 8)}`;
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('bare', { connection, prefix: queuePrefix(name), defaultJobOptions: { removeOnComplete: true } });
  const late: number[] = [];
  const start = Date.now() + lead;
  const worker = new Worker(
    'bare',
    async (job) => {
      late.push(Date.now() - (job.data as { due: number }).due);
    },
    { connection, prefix: queuePrefix(name), concurrency: CONCURRENCY },
  );
  const worker2 = new Worker('bare', async (job) => void late.push(Date.now() - (job.data as { due: number }).due), { connection, prefix: queuePrefix(name), concurrency: CONCURRENCY });
  const mem0 = await usedMemory(admin);
  for (let i = 0; i < N; i += 500) {
    await queue.addBulk(
      Array.from({ length: Math.min(500, N - i) }, (_, k) => {
        const due = start + Math.floor(((i + k) * SPREAD_MS) / N);
        return { name: 'fire', data: { due }, opts: { jobId: `bare-${i + k}`, delay: Math.max(0, due - Date.now()) } };
      }),
    );
  }
  const memPer = ((await usedMemory(admin)) - mem0) / N;
  const idleWait = start - Date.now() - IDLE_MS - 500;
  if (idleWait > 0) await sleep(idleWait);
  const cpu = await idleCpu(IDLE_MS);
  while (late.length < N && Date.now() < start + SPREAD_MS + 60_000) await sleep(200);
  await worker.close();
  await worker2.close();
  await queue.close();
  await connection.quit();
  await cleanup(admin, name);
  const sorted = [...late].sort((a, b) => a - b);
  return { p50: pct(sorted, 50), p99: pct(sorted, 99), max: sorted.at(-1) ?? NaN, fired: late.length, memPer, cpu };
}

function cadence(i: number, hour: number): Cadence {
  return {
    name: `c${i}`,
    kind: 'meeting',
    schedule: 'daily',
    rule: 'FREQ=DAILY',
    time: { hour, minute: 0 },
    zone: 'UTC',
    start: '2026-01-01',
    channels: [{ platform: 'slack', channelId: `C0BENCH${i % 50}` }],
    reminders: [],
    duration: '1h',
    blocking: false,
    environments: [],
    invite: [],
    paused: false,
    skips: [],
    moves: {},
    source: 'chat',
    createdBy: 'bench',
    createdAt: new Date().toISOString(),
    agenda: [],
  };
}

async function day2(admin: Redis, lead: number) {
  const name = `bench-cadence-${randomUUID().slice(0, 8)}`;
  const prefix = queuePrefix(name);
  const renderer = await createRenderer();
  const publishes = new Map<string, number>();
  const procs: { svc: CadenceService; close(): Promise<void>; start(): Promise<void> }[] = [];
  for (let p = 0; p < 2; p++) {
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const redis = new Redis(REDIS_URL, { keyPrefix: `${name}:` });
    const scheduler = createScheduler({ connection, redis, prefix });
    const real = createDeliveryService({ connection, redis, prefix });
    // Counts every publish (a second one for the same key is absorbed by the delivery queue).
    const deliveries: DeliveryService = {
      ...real,
      async enqueue(reqs) {
        for (const r of reqs) publishes.set(`${r.key}|${r.revision}`, (publishes.get(`${r.key}|${r.revision}`) ?? 0) + 1);
        return real.enqueue(reqs);
      },
    };
    const svc = createCadenceService({ store: createCadenceStore(redis), scheduler, deliveries, renderer, settings: () => ({ calendars: {}, graceMs: 3600_000 }), log: silentLogger });
    let worker: { close(): Promise<void> } | undefined;
    procs.push({
      svc,
      start: async () => {
        worker = await startTimerWorker({ connection, redis, prefix, scheduler, log: silentLogger, concurrency: CONCURRENCY });
      },
      close: async () => {
        await worker?.close();
        await scheduler.close();
        await real.close();
        await Promise.all([connection.quit(), redis.quit()]);
      },
    });
  }
  const [a, b] = procs as [(typeof procs)[0], (typeof procs)[0]];
  const hour = (new Date().getUTCHours() + 12) % 24;
  const mem0 = await usedMemory(admin);
  const createStart = Date.now();
  const start = Date.now() + lead;
  const due = new Map<string, number>();
  const slot = nextOccurrences({ rule: 'FREQ=DAILY', time: { hour, minute: 0 }, zone: 'UTC', start: '2026-01-01' }, new Date(), 1)[0]!.id;
  const BATCH = 100;
  for (let i = 0; i < N; i += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, N - i) }, async (_, k) => {
        const c = cadence(i + k, hour);
        const at = start + Math.floor(((i + k) * SPREAD_MS) / N);
        c.moves = { [slot]: new Date(at).toISOString() };
        due.set(`c${i + k}`, at);
        // Half the cadences are created through each process.
        await ((i + k) % 2 === 0 ? a : b).svc.create(c);
      }),
    );
  }
  const createMs = Date.now() - createStart;
  const memPer = ((await usedMemory(admin)) - mem0) / N;
  if (Date.now() > start) throw new Error(`creating ${N} cadences took ${createMs} ms, longer than the ${lead} ms lead; raise BENCH_LEAD_S`);
  await a.start();
  await b.start();
  const idleWait = start - Date.now() - IDLE_MS - 500;
  if (idleWait > 0) await sleep(idleWait);
  const cpu = await idleCpu(IDLE_MS);
  const occRepo = a.svc.store.occurrences;
  const deadline = start + SPREAD_MS + 60_000;
  let handled = 0;
  while (Date.now() < deadline) {
    await sleep(1000);
    handled = await admin.zcard(`${name}:rec:{cadence-occ}`);
    if (handled >= N && Date.now() > start + SPREAD_MS + 2000) break;
  }
  const late: number[] = [];
  let missed = 0;
  for (const rec of await occRepo.list()) {
    if (rec.value.status === 'missed') missed++;
    late.push(new Date(rec.value.handledAt).getTime() - new Date(rec.value.at).getTime());
  }
  const dqConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const dq = new Queue(QUEUES.delivery, { connection: dqConnection, prefix });
  const counts = await dq.getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed');
  const jobs = Object.values(counts).reduce((x, y) => x + y, 0);
  await dq.close();
  await dqConnection.quit();
  const announcementKeys = [...publishes.keys()].filter((k) => /^cadence-c\d+-\d{8}T\d{4}\|1$/.test(k));
  const extraPublishes = announcementKeys.reduce((s, k) => s + (publishes.get(k)! - 1), 0);
  for (const p of procs) await p.close();
  await cleanup(admin, name);
  const sorted = late.sort((x, y) => x - y);
  return {
    p50: pct(sorted, 50),
    p99: pct(sorted, 99),
    max: sorted.at(-1) ?? NaN,
    fired: late.length - missed,
    missed,
    duplicateJobs: jobs - announcementKeys.length,
    extraPublishes,
    memPer,
    cpu,
    createMs,
  };
}

async function main() {
  const admin = new Redis(REDIS_URL);
  const lead = Number(process.env.BENCH_LEAD_S ?? Math.max(20, Math.ceil(N / 250))) * 1000;
  console.log(`cadence-firing: ${N} cadences over ${SPREAD_MS / 1000} s, lead ${lead / 1000} s`);
  const bare = await baseline(admin, lead);
  console.log('bare BullMQ', bare);
  const d2 = await day2(admin, lead);
  console.log('Day2', d2);
  await admin.quit();
  const r = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
  const ratio = (x: number, y: number) => (y > 0 ? (x / y).toFixed(2) : 'n/a');
  const section = `
## cadence-firing — ${new Date().toISOString()}

Command: \`BENCH_CADENCES=${N} BENCH_SPREAD_S=${SPREAD_MS / 1000} BENCH_CONCURRENCY=${CONCURRENCY} npm run bench:cadence\` — ${N} cadences whose next occurrences are spread evenly over ${SPREAD_MS / 1000} s, two timer workers with concurrency ${CONCURRENCY} each (two bot processes' worth, in one Node process) on one Redis, no delivery worker (measured up to the announcement being queued). Baseline: bare BullMQ delayed jobs, same count, spread and workers. Node ${process.version}, 2 cores shared with other work.

| | p50 ms late | p99 ms late | max ms | fired | missed | duplicate announcement jobs | publishes absorbed by delivery idempotency | Redis bytes per cadence | idle CPU (share of a core) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| bare BullMQ (baseline) | ${r(bare.p50)} | ${r(bare.p99)} | ${r(bare.max)} | ${bare.fired} | | | | ${r(bare.memPer, 0)} | ${r(bare.cpu, 3)} |
| Day2 cadence | ${r(d2.p50)} | ${r(d2.p99)} | ${r(d2.max)} | ${d2.fired} | ${d2.missed} | ${d2.duplicateJobs} | ${d2.extraPublishes} | ${r(d2.memPer, 0)} | ${r(d2.cpu, 3)} |
| **Day2 / bare** | **${ratio(d2.p50, bare.p50)}** | **${ratio(d2.p99, bare.p99)}** | | | | | | ${ratio(d2.memPer, bare.memPer)} | ${ratio(d2.cpu, bare.cpu)} |

Creating and planning the ${N} cadences took ${(d2.createMs / 1000).toFixed(1)} s. Targets: p99 < 1000 ms (${d2.p99 < 1000 ? 'met' : 'not met'}), 0 duplicate firings (${d2.duplicateJobs === 0 && d2.fired + d2.missed === N ? 'met' : 'not met'}).
`;
  if (process.env.BENCH_NO_RECORD !== '1') await appendFile(results, section);
  console.log(section);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
