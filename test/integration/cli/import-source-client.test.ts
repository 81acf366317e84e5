/**
 * The importer's HTTP client against a loopback server that misbehaves on purpose: a next-page
 * address on another origin is not followed (the token would go with it), a Retry-After beyond
 * what is waited out stops at once with a line in good English, and a REDIS_URL password never
 * reaches the screen.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withoutPassword } from '../../../src/cli/import/apply-overrides.js';
import { SourceError, sourceClient } from '../../../src/cli/import/http.js';
import { createTextRenderer } from '../../../src/render/text.js';

let server: Server;
let base: string;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url === '/slow') {
      res.writeHead(429, { 'retry-after': '900', 'content-type': 'application/json' }).end('{"message":"slow down"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const client = () => sourceClient({ vendor: 'Opsgenie', base, auth: ['authorization', 'GenieKey secret-key'], tokenVar: 'OPSGENIE_API_KEY', waiting: () => undefined, sleep: async () => undefined });

async function problemOf(p: Promise<unknown>): Promise<SourceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof SourceError)) throw new Error(`expected a SourceError, got ${String(err)}`);
  return err;
}

describe('the import source client', () => {
  it('follows a next page on the source itself, and refuses one elsewhere or on another scheme or port without sending anything', async () => {
    seen.length = 0;
    await expect(client().get(`${base}/v2/users?offset=100`)).resolves.toEqual({ data: [] });
    expect(seen.map((s) => s.url)).toEqual(['/v2/users?offset=100']);
    const port = Number(new URL(base).port);
    for (const elsewhere of [`http://127.0.0.2:${port}/v2/users`, `http://127.0.0.1:${port + 1}/v2/users`, `https://127.0.0.1:${port}/v2/users`]) {
      const err = await problemOf(client().get(elsewhere));
      expect(err.problem).toBe('foreign-page');
    }
    // Nothing went out after the first, legitimate request.
    expect(seen).toHaveLength(1);
    const text = await createTextRenderer({ family: 'import' });
    const err = await problemOf(client().get('http://127.0.0.2:9/next'));
    expect(text.render(`errors/${err.problem}`, err.data)).toBe(`✖ Opsgenie gave its next page at http://127.0.0.2:9, not at ${base}: Day2 sends the token only to the address given with --url, so the import stopped and nothing was written`);
  });

  it('stops at once on a Retry-After longer than it waits out, and says "1 try"', async () => {
    const err = await problemOf(client().get('/slow'));
    const text = await createTextRenderer({ family: 'import' });
    expect(text.render(`errors/${err.problem}`, err.data)).toBe('✖ Opsgenie is still rate-limiting after 1 try (Retry-After 900s): try again later');
  });

  it('prints REDIS_URL without its password', () => {
    expect(withoutPassword('redis://:s3cret@10.0.0.5:6379/0')).toBe('redis://:***@10.0.0.5:6379/0');
    expect(withoutPassword('rediss://day2:s3cret@redis.internal:6380')).toBe('rediss://day2:***@redis.internal:6380');
    expect(withoutPassword('redis+sentinel://:s3cret@10.0.0.5:26379/mymaster')).not.toContain('s3cret');
    expect(withoutPassword('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(withoutPassword('not a url s3cret')).toBe('(REDIS_URL)');
  });
});
