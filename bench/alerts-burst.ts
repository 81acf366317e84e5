/**
 * A burst of alerts through the Alertmanager endpoint of a whole bot (fake Slack, real Redis,
 * real delivery workers): GROUPS groups of ALERTS_PER_GROUP alerts, delivered as Alertmanager
 * does (each call carries the whole group so far, so every call after a group's first adds an
 * alert and edits its page), CONCURRENCY calls in flight, and every RETRY_EVERY-th call sent
 * twice (Alertmanager's retry). Baseline in the same run: a bare HTTP handler on the same
 * machine that only parses the same payloads and stores each in Redis.
 *
 * Reports webhook p50/p99, the time from the first call to every page posted, pages created
 * (must equal GROUPS) and duplicates (channel posts beyond one per group: must be 0).
 */
import { createServer, type Server } from 'node:http';
import { appendFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startBotRig } from '../test/support/bot-rig.js';

const GROUPS = Number(process.env.BENCH_GROUPS ?? 200);
const ALERTS = Number(process.env.BENCH_ALERTS ?? 5000);
const PER_GROUP = Math.ceil(ALERTS / GROUPS);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const RETRY_EVERY = 10;
const TOKEN = 'bench-alerts-token-0123456789';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
process.env.DAY2_BENCH_ALERT_TOKEN = TOKEN;

/** The calls, in an order that interleaves groups (alerts of many groups fire together). */
function calls(): string[] {
  const out: string[] = [];
  const startsAt = new Date().toISOString();
  for (let k = 1; k <= PER_GROUP; k++) {
    for (let g = 0; g < GROUPS; g++) {
      const alerts = Array.from({ length: k }, (_, i) => ({ status: 'firing', labels: { alertname: `Alert${i}`, team: 'payments', group: `g${g}` }, annotations: { summary: `alert ${i} of group ${g}` }, startsAt, endsAt: '0001-01-01T00:00:00Z', fingerprint: `g${g}-a${i}` }));
      const body = JSON.stringify({ version: '4', groupKey: `{}:{group="g${g}"}`, status: 'firing', receiver: 'day2', externalURL: 'http://am', alerts });
      out.push(body);
      if (out.length % RETRY_EVERY === 0) out.push(body);
    }
  }
  return out;
}

async function fire(url: string, bodies: string[]): Promise<{ latencies: number[]; errors: number; firstAt: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const firstAt = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (!res.ok) errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { latencies, errors, firstAt };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** The baseline: parse the JSON and store it under its group, nothing else. */
async function bare(bodies: string[]): Promise<{ p50: number; p99: number; totalMs: number }> {
  const redis = new Redis(REDIS_URL, { keyPrefix: `bench-alerts-bare-${process.pid}:` });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { groupKey: string };
      void redis.hset('groups', body.groupKey, JSON.stringify(body)).then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  const t0 = performance.now();
  const { latencies } = await fire(`http://127.0.0.1:${port}/`, bodies);
  const totalMs = performance.now() - t0;
  await new Promise<void>((r) => server.close(() => r()));
  await redis.del('groups');
  redis.disconnect();
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), totalMs };
}

async function day2(bodies: string[]) {
  const rig = await startBotRig({
    extraConfig: () => `teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice], channels: { slack: [C0PAYMENTS] } }
rotations:
  - { id: pay, team: payments, timezone: UTC, anchor: "2026-01-05 09:00", turn: 1d, members: [bob] }
delivery: { perChannelIntervalMs: 0, perPlatformPerSecond: 1000, burst: 100 }
alerts:
  defaultTeam: payments
  ackTimeoutSeconds: { high: 3600, low: 3600 }
  integrations: [{ id: am, kind: alertmanager, tokenEnv: DAY2_BENCH_ALERT_TOKEN }]
  routes: [{ match: { team: payments }, team: payments }]`,
  });
  try {
    const posts = () => rig.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0PAYMENTS');
    const { latencies, errors, firstAt } = await fire(`${rig.appUrl}/integrations/alertmanager/am`, bodies);
    const deadline = Date.now() + 300_000;
    while (posts().length < GROUPS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const allPostedMs = performance.now() - firstAt;
    await new Promise((r) => setTimeout(r, 2_000));
    const pages = (await rig.bot.services.alerts!.recentPages(GROUPS * 2)).length;
    return { p50: pct(latencies, 50), p99: pct(latencies, 99), allPostedMs, errors, pages, duplicates: Math.max(0, posts().length - GROUPS) };
  } finally {
    await rig.close();
  }
}

async function main(): Promise<void> {
  const bodies = calls();
  const base = await bare(bodies);
  const d = await day2(bodies);
  const r = (a: number, b: number) => (a / b).toFixed(2);
  const text = `## alerts-burst — ${new Date().toISOString()}

Command: \`npm run bench:alerts\` — ${ALERTS} alerts in ${GROUPS} groups through \`POST /integrations/alertmanager/<id>\` of a whole bot (fake Slack, real Redis and delivery workers), ${bodies.length} calls (each carries its group so far, as Alertmanager does; every ${RETRY_EVERY}th sent twice, as its retry does), ${CONCURRENCY} in flight. Baseline in the same run: a bare Node HTTP handler that parses each payload and stores it in Redis. Node ${process.version}, 2 shared cores.

| measure | bare handler | Day2 | Day2 / bare |
| --- | --- | --- | --- |
| webhook p50 ms | ${base.p50.toFixed(1)} | ${d.p50.toFixed(1)} | ${r(d.p50, base.p50)} |
| webhook p99 ms | ${base.p99.toFixed(1)} | ${d.p99.toFixed(1)} | **${r(d.p99, base.p99)}** |
| all calls answered / every page posted, ms | ${base.totalMs.toFixed(0)} | ${d.allPostedMs.toFixed(0)} | **${r(d.allPostedMs, base.totalMs)}** |

Pages created: **${d.pages}** (groups: ${GROUPS}); duplicate pages: **${d.duplicates}**; failed calls: ${d.errors}.
`;
  console.log(text);
  if (process.env.BENCH_DRY !== '1') await appendFile(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), `\n${text}`);
  if (d.pages !== GROUPS || d.duplicates !== 0) process.exitCode = 1;
}

await main();
