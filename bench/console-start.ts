/**
 * bench/console-start: how long `npm start` on an already-built tree takes to answer its first
 * console line, against the start-up of a bare `node -e ""` measured in the same run.
 *
 *   npx tsx bench/console-start.ts
 *   BENCH_ROUNDS=10 npx tsx bench/console-start.ts
 *   BENCH_NO_RECORD=1 …   (print only, do not append to RESULTS.md)
 *
 * Each round runs `node bin/start.js start` (what `npm start` runs: the freshness check, then the
 * built bot) with day2.example.yaml under a private Redis prefix and PORT=0, types `/day2 whoami`
 * into its stdin, and stops the clock when the answer is printed. Needs Redis on 127.0.0.1:6379
 * and a built tree (`npm run build` once before). The freshness check runs in every round; the
 * build itself is skipped (DAY2_NO_BUILD=1) so a source saved during the run cannot turn a round
 * into a build.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TARGET_MS = 3000;

function nodeE(): number {
  const t0 = performance.now();
  spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  return performance.now() - t0;
}

async function firstAnswer(): Promise<number> {
  const prefix = `bench-start-${randomUUID().slice(0, 8)}`;
  const config = join(tmpdir(), `${prefix}.yaml`);
  await writeFile(config, (await readFile(join(root, 'day2.example.yaml'), 'utf8')).replace(/^redisPrefix: .*$/m, `redisPrefix: ${prefix}`));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['bin/start.js', 'start'], { cwd: root, env: { ...process.env, DAY2_CONFIG: config, PORT: '0', DAY2_NO_BUILD: process.env.DAY2_NO_BUILD ?? '1' }, stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.write('/day2 whoami\n');
  const ms = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('Who you are to Day2')) resolve(performance.now() - t0);
    });
    child.once('exit', (code) => reject(new Error(`day2 exited (${code}) before answering:\n${out}`)));
  });
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  await rm(config, { force: true });
  const redis = new Redis('redis://127.0.0.1:6379');
  const keys = await redis.keys(`*${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const base: number[] = [];
const day2: number[] = [];
await firstAnswer(); // warm the file cache; not counted
for (let i = 0; i < ROUNDS; i++) {
  base.push(nodeE());
  day2.push(await firstAnswer());
}
const b = median(base);
const d = median(day2);
const report = `
## console-start — ${new Date().toISOString()}

Command: \`BENCH_ROUNDS=${ROUNDS} npx tsx bench/console-start.ts\` — \`npm start\`'s command (\`node bin/start.js start\`: freshness check, no build needed, then the built bot) with day2.example.yaml, Redis already running, stdin a pipe; clock stops when the answer to \`/day2 whoami\` is printed. Baseline in the same run: \`node -e ""\`. Median of ${ROUNDS} rounds after one warm-up. Node ${process.version}, 2 shared cores.

| measure | median ms | min ms | max ms |
| --- | --- | --- | --- |
| \`node -e ""\` (baseline) | ${b.toFixed(0)} | ${Math.min(...base).toFixed(0)} | ${Math.max(...base).toFixed(0)} |
| start to first answer | ${d.toFixed(0)} | ${Math.min(...day2).toFixed(0)} | ${Math.max(...day2).toFixed(0)} |
| **first answer / baseline** | **${(d / b).toFixed(1)}×** | | |

Target: first answer under ${TARGET_MS} ms (${d < TARGET_MS ? 'met' : 'not met'}).
`;
console.log(report);
if (!process.env.BENCH_NO_RECORD) await appendFile(join(root, 'bench/RESULTS.md'), report);
