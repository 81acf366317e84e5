/**
 * The whole bot (createBot: adapters, delivery and timer workers) in a child process, as it runs
 * in production, for tests and benchmarks that must kill it or must not share its event loop
 * with the fake platforms. The parent talks to it only through the fakes, HTTP and Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');

const CHILD = `
import { readFileSync } from 'node:fs';
const root = process.env.DAY2_ROOT_URL;
const { createBot } = await import(root + '/src/app.ts');
const { parseConfig } = await import(root + '/src/config.ts');
const { parseEnv } = await import(root + '/src/env.ts');
const { createLogger } = await import(root + '/src/log.ts');
const cfg = parseConfig(readFileSync(process.env.DAY2_TEST_CONFIG, 'utf8'));
const env = parseEnv(process.env);
if (!cfg.ok || !env.ok) { console.error(JSON.stringify(cfg.ok ? env.problems : cfg.problems)); process.exit(2); }
const bot = await createBot({
  env: env.env, config: cfg.config, redisUrl: process.env.REDIS_URL, log: createLogger({ level: 'warn', name: 'bot-' + process.env.BOT_NAME }),
  worker: JSON.parse(process.env.DAY2_TEST_WORKER),
});
await bot.start(0, '127.0.0.1');
process.on('SIGTERM', async () => { await bot.stop(); process.exit(0); });
process.stdout.write('ready\\n');
`;

export interface BotProcessOptions {
  name: string;
  /** Path of the config file the child reads. */
  configFile: string;
  redisUrl: string;
  /** The child's environment (tokens, platform URLs); PATH is added. */
  env: Record<string, string>;
  /** createBot's `worker` options (lock duration, stalled interval, concurrency). */
  worker?: { lockDurationMs?: number; stalledIntervalMs?: number; concurrency?: number };
}

export interface BotProcess {
  child: ChildProcess;
  /** Everything the child printed so far. */
  output(): string;
  /** Its exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Start the bot and wait until it says it is ready (or fail with what it printed). */
export function startBotProcess(opts: BotProcessOptions): Promise<BotProcess> {
  return startScriptProcess(opts.name, CHILD, {
    ...opts.env,
    DAY2_TEST_CONFIG: opts.configFile,
    DAY2_TEST_WORKER: JSON.stringify(opts.worker ?? {}),
    REDIS_URL: opts.redisUrl,
  });
}

/**
 * Run an ES module `script` (TypeScript imports allowed; `process.env.DAY2_ROOT_URL` is the repo
 * root as a file URL) in a child process and wait until it prints `ready`.
 */
export async function startScriptProcess(name: string, script: string, env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env, DAY2_ROOT_URL: pathToFileURL(ROOT).href, BOT_NAME: name },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes('ready')) {
    if (child.exitCode !== null) throw new Error(`bot ${name} exited:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bot ${name} did not start within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out, exited };
}
