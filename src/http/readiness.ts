/** `GET /readyz`: ready only when Redis and every configured platform answer and start-up planning is done. */
import type { RequestHandler } from 'express';
import type { Logger } from '../log.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

const TIMEOUT_MS = 2_000;

async function run(c: ReadinessCheck): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      c.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { name: c.name, ok: true };
  } catch (err) {
    return { name: c.name, ok: false, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export function readinessHandler(checks: () => ReadinessCheck[], log: Logger): RequestHandler {
  return async (_req, res) => {
    const results = await Promise.all(checks().map(run));
    const ready = results.every((r) => r.ok);
    if (!ready) log.warn({ results }, 'not ready');
    res.status(ready ? 200 : 503).json({ ready, checks: results });
  };
}
