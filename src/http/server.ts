/**
 * The one HTTP server: platform endpoints (mounted by the adapters on `platformRouter`) and the
 * operations endpoints. Slack's, Mattermost's and the ops routes share one port (PORT).
 * Whatever no route serves gets the one 404 (not-found.ts) and any route's error a plain JSON
 * answer without a stack (errors.ts); slow clients are cut off (HttpTimeouts).
 */
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Request, type Response, type Router } from 'express';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { answerError } from './errors.js';
import { notFound } from './not-found.js';
import { readinessHandler, type ReadinessCheck } from './readiness.js';

export interface HttpTimeouts {
  /** All request headers must arrive within this (Node's default is 60 s). */
  headersMs: number;
  /** The whole request, headers and body, must arrive within this (Node's default is 300 s). */
  bodyMs: number;
}

/** A client trickling its headers or body is cut off after these, not held for minutes. */
export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, bodyMs: 30_000 };

export interface HttpServerOptions {
  metrics: Metrics;
  log: Logger;
  checks: () => ReadinessCheck[];
  timeouts?: Partial<HttpTimeouts>;
}

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HttpServer {
  app: Express;
  /** Adapters mount their endpoints here (`/slack/events`, `/mattermost/*`). */
  platformRouter: Router;
  /**
   * Serve `method path` with a plain Node handler, ahead of express: for the hottest route (Slack's
   * slash commands, acknowledged within 3 s) routing through express layers is pure overhead.
   */
  mountRaw(method: 'POST', path: string, handler: RawHandler): void;
  listen(port: number, host?: string): Promise<number>;
  /** Stop accepting connections; in-flight requests finish. */
  close(): Promise<void>;
  /** Set while shutting down: new platform requests get 503 so the platform retries elsewhere. */
  draining: boolean;
}

export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const app = express();
  app.disable('x-powered-by');
  const platformRouter = express.Router();
  let server: Server | undefined;
  const raw = new Map<string, RawHandler>();

  const route: RawHandler = (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const handler = raw.get(`${req.method} ${q < 0 ? url : url.slice(0, q)}`);
    // With a callback, express hands unmatched requests and errors back instead of answering
    // them itself (its final handler shows stack traces outside production). Routes may be
    // added after this server is built (feeds, adapters), so a catch-all route would not do.
    if (!handler) return app(req as Request, res as Response, (err?: unknown) => (err ? answerError(err, req, res, opts.log) : notFound(res)));
    if (state.draining) {
      res.writeHead(503, { 'retry-after': '5', 'content-type': 'text/plain' }).end('shutting down');
      return;
    }
    handler(req, res);
  };

  const state: HttpServer = {
    app,
    platformRouter,
    draining: false,
    mountRaw(method, path, handler) {
      raw.set(`${method} ${path}`, handler);
    },
    async listen(port, host) {
      server = createServer(serverOptions(opts.timeouts), route);
      // Keep-alive sockets would hold close() open for their idle timeout.
      server.keepAliveTimeout = 5_000;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, host, () => resolve());
      });
      return (server.address() as AddressInfo).port;
    },
    async close() {
      if (!server) return;
      const s = server;
      server = undefined;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeIdleConnections();
      });
    },
  };

  mountOpsRoutes(app, opts);
  app.use((req, res, next) => {
    if (state.draining) {
      res.status(503).set('Retry-After', '5').type('text/plain').send('shutting down');
      return;
    }
    next();
  });
  app.use(platformRouter);
  return state;
}

/** /healthz (the process runs), /readyz (its dependencies answer) and /metrics. */
function mountOpsRoutes(app: Express, opts: HttpServerOptions): void {
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.get('/readyz', readinessHandler(opts.checks, opts.log));
  // Only what is in memory: gauges that need Redis (queue depths) are refreshed in the
  // background, so a scrape answers at once even while Redis is unreachable.
  app.get('/metrics', async (_req, res) => {
    try {
      res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
    } catch (err) {
      opts.log.error({ err }, 'metrics scrape failed');
      res.status(500).type('text/plain').send('metrics unavailable');
    }
  });
}

/**
 * Node checks the header and request timeouts on a timer (every 30 s by default), so a short
 * timeout would only fire on the next check; check at a quarter of the shorter one (≤ 1 s).
 */
function serverOptions(t: Partial<HttpTimeouts> = {}): ServerOptions {
  const headersTimeout = t.headersMs ?? DEFAULT_HTTP_TIMEOUTS.headersMs;
  // Node refuses a request timeout shorter than the headers timeout.
  const requestTimeout = Math.max(headersTimeout, t.bodyMs ?? DEFAULT_HTTP_TIMEOUTS.bodyMs);
  return { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))) };
}
