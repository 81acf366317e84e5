/** Conditional GET, shared by the feeds and the web pages. */
import type { IncomingMessage } from 'node:http';

/** Whether the request's If-None-Match names `etag` (or is `*`); weak comparison, as RFC 9110 asks for GET. */
export function notModified(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || strip(t) === etag);
}
