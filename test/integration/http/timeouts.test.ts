/**
 * Slow clients are cut off: a connection that trickles its headers or its body is closed after
 * the configured timeouts (here ~100 ms), on express routes and on the raw Slack route alike,
 * instead of being held for Node's 300 s default. The checks wait for the close itself; the
 * guard only turns a hang into a clear failure.
 */
import { connect, type Socket } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/env.js';
import { createHttpServer, DEFAULT_HTTP_TIMEOUTS, type HttpServer } from '../../../src/http/server.js';
import { silentLogger } from '../../../src/log.js';
import { createMetrics } from '../../../src/metrics.js';

let http: HttpServer;
let port: number;
const sockets: Socket[] = [];

beforeEach(async () => {
  http = createHttpServer({ metrics: createMetrics({ defaultMetrics: false }), log: silentLogger, checks: () => [], timeouts: { headersMs: 100, bodyMs: 150 } });
  http.app.post('/echo', express.text({ type: '*/*' }), (req, res) => void res.type('text/plain').send(String(req.body)));
  http.mountRaw('POST', '/raw', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.concat(chunks)));
  });
  port = await http.listen(0, '127.0.0.1');
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await http.close();
});

/** Write `partial`, then nothing more; resolve with what the server sent once it closes. */
async function stall(partial: string): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => (received += d));
  socket.on('error', () => undefined);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write(partial);
  await new Promise<void>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error('the server held a stalled connection open for 15 s')), 15_000);
    socket.once('close', () => {
      clearTimeout(guard);
      resolve();
    });
  });
  return received;
}

describe('HTTP timeouts', () => {
  it('closes a connection whose body stalls (express route)', async () => {
    const got = await stall('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nonly a little');
    expect(got).toMatch(/^HTTP\/1\.1 408/);
  });

  it("closes a connection whose body stalls (Slack's raw route)", async () => {
    const got = await stall('POST /raw HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":');
    expect(got).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose headers stall', async () => {
    const got = await stall('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(got).toMatch(/^HTTP\/1\.1 408/);
  });

  it('still serves a request that arrives whole', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(await res.text()).toBe('hello');
    const raw = await fetch(`http://127.0.0.1:${port}/raw`, { method: 'POST', body: 'raw body' });
    expect(await raw.text()).toBe('raw body');
  });

  it('defaults to 10 s for headers and 30 s for the whole request, overridable from the environment', () => {
    expect(DEFAULT_HTTP_TIMEOUTS).toEqual({ headersMs: 10_000, bodyMs: 30_000 });
    const defaults = parseEnv({});
    const set = parseEnv({ DAY2_HTTP_HEADERS_TIMEOUT_MS: '100', DAY2_HTTP_BODY_TIMEOUT_MS: '250' });
    expect(defaults.ok && [defaults.env.DAY2_HTTP_HEADERS_TIMEOUT_MS, defaults.env.DAY2_HTTP_BODY_TIMEOUT_MS]).toEqual([10_000, 30_000]);
    expect(set.ok && [set.env.DAY2_HTTP_HEADERS_TIMEOUT_MS, set.env.DAY2_HTTP_BODY_TIMEOUT_MS]).toEqual([100, 250]);
    expect(parseEnv({ DAY2_HTTP_BODY_TIMEOUT_MS: 'soon' }).ok).toBe(false);
  });
});
