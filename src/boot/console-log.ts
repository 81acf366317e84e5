/**
 * Logs in console mode: the terminal is the chat, so no JSON goes to stdout. Logs go to a file
 * under ./data (its path printed once at start); when that file cannot be written they go to
 * stderr, warnings and worse only, one readable line each.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { destination, pino } from 'pino';
import type { Logger } from '../log.js';

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg']);
const REDACT = { paths: ['token', '*.token', 'signingSecret', '*.signingSecret', 'appToken', '*.appToken', 'headers.authorization'], censor: '[redacted]' };

/** One pino JSON line as `day2 warn: message (key=value …)`. */
export function humanLine(json: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const extras = Object.entries(rec)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const err = rec.err as { message?: string } | undefined;
  const detail = err?.message ? ` — ${err.message}` : extras.length > 0 ? ` (${extras.join(' ')})` : '';
  return `day2 ${LEVELS[rec.level as number] ?? 'log'}: ${String(rec.msg ?? '')}${detail}`;
}

export interface ConsoleLog {
  log: Logger;
  /** Where the logs go, for the one line printed at start. */
  where: string;
}

export function consoleLogger(options: { level?: string; dataDir?: string } = {}): ConsoleLog {
  const dataDir = options.dataDir ?? './data';
  const file = join(dataDir, 'day2-console.log');
  try {
    mkdirSync(dataDir, { recursive: true });
    const dest = destination({ dest: file, sync: true, append: true });
    return { log: pino({ name: 'day2', level: options.level ?? 'info', redact: REDACT }, dest), where: file };
  } catch {
    const stderr = { write: (line: string) => void process.stderr.write(`${humanLine(line)}\n`) };
    return { log: pino({ name: 'day2', level: 'warn', redact: REDACT }, stderr), where: 'stderr (warnings only)' };
  }
}
