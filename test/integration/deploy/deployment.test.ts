/**
 * The deployment files (docker-compose.yml, Dockerfile, .dockerignore, package.json engines,
 * .ci/run) checked as files, since there is no Docker engine here, plus what can really run: the
 * start path on a missing or directory config file, and npm's view of the production tree.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { DRAIN_TIMEOUT_MS, configFileProblem, main } from '../../../src/main.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const semver = createRequire(import.meta.url)('semver') as { satisfies(version: string, range: string): boolean };

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test?: string[] | string };
  depends_on?: Record<string, { condition?: string }>;
  stop_signal?: string;
  stop_grace_period?: string;
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service> };
const day2 = compose.services.day2!;
const redis = compose.services.redis!;

/** The Dockerfile as stages of [instruction, argument] pairs, continuation lines joined. */
interface Stage { from: string; name?: string; lines: Array<[string, string]> }
function dockerfileStages(): Stage[] {
  const text = read('Dockerfile').replace(/\\\r?\n/g, ' ');
  const stages: Stage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, instr = '', arg = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (instr.toUpperCase() === 'FROM') {
      const [from = '', , name] = arg.split(/\s+/);
      stages.push({ from, name, lines: [] });
    } else stages.at(-1)?.lines.push([instr.toUpperCase(), arg.replace(/\s+/g, ' ')]);
  }
  return stages;
}
const stages = dockerfileStages();
const runtime = stages.at(-1)!;
const args = (stage: Stage, instr: string) => stage.lines.filter(([i]) => i === instr).map(([, a]) => a);

/** Compose durations: 1m30s, 45s, 1h, 500ms. */
function durationMs(d: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  const parts = [...d.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)];
  expect(parts.map((p) => p[0]).join(''), `duration "${d}"`).toBe(d);
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

const ciNodeVersion = /^NODE_CI_VERSION=(\S+)$/m.exec(read('.ci/run'))?.[1];

