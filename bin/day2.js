#!/usr/bin/env node
// Day2 command-line entry: runs the built CLI, or the TypeScript sources when not built yet
// (a fresh clone after `npm ci`), so `npx day2 check-config` works either way.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
