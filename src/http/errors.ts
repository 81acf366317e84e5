/**
 * The last stop for an error in any express route (a body that does not parse, a handler that
 * throws). Express's own final handler prints the stack trace as HTML unless NODE_ENV is
 * `production`; this one answers every mode alike: the status and its plain name as JSON, while
 * the details go to the log only.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Logger } from '../log.js';

/** The HTTP status an error asks for (body-parser sets `status`), else 500. */
export function statusOf(err: unknown): number {
  const e = err as { status?: unknown; statusCode?: unknown } | null;
  const s = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
  return Number.isInteger(s) && s >= 400 && s <= 599 ? s : 500;
}

export function answerError(err: unknown, req: { method?: string; url?: string }, res: ServerResponse, log: Logger): void {
  const status = statusOf(err);
  if (status >= 500) log.error({ err, method: req.method, path: req.url?.split('?')[0] }, 'http request failed');
  else log.warn({ status, method: req.method, path: req.url?.split('?')[0], message: (err as Error)?.message }, 'http request refused');
  if (res.headersSent) {
    // Part of the answer is out already: cut it off rather than append an error to it.
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: STATUS_CODES[status] ?? 'error' });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), 'cache-control': 'no-store' }).end(body);
}
