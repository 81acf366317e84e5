/**
 * bench/oncall-overrides: overrides at scale (issue 13 part 6). One rotation with many overrides
 * among many teams, under an open-loop load of the service calls `/oncall who` and
 * `/oncall override` make, through the real store on the real Redis (own prefix, removed after).
 *
 *   npm run bench:overrides
 *   BENCH_TEAMS=1000 BENCH_OVERRIDES=10000 BENCH_RATE=200 BENCH_SECONDS=20 BENCH_WRITES=0.1 npm run bench:overrides
 *   BENCH_TEAMS=50 BENCH_OVERRIDES=500 BENCH_SECONDS=3 BENCH_NO_RECORD=1 npm run bench:overrides   (quick look)
 *
 * Two phases in one run, same teams, same rate, same mix of rotations asked about:
 *   - baseline: no overrides anywhere, `who` only;
 *   - loaded: BENCH_OVERRIDES overrides on one rotation (spread over three years back and two
 *     months ahead), and BENCH_WRITES of the requests add an override (declAt + addOverride, as the
 *     command does; each one invalidates that rotation's cached schedule).
 * A fifth of the requests go to the rotation with the overrides, the rest to any team.
 * Reported: p50/p99 latency (from each request's scheduled start), peak RSS, Redis memory (MEMORY
 * USAGE of every key) and per override, each loaded figure as a ratio to the baseline; and the
 * bytes one override write sends to Redis now vs the single record the old layout rewrote.
 */
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/config.js';
import type { RotationDecl } from '../src/domain/oncall/types.js';
import { createOncallService, type OncallService } from '../src/services/oncall/service.js';
import { rotationKeys } from '../src/store/oncall/item-scripts.js';
import { createRotationStore, type RotationStore } from '../src/store/oncall/rotation-store.js';
import { connectRedis } from '../src/store/redis.js';

const TEAMS = Number(process.env.BENCH_TEAMS ?? 1000);
const OVERRIDES = Number(process.env.BENCH_OVERRIDES ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WRITES = Number(process.env.BENCH_WRITES ?? 0.1);
const HOT_SHARE = 0.2;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const results = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.now();
const MEMBERS = 8;

let seed = 7;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

function decl(i: number): RotationDecl {
  const anchor = new Date(NOW - (200 + (i % 300)) * DAY);
  return {
    id: `r${i}`,
    team: `team-${i}`,
    zone: ['UTC', 'Europe/London', 'America/New_York'][i % 3]!,
    layers: [{ name: 'primary', precedence: 1, members: Array.from({ length: MEMBERS }, (_, j) => `t${i}-m${j}`), anchor: { year: anchor.getUTCFullYear(), month: anchor.getUTCMonth() + 1, day: anchor.getUTCDate(), hour: 9, minute: 0 }, turn: { unit: i % 2 ? 'weeks' : 'days', count: 1 } }],
  };
}

const overrideAt = (i: number, k: number, from: number) => ({ id: `b${k}`, slot: 'primary', person: `t${i}-m${k % MEMBERS}`, from: new Date(from).toISOString(), to: new Date(from + (1 + (k % 12)) * HOUR).toISOString(), createdAt: new Date(NOW - k * 1000).toISOString(), reason: 'override' as const });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? 0;
};
const f = (n: number, d = 1) => n.toFixed(d);

interface Phase {
  p50: number;
  p99: number;
  max: number;
  requests: number;
  writes: number;
  errors: number;
  rssMb: number;
}

/** Open loop: a request every 1/RATE s whatever the previous ones are doing; latency from its slot. */
async function load(svc: OncallService, writes: number): Promise<Phase> {
  const total = Math.round(RATE * SECONDS);
  const lat: number[] = [];
  let errors = 0;
  let written = 0;
  let rss = process.memoryUsage().rss;
  const sampler = setInterval(() => (rss = Math.max(rss, process.memoryUsage().rss)), 200);
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let n = 0; n < total; n++) {
    const slot = start + (n * 1000) / RATE;
    const wait = slot - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const i = rand() < HOT_SHARE ? 0 : Math.floor(rand() * TEAMS);
    const write = rand() < writes;
    pending.push(
      (async () => {
        const now = new Date();
        if (write) {
          const from = new Date(now.getTime() + Math.floor(rand() * 14 * 24) * HOUR);
          await svc.declAt(`r${i}`, from);
          await svc.addOverride(`r${i}`, { slot: 'primary', person: `t${i}-m${n % MEMBERS}`, from, to: new Date(from.getTime() + 4 * HOUR) }, now);
          written++;
        } else await svc.duty(`r${i}`, now);
        lat.push(performance.now() - slot);
      })().catch(() => void errors++),
    );
  }
  await Promise.all(pending);
  clearInterval(sampler);
  return { p50: pct(lat, 0.5), p99: pct(lat, 0.99), max: pct(lat, 1), requests: total, writes: written, errors, rssMb: rss / 2 ** 20 };
}

async function redisBytes(plain: Redis, prefix: string): Promise<number> {
  let bytes = 0;
  let cursor = '0';
  do {
    const [next, keys] = await plain.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    for (const k of keys) bytes += Number(await plain.call('MEMORY', 'USAGE', k, 'SAMPLES', '0'));
  } while (cursor !== '0');
  return bytes;
}

