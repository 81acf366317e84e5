/**
 * `day2 import opsgenie --apply-overrides` against the shared Redis (its own key prefix), and the
 * command run as a process through src/cli/main.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRotationStore } from '../../../src/store/oncall/rotation-store.js';
import { startFakeOpsgenie } from '../../fakes/import/opsgenie.js';
import type { FakeApi } from '../../fakes/import/server.js';
import { IMPORT_FIXTURES, IMPORT_NOW as NOW, captureImport } from '../../support/import-cli.js';
import { REDIS_URL, redisEnv, type RedisEnv } from '../../support/redis-env.js';

const KEY = 'og-apply-key';
const ROOT = resolve(import.meta.dirname, '../../..');

describe('day2 import opsgenie --apply-overrides', () => {
  let fake: FakeApi;
  let env: RedisEnv;
  let dir: string;
  let config: string;
  beforeEach(async () => {
    fake = await startFakeOpsgenie(KEY);
    env = await redisEnv();
    dir = await mkdtemp(join(tmpdir(), 'day2-import-apply-'));
    config = join(dir, 'day2.yaml');
    await writeFile(config, `redisPrefix: ${env.name}\n${await readFile(join(IMPORT_FIXTURES, 'day2.yaml'), 'utf8')}`);
  });
  afterEach(async () => {
    await fake.close();
    await env.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const run = (extra: string[]) => captureImport(['opsgenie', '--url', fake.url, '--config', config, '--now', NOW, '--out', join(dir, 'fragment.yaml'), ...extra], { OPSGENIE_API_KEY: KEY, REDIS_URL });

  it('stores the overrides from now on under ids from their source ids, and a second run changes nothing', async () => {
    const first = await run(['--apply-overrides']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('✔ overrides: 2 stored in Day2, 0 already there unchanged; running Day2 processes re-plan their handoffs now');
    // The running bots' timer workers get a re-plan now, as after a change made in chat.
    const timers = new Queue('timers', { connection: env.connection, prefix: env.prefix });
    expect((await timers.getJobs(['waiting', 'delayed'])).map((j) => j.name)).toEqual(['oncall-replan']);
    await timers.close();
    const store = createRotationStore(env.redis);
    const payments = (await store.state('payments')).overrides;
    expect(payments).toEqual([expect.objectContaining({ id: expect.stringMatching(/^imp-[0-9a-f]{12}$/), slot: 'primary', person: 'erin', from: '2027-03-15T12:00:00.000Z', to: '2027-03-15T16:00:00.000Z' })]);
    expect((await store.state('database-nights')).overrides).toEqual([expect.objectContaining({ person: 'alice', from: '2027-03-20T05:00:00.000Z' })]);
    const second = await run(['--apply-overrides']);
    expect(second.out).toContain('✔ overrides: 0 stored in Day2, 2 already there unchanged');
    expect((await store.state('payments')).overrides).toEqual(payments);
  });

  it('plans without touching Redis by default', async () => {
    const r = await run([]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('overrides from now on: 1, not applied (add --apply-overrides to store them in Day2)');
    expect(await env.keys()).toEqual([]);
  });

  it('runs as "day2 import" from the command line', async () => {
    const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'import', 'opsgenie', '--url', fake.url, '--config', config, '--now', NOW], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', OPSGENIE_API_KEY: KEY },
    });
    expect(r.stdout).toMatch(/^# Imported from Opsgenie by "day2 import"/);
    expect(r.stderr).toContain('Import plan (Opsgenie; nothing has changed yet)');
  });
});
