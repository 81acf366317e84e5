/**
 * Quick-start convenience: when REDIS_URL is unset and nothing answers on the default port, but a
 * `redis-server` binary is on the PATH, run one as a child process (data in ./data, AOF on) for as
 * long as Day2 runs. Production deployments set REDIS_URL and never get here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { resolve } from 'node:path';

export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

/** Whether something accepts TCP connections on host:port (a Redis, we assume, and then PING). */
export function answers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => {
      socket.write('PING\r\n');
      socket.once('data', (buf) => finish(buf.toString().startsWith('+PONG') || buf.toString().startsWith('-NOAUTH')));
    });
  });
}

function onPath(binary: string): Promise<boolean> {
  return new Promise((done) => {
    const probe = spawn(binary, ['--version'], { stdio: 'ignore' });
    probe.once('error', () => done(false));
    probe.once('exit', (code) => done(code === 0));
  });
}

export const NO_REDIS_HELP = [
  'Day2 needs Redis and none answers at 127.0.0.1:6379. Any of these will do:',
  '  • install it: `sudo apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), then run `npm start` again',
  '  • with Docker: `docker compose up -d redis`',
  '  • point Day2 at an existing one: `REDIS_URL=redis://host:6379 npm start`',
].join('\n');

/**
 * Start `redis-server` on 127.0.0.1:`port` with its data under `dataDir`. Resolves once it answers.
 * Returns undefined when no redis-server binary is available.
 */
export async function startLocalRedis(options: { port?: number; dataDir?: string } = {}): Promise<LocalRedis | undefined> {
  const port = options.port ?? 6379;
  if (!(await onPath('redis-server'))) return undefined;
  const dir = resolve(options.dataDir ?? './data');
  await mkdir(dir, { recursive: true });
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', ''],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (let i = 0; i < 50; i++) {
    if (exited) throw new Error(`redis-server exited at start (is port ${port} in use?)`);
    if (await answers('127.0.0.1', port)) {
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            if (exited) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not answer within 5 s');
}
