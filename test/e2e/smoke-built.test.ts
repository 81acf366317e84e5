/**
 * Runs the *built* output with plain `node`, the way production does. Vitest resolves some ESM
 * imports more leniently than Node (e.g. named imports from @mattermost/client), so a suite that
 * only ever runs under Vitest can be green while `npm start` crashes.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('built output under plain node', () => {
  const prefix = `t-smoke-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
  }, 180_000);

  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('check-config reports every problem and exits 1', async () => {
    const bad = `${root}/test/e2e/fixtures/bad-config.yaml`;
    const err = await run('node', ['bin/day2.js', 'check-config', bad], { cwd: root }).catch((e: { code: number; stdout: string }) => e);
    expect('code' in err && err.code).toBe(1);
    expect(err.stdout).toMatch(/has [3-9] problems/);
    expect(err.stdout).toContain('timezone');
    expect(err.stdout).toContain('unknown person "ghost"');
  });

  it('check-config accepts the example and exits 0', async () => {
    const { stdout } = await run('node', ['bin/day2.js', 'check-config', 'day2.example.yaml'], { cwd: root });
    expect(stdout).toMatch(/is valid/);
  });

  it('starts with the console adapter, answers /day2 help and stops cleanly on SIGTERM', async () => {
    const configFile = join(await mkdtemp(join(tmpdir(), 'day2-smoke-')), 'day2.yaml');
    await writeFile(configFile, `timezone: Europe/Berlin\nredisPrefix: ${prefix}\npeople:\n  - { id: demo, name: Demo Admin, timezone: UTC }\nroles:\n  admin: [demo]\n`);
    const child = spawn('node', ['dist/src/cli/main.js', 'start'], {
      cwd: root,
      env: { ...process.env, DAY2_CONFIG: configFile, REDIS_URL, PORT: '0', DAY2_CONSOLE: 'true', LOG_LEVEL: 'warn' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 20_000;
      while (!out.includes(text) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    };
    child.stdin.write('/day2 help\n/day2 whoami\n');
    await waitFor('Time zone: UTC');
    // SIGHUP re-reads the config file: the new zone shows on the next command.
    await writeFile(configFile, (await readFile(configFile, 'utf8')).replace('timezone: UTC', 'timezone: Asia/Tokyo'));
    child.kill('SIGHUP');
    await new Promise((r) => setTimeout(r, 500));
    child.stdin.write('/day2 whoami\n');
    await waitFor('Time zone: Asia/Tokyo');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exited;
    expect(err).toBe('');
    expect(out).toContain('/day2 whoami');
    expect(out).toMatch(/admin/);
    expect(out).toContain('Time zone: Asia/Tokyo');
    expect(code).toBe(0);
  }, 40_000);
});
