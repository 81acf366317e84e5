/**
 * Bolt and the Web API client log through their own Logger interface; this routes them into
 * Day2's pino logger so every line is structured JSON with the same redaction rules.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../log.js';

export function boltLogger(log: Logger): BoltLogger {
  const child = log.child({ component: 'slack-sdk' });
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
  return {
    debug: (...m: unknown[]) => child.debug(text(m)),
    info: (...m: unknown[]) => child.info(text(m)),
    warn: (...m: unknown[]) => child.warn(text(m)),
    error: (...m: unknown[]) => child.error(text(m)),
    // Bolt resets its logger to INFO in its constructor; the level is Day2's (LOG_LEVEL), so ignore it.
    setLevel: () => {},
    getLevel: () => {
      const level = child.level;
      if (level === 'debug' || level === 'trace') return LogLevel.DEBUG;
      if (level === 'warn') return LogLevel.WARN;
      if (level === 'error' || level === 'fatal' || level === 'silent') return LogLevel.ERROR;
      return LogLevel.INFO;
    },
    setName: () => {},
  };
}