async function seedHot(store: RotationStore): Promise<void> {
  // Three years back to two months ahead, in parallel batches (seeding is not what is measured).
  const span = (3 * 365 + 60) * DAY;
  for (let k = 0; k < OVERRIDES; k += 200) {
    await Promise.all(Array.from({ length: Math.min(200, OVERRIDES - k) }, (_, j) => store.addOverride('r0', overrideAt(0, k + j, NOW - 3 * 365 * DAY + Math.floor(((k + j) / OVERRIDES) * span)))));
  }
}

async function main(): Promise<void> {
  const prefix = `bench-overrides-${randomUUID().slice(0, 8)}`;
  const redis = connectRedis(REDIS_URL, { keyPrefix: `${prefix}:` });
  const plain = new Redis(REDIS_URL);
  const cfg = parseConfig('timezone: UTC');
  if (!cfg.ok) throw new Error('config');
  // No config entries: the service schedules from the stored declarations.
  const config = { ...cfg.config, rotations: [] as typeof cfg.config.rotations };
  const store = createRotationStore(redis);
  try {
    for (let i = 0; i < TEAMS; i += 100) await Promise.all(Array.from({ length: Math.min(100, TEAMS - i) }, (_, j) => store.updateRecord(`r${i + j}`, (s) => ({ ...s, versions: [{ from: new Date(0).toISOString(), decl: decl(i + j) }] }))));
    const svcBase = createOncallService({ store, config: () => config });
    await load(svcBase, 0); // warm-up: JIT, scripts loaded, caches filled
    const base = await load(svcBase, 0);
    const memBase = await redisBytes(plain, prefix);

    await seedHot(store);
    const svc = createOncallService({ store, config: () => config });
    const loaded = await load(svc, WRITES);
    const memLoaded = await redisBytes(plain, prefix);
    const overrides = await plain.hlen(`${prefix}:${rotationKeys('r0').ovHash}`);
    const items = Object.values(await plain.hgetall(`${prefix}:${rotationKeys('r0').ovHash}`));
    const itemBytes = items.reduce((a, v) => a + v.length, 0) / items.length;
    // What the old layout rewrote on each override write: the whole record with every override.
    const legacyRecord = JSON.stringify({ ...(await store.record('r0')), overrides: (await store.state('r0')).overrides });
    const overridesTotal = (await Promise.all(Array.from({ length: TEAMS }, (_, i) => plain.hlen(`${prefix}:${rotationKeys(`r${i}`).ovHash}`)))).reduce((a, b) => a + b, 0);
    await report(base, loaded, memBase, memLoaded, overrides, overridesTotal, itemBytes, legacyRecord.length);
  } finally {
    let cursor = '0';
    do {
      const [next, keys] = await plain.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await plain.del(...keys);
    } while (cursor !== '0');
    await plain.quit();
    await redis.quit();
  }
}

async function report(base: Phase, loaded: Phase, memBase: number, memLoaded: number, hot: number, total: number, itemBytes: number, legacyBytes: number): Promise<void> {
  const perOverride = (memLoaded - memBase) / total;
  const row = (name: string, p: Phase) => `| ${name} | ${p.requests} | ${p.writes} | ${p.errors} | ${f(p.p50)} | ${f(p.p99)} | ${f(p.max)} | ${f(p.rssMb)} |`;
  const section = `
## oncall-overrides — ${new Date().toISOString()}

Command: \`BENCH_TEAMS=${TEAMS} BENCH_OVERRIDES=${OVERRIDES} BENCH_RATE=${RATE} BENCH_SECONDS=${SECONDS} BENCH_WRITES=${WRITES} npm run bench:overrides\` — ${TEAMS} teams (8 members, daily or weekly turns), open loop at ${RATE} requests/s for ${SECONDS} s per phase, ${HOT_SHARE * 100} % of requests to the rotation with the overrides, one service instance on the real Redis. Requests: \`duty\` (what \`/oncall who\` calls) or \`declAt\` + \`addOverride\` (what \`/oncall override\` calls). Node ${process.version}, 2 shared cores.

| phase | requests | override writes | errors | p50 ms | p99 ms | max ms | peak RSS MB |
| --- | --- | --- | --- | --- | --- | --- | --- |
${row('baseline: no overrides, who only', base)}
${row(`loaded: ${OVERRIDES} overrides on one rotation, ${WRITES * 100} % writes`, loaded)}
| **loaded / baseline** | | | | **${f(loaded.p50 / base.p50, 2)}** | **${f(loaded.p99 / base.p99, 2)}** | | **${f(loaded.rssMb / base.rssMb, 2)}** |

Redis memory: baseline ${f(memBase / 2 ** 20, 2)} MB, loaded ${f(memLoaded / 2 ** 20, 2)} MB (ratio ${f(memLoaded / memBase, 2)}); **${Math.round(perOverride)} bytes per override** (${total} overrides, ${hot} on the busy rotation; item value ${Math.round(itemBytes)} bytes). One override write now sends one item of ~${Math.round(itemBytes)} bytes; the single-record layout rewrote ${f(legacyBytes / 1024, 0)} KB for this rotation on every write (**${f(legacyBytes / itemBytes, 0)}×** more).

Targets: p99 < 100 ms with overrides (${loaded.p99 < 100 ? 'met' : 'not met'}); no errors (${loaded.errors + base.errors === 0 ? 'met' : 'not met'}).
`;
  process.stdout.write(section);
  if (process.env.BENCH_NO_RECORD !== '1') await appendFile(results, section);
}

await main();
