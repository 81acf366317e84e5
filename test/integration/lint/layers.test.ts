/**
 * `npm run lint` keeps the layering (ARCHITECTURE.md): a file planted for one test breaks one
 * rule, and the lint must name that rule and fail. Probes are written under src/ with unique
 * names (the rules match on paths) and always removed.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);
const planted: string[] = [];

async function plant(path: string, text: string): Promise<string> {
  const file = join(ROOT, path);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  planted.push(file);
  return path;
}

/** The lint over `paths` (the whole tree when none): its exit code and what it printed. */
async function lint(...paths: string[]): Promise<{ code: number; out: string }> {
  const bin = join(ROOT, 'node_modules/.bin/depcruise');
  try {
    const r = await run(bin, [...(paths.length ? paths : ['src', 'commands']), '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], { cwd: ROOT });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

afterEach(async () => {
  await Promise.all(planted.splice(0).map((f) => rm(f, { force: true })));
});

describe('the layering lint', () => {
  const tag = () => `lint-probe-${randomBytes(4).toString('hex')}`;

  it('passes on the tree as it is', async () => {
    const r = await lint();
    expect(r.out).toContain('no dependency violations found');
    expect(r.code).toBe(0);
  });

  it('fails on a domain file that imports the config (an upward import)', async () => {
    const probe = await plant(`src/domain/${tag()}.ts`, "import type { Config } from '../config.js';\nexport type Probe = Config;\n");
    const r = await lint(probe);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain(`no-upward-from-domain: ${probe} → src/config.ts`);
    expect(r.out).toContain('domain-is-pure');
  });

  it('fails on two files that import each other', async () => {
    const a = tag();
    const b = tag();
    await plant(`src/store/${b}.ts`, `import { a } from './${a}.js';\nexport const b = () => a;\n`);
    const probe = await plant(`src/store/${a}.ts`, `import { b } from './${b}.js';\nexport const a = () => b;\n`);
    const r = await lint(probe);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/no-circular: src\/store\/lint-probe-/);
    expect(r.out).toContain(`src/store/${a}.ts`);
    expect(r.out).toContain(`src/store/${b}.ts`);
  });

  it('fails on a feature service that imports the dispatcher', async () => {
    const probe = await plant(`src/services/notice/${tag()}.ts`, "import type { Services } from '../../dispatch/services.js';\nexport type Probe = Services;\n");
    const r = await lint(probe);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('services-and-dispatch-are-siblings');
  });

  it('fails on BullMQ used outside src/delivery', async () => {
    const probe = await plant(`src/services/notice/${tag()}.ts`, "import { Queue } from 'bullmq';\nexport const probe = Queue;\n");
    const r = await lint(probe);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('bullmq-only-in-delivery');
  });
});
