/**
 * The harness the `day2 import <vendor>` tests share: the fixtures folder and the fixed --now its
 * timelines were computed for, a run of runImport with stdout and stderr captured, and (through
 * useImportCli) a fresh fake vendor API and scratch folder for every test.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { runImport } from '../../src/cli/import/cli.js';
import type { FakeApi } from '../fakes/import/server.js';

export const IMPORT_FIXTURES = join(import.meta.dirname, '../fixtures/import');
/** The fixtures' "now": it fixes the 8-week comparison window their timelines were computed for. */
export const IMPORT_NOW = (JSON.parse(await readFile(join(IMPORT_FIXTURES, 'fixture.json'), 'utf8')) as { now: string }).now;

export interface ImportRun {
  code: number;
  out: string;
  err: string;
}

/** runImport with its output collected, lines joined as a terminal would show them. */
export async function captureImport(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<ImportRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImport(argv, env, { out: (t) => out.push(t), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export interface ImportCliOptions<F> {
  vendor: 'opsgenie' | 'pagerduty' | 'grafana-oncall';
  /** The environment a run gets when the test passes none: the vendor's token variable. */
  env: NodeJS.ProcessEnv;
  /** A fresh, mutable copy of the vendor's fixtures, so a test can change what the fake serves. */
  fixtures: () => F;
  start: (fx: F) => Promise<FakeApi>;
}

export interface ImportCli<F> {
  /** This test's fake API (replaced by restart()). */
  readonly fake: FakeApi;
  /** What the fake serves; change it, then restart(). */
  readonly fx: F;
  /** A scratch folder for --out, removed after the test. */
  readonly dir: string;
  /** `day2 import <vendor>` against the fake, the fixtures' day2.yaml and --now, then `extra`. */
  run(extra?: string[], env?: NodeJS.ProcessEnv): Promise<ImportRun>;
  /** Serve the (changed) fixtures from a new fake. */
  restart(): Promise<void>;
}

/** Call inside a describe: registers the beforeEach/afterEach that start and close the fake. */
export function useImportCli<F>(opts: ImportCliOptions<F>): ImportCli<F> {
  let fake: FakeApi;
  let fx: F;
  let dir: string;
  beforeEach(async () => {
    fx = opts.fixtures();
    fake = await opts.start(fx);
    dir = await mkdtemp(join(tmpdir(), `day2-import-${opts.vendor}-`));
  });
  afterEach(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get fake() {
      return fake;
    },
    get fx() {
      return fx;
    },
    get dir() {
      return dir;
    },
    run: (extra = [], env = opts.env) => captureImport([opts.vendor, '--url', fake.url, '--config', join(IMPORT_FIXTURES, 'day2.yaml'), '--now', IMPORT_NOW, ...extra], env),
    async restart() {
      await fake.close();
      fake = await opts.start(fx);
    },
  };
}
