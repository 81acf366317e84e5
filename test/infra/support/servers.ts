/**
 * Real redis-server processes for the infra tests: free loopback ports from the OS, one data
 * folder each under a temp dir, killed (by the pids we started) in teardown. Never the shared
 * Redis on 6379.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A port the OS says is free; with `bus`, port + 10000 too (a cluster node's bus port). */
export async function freePort(bus = false): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await listenOnce(0);
    if (port === undefined) continue;
    if (!bus) return port;
    if (port + 10_000 < 65_536 && (await listenOnce(port + 10_000)) !== undefined) return port;
  }
  throw new Error('no free loopback port');
}

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(undefined));
    srv.listen(port, '127.0.0.1', () => {
      const got = (srv.address() as { port: number }).port;
      srv.close(() => done(got));
    });
  });
}

export interface Server {
  port: number;
  dir: string;
  proc: ChildProcess;
}

/** Start `redis-server <dir>/redis.conf [--sentinel]` with `conf` lines; resolves once it answers PING. */
export async function startServer(root: string, port: number, conf: string[], sentinel = false): Promise<Server> {
  const dir = join(root, String(port));
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'redis.conf');
  const common = [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'daemonize no', `logfile ${join(dir, 'log.txt')}`, 'protected-mode no'];
  const data = sentinel ? [] : ["save ''", 'appendonly no', 'maxmemory-policy noeviction'];
  await writeFile(file, [...common, ...data, ...conf].join('\n') + '\n');
  const proc = spawn('redis-server', sentinel ? [file, '--sentinel'] : [file], { stdio: 'ignore' });
  await until(`redis on ${port}`, async () => (await cli(port, 'PING').catch(() => '')) === 'PONG', 10_000);
  return { port, dir, proc };
}

export async function stopServer(s: Server): Promise<void> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => s.proc.once('exit', () => r()));
  s.proc.kill('SIGTERM');
  const timer = setTimeout(() => s.proc.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/** One `redis-cli` command against a loopback port; the reply as text. */
export async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 10_000 });
  return stdout.trim();
}

/**
 * Polls `check` until it holds. A check that throws counts as "not yet": while a failover is under
 * way Redis resets the connections of a node changing role, so one `redis-cli` call may fail with
 * "Connection reset by peer" before the next one sees the settled state. The last error is kept
 * for the timeout message.
 */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000, everyMs = 100): Promise<void> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > end) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message.trim()})` : '';
      throw new Error(`timed out waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function createCluster(ports: number[]): Promise<void> {
  const nodes = ports.map((p) => `127.0.0.1:${p}`);
  await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '1', '--cluster-yes'], { timeout: 60_000 });
}
