/**
 * How every web page answers: security headers (no script but Day2's own, no framing, no
 * referrer — links carry their token in the query), an ETag so an unchanged page is a 304, and
 * the error pages (404, 403, 400, 429) rendered from templates/web/error.hbs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebRenderer } from '../../render/web.js';
import { notModified } from '../conditional.js';

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

export function send(res: ServerResponse, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': String(buf.length), ...extra }).end(buf);
}

/** 200 with the body, or 304 when the client already has this ETag. */
export function sendTagged(req: IncomingMessage, res: ServerResponse, etag: string, type: string, body: () => string | Buffer, cache: string): void {
  if (notModified(req, etag)) {
    res.writeHead(304, { ...SECURITY_HEADERS, etag, 'cache-control': cache }).end();
    return;
  }
  send(res, 200, type, body(), { etag, 'cache-control': cache });
}

export type ErrorPage =
  | { status: 404 }
  | { status: 403; why: 'expired' | 'forged' | 'revoked'; page: string }
  | { status: 400; problem: string; usage: string }
  | { status: 429; retryAfter: number };

/** An error page; the 404 is the same bytes whatever was asked, so it tells nothing about what exists. */
export function sendError(res: ServerResponse, web: WebRenderer, e: ErrorPage, zone: string, now: Date): void {
  const html = web.render('error', { zone, now, ...e, [`is${e.status}`]: true });
  send(res, e.status, 'text/html; charset=utf-8', html, { 'cache-control': 'no-store', ...(e.status === 429 ? { 'retry-after': String(e.retryAfter) } : {}) });
}
