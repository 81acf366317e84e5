#!/usr/bin/env node
// `npm start`: build only when a source is newer than the last build, then run the built bot.
// A Day2 that is already running keeps its dist/ untouched: when the HTTP port is taken this says
// so in one line and stops before building anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
const SOURCES = ['src', 'commands', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under `path` (files only). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

function portTaken(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err) => resolve(err.code === 'EADDRINUSE'));
    probe.listen(port, () => probe.close(() => resolve(false)));
  });
}

const port = Number(process.env.PORT ?? 3000);
const args = process.argv.slice(2);
if ((args[0] ?? 'start') === 'start' && Number.isInteger(port) && port > 0 && (await portTaken(port))) {
  console.error(`Day2 cannot start: port ${port} is taken (is another Day2 running?). Set PORT to another port, e.g. PORT=${port + 1} npm start`);
  process.exit(1);
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
// DAY2_NO_BUILD=1 runs whatever is built (benchmarks: a source saved mid-run must not turn a round into a build).
const stale = SOURCES.some((s) => newest(join(root, s)) > built);
if (stale && !existsSync(join(root, 'dist/src/cli/main.js')) && process.env.DAY2_NO_BUILD === '1') {
  console.error('Day2 cannot start: nothing is built yet; run npm run build');
  process.exit(1);
}
if (stale && process.env.DAY2_NO_BUILD !== '1') {
  console.error('Day2: building (sources changed since the last build)…');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--incremental', '--tsBuildInfoFile', 'dist/.tsbuildinfo'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}

process.argv = [process.argv[0], join(root, 'dist/src/cli/main.js'), ...(args.length ? args : ['start'])];
await import(pathToFileURL(join(root, 'dist/src/cli/main.js')).href);
