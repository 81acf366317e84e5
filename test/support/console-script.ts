/**
 * Runs console lines through a whole bot the way `npm start < file` does: each line answered in
 * order, echoed after a prompt, the work it caused printed before the next; at the end, the
 * summary line and the exit code. The config is day2.example.yaml under a private Redis prefix.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { createBot, type Bot } from '../../src/app.js';
import { finishScript, settle } from '../../src/boot/console-session.js';
import type { ConsoleAdapter } from '../../src/chat/console/adapter.js';
import { parseConfig, type Config } from '../../src/config.js';
import { parseEnv } from '../../src/env.js';
import { silentLogger } from '../../src/log.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** day2.example.yaml with its own Redis prefix. */
export function exampleConfig(prefix: string): Config {
  const text = readFileSync(new URL('../../day2.example.yaml', import.meta.url), 'utf8').replace(/^redisPrefix: .*$/m, `redisPrefix: ${prefix}`);
  const parsed = parseConfig(text);
  if (!parsed.ok) throw new Error(`day2.example.yaml: ${JSON.stringify(parsed.problems)}`);
  return parsed.config;
}

export interface ConsoleSession {
  bot: Bot;
  prefix: string;
  /** Everything printed so far. */
  printed(): string;
  /** Type lines; resolves when they are answered and what they caused is printed. Returns what was printed. */
  type(...lines: string[]): Promise<string>;
  /** End the input: resolves with the exit code once the summary is printed. */
  end(): Promise<number>;
  close(): Promise<void>;
}

export async function startConsole(options: { prefix?: string; config?: Config } = {}): Promise<ConsoleSession> {
  const prefix = options.prefix ?? `t-console-${randomUUID().slice(0, 8)}`;
  const config = options.config ?? exampleConfig(prefix);
  const env = parseEnv({ DAY2_CONSOLE: 'true' });
  if (!env.ok) throw new Error(JSON.stringify(env.problems));
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
  let ended: (code: number) => void = () => {};
  const exit = new Promise<number>((r) => (ended = r));
  let bot: Bot | undefined;
  const pending = () => bot?.pendingWork;
  bot = await createBot({
    env: env.env,
    config,
    redisUrl: REDIS_URL,
    log: silentLogger,
    console: {
      input,
      output,
      interactive: false,
      echo: true,
      userId: 'demo',
      people: () => config.people,
      afterLine: () => settle(pending()),
      onClose: () => void finishScript(bot!.adapters.get('console') as ConsoleAdapter, pending(), output).then(ended),
    },
  });
  await bot.start(0, '127.0.0.1');
  const adapter = bot.adapters.get('console') as ConsoleAdapter;
  return {
    bot,
    prefix,
    printed: () => printed,
    async type(...lines) {
      const from = printed.length;
      for (const line of lines) input.write(`${line}\n`);
      await new Promise((r) => setImmediate(r));
      await adapter.idle();
      return printed.slice(from);
    },
    end() {
      input.end();
      return exit;
    },
    async close() {
      await bot!.stop();
      const plain = new Redis(REDIS_URL);
      const keys = await plain.keys(`*${prefix}*`);
      if (keys.length) await plain.del(...keys);
      await plain.quit();
    },
  };
}