describe('deployment', () => {
  const tmp: string[] = [];
  afterEach(async () => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    await Promise.all(tmp.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it("the config is mounted as a directory so an editor's rename-on-save is seen on reload", () => {
    const configFile = day2.environment?.DAY2_CONFIG;
    expect(configFile).toMatch(/^\/.+\.ya?ml$/);
    const mounts = (day2.volumes ?? []).map((v) => {
      const [source = '', target = '', mode] = v.split(':');
      return { source, target, mode };
    });
    // No mount of the file itself: that pins the old inode, and a missing source becomes a directory.
    expect(mounts.filter((m) => m.target === configFile)).toEqual([]);
    const dirMount = mounts.find((m) => m.target === posix.dirname(configFile!));
    expect(dirMount, `a mount of ${posix.dirname(configFile!)}`).toBeDefined();
    expect(dirMount!.source).toMatch(/^\.\//);
    expect(dirMount!.source).not.toMatch(/\.ya?ml$/);
    expect(dirMount!.mode).toBe('ro');
    // The image defaults to the same path, and never bakes a config in.
    expect(args(runtime, 'ENV')).toContain(`DAY2_CONFIG=${configFile}`);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining([basename(dirMount!.source), 'day2.yaml']));
  });

  it('a missing or directory config file stops the start with one line, not an EISDIR restart loop', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'day2-deploy-'));
    tmp.push(dir);
    await mkdir(join(dir, 'day2.yaml')); // what a single-file bind mount of a missing file leaves
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'MATTERMOST_URL', 'MATTERMOST_TOKEN', 'MATTERMOST_COMMAND_TOKENS', 'REDIS_URL', 'DAY2_PUBLIC_URL'])
      vi.stubEnv(name, '');
    vi.stubEnv('LOG_LEVEL', 'silent');
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void errors.push(a.join(' ')));

    for (const [file, says] of [
      [join(dir, 'day2.yaml'), 'is a directory'],
      [join(dir, 'missing', 'day2.yaml'), 'is missing'],
    ] as const) {
      errors.length = 0;
      vi.stubEnv('DAY2_CONFIG', file);
      expect(await main()).toBe(1);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(new RegExp(`^Day2 cannot start: config file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${says}[^\\n]*$`));
      expect(errors[0]).not.toMatch(/EISDIR|\n\s+at /);
    }
    expect(configFileProblem(join(root, 'day2.example.yaml'))).toBeUndefined();
  });

  it('stop_grace_period outlasts the drain', () => {
    // Day2 gives in-flight jobs DRAIN_TIMEOUT_MS, then closes queues and connections: leave room.
    expect(read('src/main.ts')).toMatch(/bot\.stop\(DRAIN_TIMEOUT_MS\)/);
    expect(day2.stop_grace_period).toBeDefined();
    expect(durationMs(day2.stop_grace_period!)).toBeGreaterThanOrEqual(DRAIN_TIMEOUT_MS + 10_000);
    expect(day2.stop_signal ?? 'SIGTERM').toBe('SIGTERM');
    expect(args(runtime, 'STOPSIGNAL')).toEqual(['SIGTERM']);
    // The process gets the signal itself (exec form, no shell in between).
    expect(args(runtime, 'CMD').at(-1)).toMatch(/^\[\s*"node"/);
  });

  it('every image is pinned to an exact version', () => {
    const exact = /^[a-z0-9][a-z0-9./_-]*:\d+\.\d+\.\d+(-[a-z0-9.-]+)?$/;
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.image === undefined) expect(service.build, `${name} has an image or a build`).toBeDefined();
      else expect(service.image, name).toMatch(exact);
    }
    const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
    for (const stage of stages) if (!stageNames.has(stage.from)) expect(stage.from).toMatch(exact);
    expect(read('docker-compose.yml') + read('Dockerfile')).not.toMatch(/:latest\b/);
    // The image's Node is the one CI tests on.
    expect(ciNodeVersion).toMatch(/^\d+\.\d+\.\d+$/);
    for (const stage of stages.filter((s) => s.from.startsWith('node:'))) expect(stage.from).toMatch(new RegExp(`^node:${ciNodeVersion!.replace(/\./g, '\\.')}-`));
  });

  it('Redis keeps its data (AOF, noeviction) and is healthy before Day2 starts', () => {
    const command = Array.isArray(redis.command) ? redis.command.join(' ') : (redis.command ?? '');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.volumes?.some((v) => v.endsWith(':/data'))).toBe(true);
    expect(JSON.stringify(redis.healthcheck?.test)).toMatch(/redis-cli ping/);
    expect(day2.depends_on?.redis?.condition).toBe('service_healthy');
    expect(day2.environment?.REDIS_URL).toBe('redis://redis:6379');
  });

  it('the production image installs no dev dependencies and runs as non-root', async () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    const tools = ['typescript', 'tsx', 'vitest', 'esbuild', 'dependency-cruiser', 'fast-check'];
    for (const t of ['typescript', 'tsx', 'vitest']) {
      expect(pkg.devDependencies[t], t).toBeDefined();
      expect(pkg.dependencies[t], t).toBeUndefined();
    }

    // Build stage compiles; the runtime stage installs production dependencies itself.
    const [build] = stages;
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(args(build!, 'RUN').join(' && ')).toMatch(/npm ci\b[\s\S]*npm run build/);
    const runs = args(runtime, 'RUN').join(' && ');
    const installs = [...runs.matchAll(/npm (?:ci|install)\b[^&;]*/g)].map((m) => m[0]);
    expect(installs.length).toBeGreaterThan(0);
    for (const cmd of installs) expect(cmd).toMatch(/--omit=dev/);
    const copies = args(runtime, 'COPY');
    expect(copies.filter((c) => c.includes('--from=') && /node_modules/.test(c))).toEqual([]);
    expect(copies.some((c) => /--from=\S+ \/app\/dist \.\/dist/.test(c))).toBe(true);

    // What `npm ci --omit=dev` installs: every lockfile package not marked dev-only. npm keeps
    // devOptional ones (typescript, an optional peer of @mattermost/*), so the image removes those.
    const removed = new Set([...runs.matchAll(/rm -rf ([^&;]+)/g)].flatMap((m) => m[1]!.trim().split(/\s+/)));
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    const installed = Object.entries(lock.packages)
      .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev && !removed.has(path))
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(installed.length).toBeGreaterThan(50);
    expect(installed.filter((n) => tools.includes(n) || n.startsWith('@vitest/'))).toEqual([]);

    // npm's own view of the production tree: no tool at all, and typescript only as the optional
    // peer it is (so removing it cannot break a production import).
    const { stdout } = await promisify(execFile)('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: root, maxBuffer: 64 << 20 });
    type Tree = { dependencies?: Record<string, Tree> };
    const parentsOf = new Map<string, Set<string>>();
    const walk = (name: string, tree: Tree) => {
      for (const [dep, sub] of Object.entries(tree.dependencies ?? {})) {
        if (!parentsOf.has(dep)) parentsOf.set(dep, new Set());
        parentsOf.get(dep)!.add(name);
        walk(dep, sub);
      }
    };
    walk('day2', JSON.parse(stdout) as Tree);
    expect(tools.filter((t) => t !== 'typescript' && parentsOf.has(t))).toEqual([]);
    for (const parent of parentsOf.get('typescript') ?? []) {
      const meta = JSON.parse(read(`node_modules/${parent}/package.json`)) as { peerDependenciesMeta?: Record<string, { optional?: boolean }> };
      expect(meta.peerDependenciesMeta?.typescript?.optional, `${parent} needs typescript`).toBe(true);
    }
    expect(removed).toContain('node_modules/typescript');

    // Runs as node, not root, and the health check needs no curl.
    const users = args(runtime, 'USER');
    expect(users.at(-1)).toBe('node');
    expect(args(runtime, 'HEALTHCHECK').join(' ')).toMatch(/"node".*\/healthz/);
    expect(stages.flatMap((s) => s.lines.map(([, a]) => a)).join('\n')).not.toMatch(/\bcurl\b|\bwget\b/);

    // Every COPY source exists and is not kept out of the build context by .dockerignore.
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const stage of stages) {
      for (const copy of args(stage, 'COPY').filter((c) => !c.startsWith('--from='))) {
        const sources = copy.split(' ').slice(0, -1);
        for (const src of sources) {
          expect(existsSync(join(root, src)), `${src} exists`).toBe(true);
          expect(ignored.some((i) => src === i || src.startsWith(`${i}/`)), `${src} is in the build context`).toBe(false);
        }
      }
    }
    // What `node dist/src/cli/main.js start` needs next to dist: package.json (templates are found
    // from it) and the templates.
    expect(copies.some((c) => /^package\.json\b/.test(c))).toBe(true);
    expect(copies).toContain('templates ./templates');
    expect(args(runtime, 'CMD').at(-1)).toBe('["node", "dist/src/cli/main.js", "start"]');
  }, 60_000);

  it('engines asks for Node 22 or 24', () => {
    const pkg = JSON.parse(read('package.json')) as { engines: { node: string } };
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: { node?: string } }> };
    const range = pkg.engines.node;
    expect(lock.packages['']?.engines?.node).toBe(range);
    for (const v of ['22.12.0', '22.23.3', '24.0.0', '24.21.0']) expect(semver.satisfies(v, range), v).toBe(true);
    for (const v of ['18.20.0', '20.19.0', '21.7.0', '22.11.0', '23.0.0', '25.0.0']) expect(semver.satisfies(v, range), v).toBe(false);
    expect(semver.satisfies(ciNodeVersion!, range)).toBe(true);
    // Local development on an older Node still works: engines warns, it does not refuse.
    expect(existsSync(join(root, '.npmrc')) ? read('.npmrc') : '').not.toMatch(/engine-strict\s*=\s*true/);
  });

  it('CI installs its Node 22 from the npm registry and falls back to the system Node with a warning', () => {
    const ci = read('.ci/run').replace(/\\\n\s*/g, ' ');
    expect(ci).toMatch(/^set -euo pipefail$/m);
    expect(ci).toMatch(/npm install [^\n]*--prefix "\$node_cache" "node@\$NODE_CI_VERSION"/);
    expect(ci).toMatch(/::warning::could not install node@/);
    expect(ci).toMatch(/node --version/);
    for (const pkgName of ['redis-server', 'redis-sentinel', 'prometheus']) expect(ci).toContain(`missing+=(${pkgName})`);
    for (const step of ['npm ci', 'npm run typecheck', 'npm run lint', 'npm test']) expect(ci).toContain(step);
  });
});
