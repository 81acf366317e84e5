/**
 * bench/ack-latency: how fast Day2 acknowledges Slack slash commands, against a bare Bolt app
 * measured in the same run on the same machine.
 *
 *   npm run bench            (builds, then runs this with tsx)
 *   BENCH_RATE=200 BENCH_SECONDS=15 npm run bench
 *
 * Both servers run as separate `node` processes from the built output, behind the same fake
 * Slack Web API (for auth.test). Signed `/day2 help` requests are sent open-loop at a fixed rate
 * (a request is sent at its scheduled time whether or not earlier ones were answered), and each
 * latency is measured from the scheduled send time, so a stalled server cannot hide its queueing.
 * The two servers take turns in short rounds so that load drift on the machine hits both alike.
 * Results are printed and appended to bench/RESULTS.md with the command that reproduces them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startFakeSlack } from '../test/fakes/slack.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = 2;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-signing-secret';
const TOKEN = 'xoxb-bench-token';

interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  startToReadyMs: number;
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitReady(port: number, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('server did not become ready');
}

async function startServer(name: string, args: string[], env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('node', args, { cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitReady(port, child);
  return { name, child, port, startToReadyMs: performance.now() - started };
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

function signedCommand(n: number): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams({
    token: 'legacy',
    team_id: 'T0BENCH',
    team_domain: 'bench',
    channel_id: 'C0BENCH01',
    channel_name: 'bench',
    user_id: 'U0BENCH01',
    user_name: 'bench',
    command: '/day2',
    text: 'help',
    api_app_id: 'A0BENCH',
    // Unique per request, as Slack's are: Day2 runs each trigger once.
    trigger_id: `${n}.${randomUUID()}`,
    response_url: 'http://127.0.0.1:9/unused',
  }).toString();
  const ts = Math.floor(Date.now() / 1000).toString();
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': sig } };
}

function send(agent: Agent, port: number, n: number): Promise<{ status: number; body: string }> {
  const { body, headers } = signedCommand(n);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/slack/events', method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

interface Run {
  latencies: number[];
  errors: number;
  sent: number;
}

/** Open-loop load: request i is due at start + i/RATE; latency counts from when it was due. */
async function load(port: number, seconds: number, check: (body: string) => boolean): Promise<Run> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(RATE * seconds);
  const start = performance.now() + 50;
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      send(agent, port, i).then(
        (res) => {
          if (res.status === 200 && check(res.body)) latencies.push(performance.now() - due);
          else errors += 1;
        },
        () => void (errors += 1),
      ),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  return { latencies, errors, sent: total };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface Figures {
  p50: number;
  p99: number;
  max: number;
  errors: number;
  sent: number;
  idleRss: number;
  startToReadyMs: number;
}

/**
 * Both servers are measured in alternating rounds (bare, Day2, bare, Day2, …) so that drift in
 * the machine's load (2 cores shared with Redis and this load generator) hits both alike.
 */
async function measureInterleaved(servers: { server: Server; check: (body: string) => boolean }[]): Promise<Figures[]> {
  for (const { server, check } of servers) await load(server.port, WARMUP_SECONDS, check);
  await new Promise((r) => setTimeout(r, 1000));
  const idle = await Promise.all(servers.map(({ server }) => rssMb(server.child.pid!)));
  const runs = servers.map(() => ({ latencies: [] as number[], errors: 0, sent: 0 }));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, { server, check }] of servers.entries()) {
      const r = await load(server.port, SECONDS / ROUNDS, check);
      runs[i]!.latencies.push(...r.latencies);
      runs[i]!.errors += r.errors;
      runs[i]!.sent += r.sent;
    }
  }
  return runs.map((run, i) => {
    const sorted = [...run.latencies].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? NaN, errors: run.errors, sent: run.sent, idleRss: idle[i]!, startToReadyMs: servers[i]!.server.startToReadyMs };
  });
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  await exited;
}

async function main(): Promise<void> {
  const slack = await startFakeSlack({ token: TOKEN, signingSecret: SECRET });
  const apiUrl = slack.apiUrl;
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const dir = await mkdtemp(join(tmpdir(), 'day2-bench-'));
  const configFile = join(dir, 'day2.yaml');
  await writeFile(configFile, `redisPrefix: ${prefix}\npeople:\n  - { id: bench, name: Bench, slack: U0BENCH01 }\n`);
  const slackEnv = { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: apiUrl };

  let bare: Server | undefined;
  let day2: Server | undefined;
  let figures: Figures[];
  try {
    bare = await startServer('bare Bolt', ['dist/bench/bare-bolt.js'], slackEnv);
    day2 = await startServer('Day2', ['dist/src/cli/main.js', 'start'], { ...slackEnv, DAY2_CONFIG: configFile, REDIS_URL, DAY2_CONSOLE: 'false', LOG_LEVEL: 'warn' });
    figures = await measureInterleaved([
      { server: bare, check: (b) => b.includes('ok') },
      // Day2's help reply lists the commands.
      { server: day2, check: (b) => b.includes('whoami') },
    ]);
  } finally {
    if (bare) await stop(bare);
    if (day2) await stop(day2);
    await slack.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }

  const [b, d] = figures as [Figures, Figures];
  const fmt = (n: number) => n.toFixed(1);
  const lines = [
    `## ack-latency — ${new Date().toISOString()}`,
    '',
    `Command: \`BENCH_RATE=${RATE} BENCH_SECONDS=${SECONDS} BENCH_ROUNDS=${ROUNDS} npm run bench\` — signed \`/day2 help\` at ${RATE}/s for ${SECONDS} s per server in ${ROUNDS} alternating rounds (after ${WARMUP_SECONDS} s warm-up), open loop, Node ${process.version}, ${(await import('node:os')).cpus().length} cores.`,
    '',
    '| server | p50 ms | p99 ms | max ms | errors | idle RSS MB | start→ready ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| bare Bolt (baseline) | ${fmt(b.p50)} | ${fmt(b.p99)} | ${fmt(b.max)} | ${b.errors}/${b.sent} | ${fmt(b.idleRss)} | ${fmt(b.startToReadyMs)} |`,
    `| Day2 | ${fmt(d.p50)} | ${fmt(d.p99)} | ${fmt(d.max)} | ${d.errors}/${d.sent} | ${fmt(d.idleRss)} | ${fmt(d.startToReadyMs)} |`,
    `| **Day2 / bare** | **${(d.p50 / b.p50).toFixed(2)}** | **${(d.p99 / b.p99).toFixed(2)}** | ${(d.max / b.max).toFixed(2)} | | ${(d.idleRss / b.idleRss).toFixed(2)} | ${(d.startToReadyMs / b.startToReadyMs).toFixed(2)} |`,
    '',
    `Targets: Day2 p99 < 100 ms at 200/s (${d.p99 < 100 ? 'met' : 'NOT met'}); Day2/bare p50 ≤ 1.5 (${d.p50 / b.p50 <= 1.5 ? 'met' : 'NOT met'}).`,
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  const resultsFile = join(root, 'bench', 'RESULTS.md');
  const header = '# Benchmark results\n\nEach run appends a section; compare ratios, which are measured against a baseline in the same run.\n\n';
  const existing = await readFile(resultsFile, 'utf8').catch(() => header);
  await writeFile(resultsFile, `${existing}${text}\n`);
}

await main();
