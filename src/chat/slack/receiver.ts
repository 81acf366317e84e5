/**
 * Builds the Bolt App that receives Slack's requests, in one of two transports:
 *
 * - HTTP: Bolt's HTTPReceiver handles `POST /slack/events`, mounted either as a raw route on
 *   Day2's HTTP server (`mountRaw`: no express routing on the acknowledgement path, which is
 *   what every slash command waits on) or on an express router. Bolt never starts a server of
 *   its own (its `start()` is never called); Day2's single HTTP server serves Slack, Mattermost
 *   and the ops endpoints. request-gate.ts checks every request before Bolt sees it (forged, or
 *   timestamped over 5 min away either way: 401; signed but malformed: 400; nothing runs).
 * - Socket Mode (an app token is set): Bolt opens a websocket to Slack on `start()`; socket-gate.ts
 *   checks every frame before the SDK reads it.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, SocketModeReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Router } from 'express';
import { Day2Error } from '../../errors.js';
import type { Logger } from '../../log.js';
import { boltLogger } from './bolt-logger.js';
import { SLACK_TIMEOUT_MS } from './client.js';
import { BodyTooLarge, checkSlackRequest, readBody } from './request-gate.js';
import { guardSocketFrames } from './socket-gate.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Context key carrying when the request reached us, so the ack budget counts from arrival. */
export const RECEIVED_AT = 'day2ReceivedAt';
/**
 * Context key carrying the sha256 (hex) of the raw signed body: the run-once key of a request
 * that has no trigger id, so unrelated requests never share one and a redelivery (same body,
 * new timestamp) still matches.
 */
export const REQUEST_DIGEST = 'day2RequestDigest';

export interface BoltSetupOptions {
  token: string;
  signingSecret: string;
  appToken?: string;
  /** Preferred: register a raw `(req, res)` handler for `POST <path>` on Day2's HTTP server. */
  mountRaw?: (method: 'POST', path: string, handler: RawHandler) => void;
  /** Alternative: an express router to mount on (it must not sit behind a body parser). */
  router?: Router;
  botId: string;
  botUserId: string;
  /** Web API base for Bolt's own client (and, in Socket Mode, for apps.connections.open). */
  apiUrl?: string;
  log: Logger;
  /** False before start() and after stop(): HTTP requests then get 503 and Slack retries later. */
  accepting: () => boolean;
}

export interface BoltSetup {
  app: App;
  mode: 'http' | 'socket';
  /** Socket Mode: connect. HTTP: nothing to do (the router is already mounted). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createBolt(opts: BoltSetupOptions): BoltSetup {
  const logger = boltLogger(opts.log);
  const common = {
    token: opts.token,
    // Known from our own auth.test, so Bolt does not call it again for every request.
    botId: opts.botId,
    botUserId: opts.botUserId,
    logger,
    // Bolt's own client sends nothing for Day2 (outbound uses the adapter's client); in Socket
    // Mode it opens the connection, where the SDK's own reconnect retries are wanted, so no
    // retry overrides here. A fresh object: Bolt mutates the options it is given.
    clientOptions: { ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl.endsWith('/') ? opts.apiUrl : `${opts.apiUrl}/` } : {}), timeout: SLACK_TIMEOUT_MS } satisfies WebClientOptions,
    // Drop events caused by this bot (its own messages), so it never answers itself.
    ignoreSelf: true,
    // Day2 keeps conversation state in its own store, not Bolt's in-memory one.
    convoStore: false as const,
  };

  if (opts.appToken) {
    // Built here rather than by Bolt (socketMode: true) so its client can get the frame check
    // (socket-gate.ts); Bolt would pass it the same client options, for apps.connections.open.
    const receiver = new SocketModeReceiver({ appToken: opts.appToken, logger, installerOptions: { clientOptions: { ...common.clientOptions } } });
    guardSocketFrames(receiver.client, opts.log);
    const app = new App({ ...common, appToken: opts.appToken, receiver });
    return {
      app,
      mode: 'socket',
      start: async () => {
        await app.start();
      },
      stop: async () => {
        await app.stop();
      },
    };
  }

  if (!opts.router && !opts.mountRaw) throw new Day2Error('config', 'Slack HTTP mode needs a place to mount /slack/events (or set SLACK_APP_TOKEN for Socket Mode)');
  if (!opts.signingSecret) throw new Day2Error('config', 'SLACK_SIGNING_SECRET is required in HTTP mode (Slack app → Basic Information → Signing Secret)');

  type Stamped = IncomingMessage & { [RECEIVED_AT]?: number; rawBody?: Buffer };
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger,
    // Ack first, work after (Day2 never runs long work inside Slack's 3 s window).
    processBeforeResponse: false,
    customPropertiesExtractor: (req) => {
      const raw = (req as Stamped).rawBody;
      return { [RECEIVED_AT]: (req as Stamped)[RECEIVED_AT] ?? performance.now(), ...(raw ? { [REQUEST_DIGEST]: createHash('sha256').update(raw).digest('hex') } : {}) };
    },
  });
  const handler: RawHandler = (req, res) => {
    // Refuse while not running (Slack retries a 503), and stamp arrival for the ack budget.
    if (!opts.accepting()) {
      res.writeHead(503, { 'retry-after': '5', 'content-type': 'text/plain' }).end('Day2 is not accepting Slack requests right now');
      return;
    }
    (req as Stamped)[RECEIVED_AT] = performance.now();
    gate(req as Stamped, res, opts)
      .then((pass) => {
        if (pass) receiver.requestListener(req, res);
      })
      // Nothing a request does may become an unhandled rejection (that ends the process).
      .catch((err: unknown) => {
        opts.log.error({ err }, 'slack: request failed');
        refuse(res, 500);
      });
  };
  if (opts.mountRaw) opts.mountRaw('POST', SLACK_EVENTS_PATH, handler);
  else opts.router!.post(SLACK_EVENTS_PATH, (req, res) => handler(req, res));
  const app = new App({ ...common, receiver });
  return { app, mode: 'http', start: async () => {}, stop: async () => {} };
}

/** A bare refusal: no body beyond the status text, so nothing about the check leaks. */
const REFUSALS: Record<number, string> = { 400: 'bad request', 401: 'unauthorized', 413: 'too large', 500: 'error' };

function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(REFUSALS[status] ?? 'error');
}

/** Read, verify and shape-check the request (request-gate.ts); true when Bolt may take it. */
async function gate(req: IncomingMessage & { rawBody?: Buffer }, res: ServerResponse, opts: Pick<BoltSetupOptions, 'signingSecret' | 'log'>): Promise<boolean> {
  let raw: Buffer;
  try {
    raw = await readBody(req);
  } catch (err) {
    // A client that went away gets nothing; one that sent too much gets a 413.
    if (err instanceof BodyTooLarge) refuse(res, 413);
    else res.destroy();
    return false;
  }
  const verdict = checkSlackRequest(raw, req.headers, opts.signingSecret);
  if (!verdict.ok) {
    opts.log.warn({ status: verdict.status, reason: verdict.reason }, 'slack: request refused');
    refuse(res, verdict.status);
    return false;
  }
  req.rawBody = raw;
  // Bolt parses a form only under this exact content type (a charset suffix would fail it).
  req.headers['content-type'] = verdict.contentType;
  return true;
}
