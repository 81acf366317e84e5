/**
 * A connection that logs into an array and keeps writing while a failover runs, to check that
 * Day2 says one line per Redis state change and that ioredis never prints "Unhandled error event".
 */
import { pino } from 'pino';
import { vi } from 'vitest';
import { connectRedis } from '../../../src/store/redis.js';

export interface LogWatch {
  lines: { msg: string; redis?: string; level: number }[];
  /** What ioredis printed through console.error (its "Unhandled error event" warnings). */
  unhandled: string[];
  stop(): Promise<void>;
}

export function watchLogs(url: string, keyPrefix: string): LogWatch {
  const lines: LogWatch['lines'] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as LogWatch['lines'][number]) });
  const unhandled: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void unhandled.push(args.map(String).join(' ')));
  const client = connectRedis(url, { keyPrefix, log, name: 'watched' });
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      await client.set(`watch:${i % 10}`, String(i)).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    lines,
    unhandled,
    async stop() {
      running = false;
      await loop;
      await client.quit();
      spy.mockRestore();
    },
  };
}

/** Log lines per message, e.g. `{ 'redis ready': 2, 'redis reconnecting': 1 }`. */
export function countByMessage(lines: LogWatch['lines']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) out[l.msg] = (out[l.msg] ?? 0) + 1;
  return out;
}
