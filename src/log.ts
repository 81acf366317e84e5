/** Structured JSON logs (pino). Child loggers carry the event id so one action can be followed. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: options.name ?? 'day2',
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    // Never log secrets, even when a whole options object is logged by mistake.
    redact: { paths: ['token', '*.token', 'signingSecret', '*.signingSecret', 'appToken', '*.appToken', 'headers.authorization'], censor: '[redacted]' },
  });
}

/** A logger that drops everything: for tests that do not assert on logs. */
export const silentLogger: Logger = pino({ level: 'silent' });
