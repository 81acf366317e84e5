/** An express app on loopback serving only the feeds a test mounts, and a fetch that keeps the ETag. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';

export interface FeedServer {
  url: string;
  /** GET `path`; with `etag`, as a client that has that version (If-None-Match). */
  get(path: string, etag?: string): Promise<{ status: number; body: string; etag: string | null; cacheControl: string | null }>;
  close(): Promise<void>;
}

export async function serveFeeds(mount: (app: Express) => void): Promise<FeedServer> {
  const app = express();
  mount(app);
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async get(path, etag) {
      const res = await fetch(`${url}${path}`, etag ? { headers: { 'if-none-match': etag } } : {});
      return { status: res.status, body: await res.text(), etag: res.headers.get('etag'), cacheControl: res.headers.get('cache-control') };
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
