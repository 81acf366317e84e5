/**
 * The one HTTP server: platform endpoints (mounted by the adapters on `platformRouter`) and the
 * operations endpoints. Slack's, Mattermost's and the ops routes share one port (PORT).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type Router } from 'express';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { readinessHandler, type ReadinessCheck } from './readiness.js';

export interface HttpServerOptions {
  metrics: Metrics;
  log: Logger;
  checks: () => ReadinessCheck[];
  /** Refresh gauges (e.g. queue depth) right before a scrape. */
  beforeScrape?: () => Promise<void>;
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
    if (!handler) return app(req, res);
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
      server = createServer(route);
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

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  app.get('/readyz', readinessHandler(opts.checks, opts.log));
  app.get('/metrics', async (_req, res) => {
    try {
      await opts.beforeScrape?.();
      res.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
    } catch (err) {
      opts.log.error({ err }, 'metrics scrape failed');
      res.status(500).type('text/plain').send('metrics unavailable');
    }
  });
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
