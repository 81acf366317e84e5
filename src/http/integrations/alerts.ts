/**
 * `POST /integrations/<kind>/<id>`: where Alertmanager, Grafana and generic senders deliver
 * alerts. Every refusal says little: a wrong or missing token and an unknown id get the same 401
 * (no hint which ids exist), and nothing is stored before the token checks out. The body is read
 * up to the configured limit (413 beyond), then parsed (400 for bad JSON) and validated (400
 * naming the first wrong field).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import type { AlertsConfig, Integration } from '../../domain/alert/config.js';
import { parseAlertPayload } from '../../domain/alert/payloads.js';
import type { Logger } from '../../log.js';
import type { Ingest, IngestResult } from '../../services/alert/ingest.js';
import type { AlertMetrics } from '../../services/alert/metrics.js';

export interface AlertEndpointDeps {
  config: () => AlertsConfig;
  /** Reads a token from the environment by name (process.env in production). */
  secret: (envName: string) => string | undefined;
  ingest: Ingest;
  /** A heartbeat integration's beat (its body is not read as alerts). */
  beat: (integration: Integration) => Promise<IngestResult>;
  metrics: AlertMetrics;
  log: Logger;
}

/** Equal-time comparison of two secrets: hashing first makes both sides the same length. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

function bearer(req: IncomingMessage): string {
  const h = req.headers.authorization ?? '';
  return /^Bearer\s+/i.test(h) ? h.replace(/^Bearer\s+/i, '').trim() : '';
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** The integration this request may use, or undefined: unknown id, wrong kind and wrong token look alike. */
export function authorize(deps: AlertEndpointDeps, req: IncomingMessage, kind: string, id: string): Integration | undefined {
  const found = deps.config().integrations.find((i) => i.id === id && i.kind === kind);
  const expected = found ? (deps.secret(found.tokenEnv) ?? '') : '';
  // Compare even when nothing was found, so an unknown id costs the same time as a wrong token.
  const ok = sameSecret(bearer(req), expected || 'no integration has this token');
  return found && expected && ok ? found : undefined;
}

type Body = { ok: true; text: string } | { ok: false; tooLarge: true };

async function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return { ok: false, tooLarge: true };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return { ok: false, tooLarge: true };
    chunks.push(chunk);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}

export async function handleAlertWebhook(deps: AlertEndpointDeps, req: IncomingMessage, res: ServerResponse, kind: string, id: string): Promise<void> {
  const integration = authorize(deps, req, kind, id);
  if (!integration) {
    deps.metrics.refused.inc({ reason: 'unauthorized' });
    // Drain what was sent so the client reads the answer instead of a reset connection.
    req.resume();
    return answer(res, 401, { error: 'unauthorized: send "Authorization: Bearer <token>" with this integration\'s token' });
  }
  const body = await readBody(req, deps.config().maxBodyBytes);
  if (!body.ok) {
    deps.metrics.refused.inc({ reason: 'too_large' });
    res.setHeader('connection', 'close');
    return answer(res, 413, { error: `body larger than ${deps.config().maxBodyBytes} bytes: send fewer alerts per call` });
  }
  if (integration.kind === 'heartbeat') return answer(res, 200, { ok: true, ...(await deps.beat(integration)) });
  let json: unknown;
  try {
    json = JSON.parse(body.text);
  } catch {
    deps.metrics.refused.inc({ reason: 'bad_json' });
    return answer(res, 400, { error: 'the body is not valid JSON', field: '(body)' });
  }
  const parsed = parseAlertPayload(integration.kind, json);
  if (!parsed.ok) {
    deps.metrics.refused.inc({ reason: 'bad_payload' });
    return answer(res, 400, { error: `${parsed.field}: ${parsed.message}`, field: parsed.field });
  }
  const result = await deps.ingest(integration, parsed.batch);
  answer(res, 200, { ok: true, ...result });
}

/** Mounts the webhook on the server; heartbeats share the prefix but have their own route. */
export function mountAlertWebhooks(app: Express, deps: AlertEndpointDeps): void {
  app.post('/integrations/:kind/:id', (req: Request, res: Response) => {
    const { kind, id } = req.params as { kind: string; id: string };
    handleAlertWebhook(deps, req, res, kind, id).catch((err: unknown) => {
      deps.log.error({ err, integration: id }, 'alert webhook failed');
      if (!res.headersSent) answer(res, 500, { error: 'could not store the alerts; the sender should retry' });
    });
  });
}
