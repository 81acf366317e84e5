/**
 * SIGHUP on the real process entry (src/main.ts `main`) in a child process: a 0-byte file or an
 * alias bomb is refused with one log line each, the process keeps running on its config, and the
 * reload metrics say so; a good file afterwards is taken.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScriptProcess, type BotProcess } from '../support/bot-process.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `t-sighup-${randomUUID().slice(0, 8)}`;
const GOOD = `timezone: Europe/Berlin\nredisPrefix: ${prefix}\npeople:\n  - { id: alice, name: Alice }\nroles: { admin: [alice] }\n`;
const BOMB = `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;

const SCRIPT = `
const { main } = await import(process.env.DAY2_ROOT_URL + '/src/main.ts');
const code = await main();
if (code !== 0) process.exit(code);
`;

let bot: BotProcess;
let configFile: string;
let port: number;

beforeAll(async () => {
  configFile = join(await mkdtemp(join(tmpdir(), 'day2-sighup-')), 'day2.yaml');
  await writeFile(configFile, GOOD);
  bot = await startScriptProcess('sighup', SCRIPT, { DAY2_CONFIG: configFile, REDIS_URL, PORT: '0', DAY2_CONSOLE: 'false', LOG_LEVEL: 'info' });
  // startScriptProcess returns on the first "ready" in the output; the bound port comes with "Day2 ready".
  const deadline = Date.now() + 30_000;
  let ready: string | undefined;
  while (!(ready = bot.output().split('\n').find((l) => l.includes('"Day2 ready"')))) {
    if (bot.child.exitCode !== null || Date.now() > deadline) throw new Error(`the bot did not start:\n${bot.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  port = (JSON.parse(ready) as { port: number }).port;
}, 60_000);

afterAll(async () => {
  if (bot && bot.child.exitCode === null) {
    bot.child.kill('SIGTERM');
    await bot.exited;
  }
  const plain = new Redis(REDIS_URL);
  const keys = await plain.keys(`*${prefix}*`);
  if (keys.length) await plain.del(...keys);
  await plain.quit();
});

const metric = async (name: string) => {
  const body = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return Number(body.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1]);
};
const countOf = (text: string) => bot.output().split('\n').filter((l) => l.includes(text)).length;

async function hangUpAndWaitFor(text: string, times: number): Promise<void> {
  bot.child.kill('SIGHUP');
  const deadline = Date.now() + 10_000;
  while (countOf(text) < times) {
    if (bot.child.exitCode !== null || Date.now() > deadline) throw new Error(`no "${text}" after SIGHUP:\n${bot.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('SIGHUP', () => {
  it('a 0-byte config on SIGHUP keeps the running config, logs one line and reports the failure', async () => {
    const linesBefore = bot.output().split('\n').length;
    await writeFile(configFile, '');
    await hangUpAndWaitFor('config reload refused', 1);
    await new Promise((r) => setTimeout(r, 200));
    // One line for the refusal, and no multi-line dump on stderr: every new line is one JSON log entry.
    const added = bot.output().split('\n').slice(linesBefore - 1).filter((l) => l.trim() !== '');
    expect(added.filter((l) => /reload/i.test(l))).toHaveLength(1);
    for (const l of added) expect(() => JSON.parse(l) as unknown, l).not.toThrow();
    expect(bot.output()).toMatch(/config reload refused, keeping the running config \(1 problem\): \(file\): the file is empty/);
    expect(bot.child.exitCode).toBeNull();
    expect(await metric('day2_config_last_reload_successful')).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBeLessThan(500);
  });

  it('an alias bomb on SIGHUP is refused without crashing the process', async () => {
    await writeFile(configFile, BOMB);
    await hangUpAndWaitFor('config reload refused', 2);
    expect(bot.output()).toMatch(/aliases/);
    await new Promise((r) => setTimeout(r, 200));
    expect(bot.child.exitCode).toBeNull();
  });

  it('a good file on SIGHUP is taken and the metrics report the good load', async () => {
    const before = await metric('day2_config_last_reload_success_timestamp_seconds');
    await new Promise((r) => setTimeout(r, 1100)); // the timestamp has one-second resolution
    await writeFile(configFile, GOOD.replace('Alice', 'Alice A.'));
    await hangUpAndWaitFor('config reloaded', 1);
    expect(await metric('day2_config_last_reload_successful')).toBe(1);
    expect(await metric('day2_config_last_reload_success_timestamp_seconds')).toBeGreaterThan(before);
  });
});
