/**
 * The loopback server under each fake on-call API (opsgenie.ts …): a real HTTP server on
 * 127.0.0.1 port 0, a route table, every request recorded (so tests can check the importer only
 * reads), and 429 + Retry-After injection with the vendor's own error body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A route: `pattern` matched against the path (groups are passed on), or undefined to fall through. */
export type Route = { method: string; pattern: RegExp; answer: (req: FakeRequest, groups: string[]) => FakeAnswer };

export class FakeApi {
  readonly requests: FakeRequest[] = [];
  /** The next N requests are answered 429 with this Retry-After (seconds). */
  rateLimit: { times: number; retryAfter: number } = { times: 0, retryAfter: 1 };
  private server!: Server;
  url = '';

  constructor(
    private readonly routes: Route[],
    /** Whether the request carries a valid token; else the vendor's 401. */
    private readonly authorized: (req: FakeRequest) => boolean,
    private readonly errorBody: (status: number, message: string) => unknown,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', this.url);
    const r: FakeRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers };
    this.requests.push(r);
    const send = (a: FakeAnswer) => {
      res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) });
      res.end(JSON.stringify(a.body));
    };
    if (this.rateLimit.times > 0) {
      this.rateLimit.times--;
      return send({ status: 429, headers: { 'retry-after': String(this.rateLimit.retryAfter) }, body: this.errorBody(429, 'You are making too many requests! To avoid errors, we recommend you limit requests.') });
    }
    if (!this.authorized(r)) return send({ status: 401, body: this.errorBody(401, 'Could not authenticate') });
    for (const route of this.routes) {
      const m = route.method === r.method ? route.pattern.exec(r.path) : null;
      if (m) return send(route.answer(r, m.slice(1)));
    }
    send({ status: 404, body: this.errorBody(404, `No route for ${r.method} ${r.path}`) });
  }
}
