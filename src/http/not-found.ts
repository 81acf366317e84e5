/**
 * The one 404 every route and feed answers with. An unknown path, an unknown feed, an unknown
 * environment or team and a wrong or missing token all end here, so the answers are the same
 * bytes and headers and nothing tells a prober which names exist. Written with plain Node calls
 * (no express helpers that add an ETag or vary by route).
 */
import type { ServerResponse } from 'node:http';

const BODY = 'not found';

export function notFound(res: ServerResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(BODY)), 'cache-control': 'no-store' }).end(BODY);
}
