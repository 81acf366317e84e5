/**
 * Builds the Bolt App that receives Slack's requests, in one of two transports:
 *
 * - HTTP: Bolt's HTTPReceiver handles `POST /slack/events`, mounted either as a raw route on
 *   Day2's HTTP server (`mountRaw`: no express routing on the acknowledgement path, which is
 *   what every slash command waits on) or on an express router. Bolt never starts a server of
 *   its own (its `start()` is never called); Day2's single HTTP server serves Slack, Mattermost
 *   and the ops endpoints. Bolt verifies the signature (forged or > 5 min old: 401, nothing runs).
 * - Socket Mode (an app token is set): Bolt opens a websocket to Slack on `start()`.
 */
import { performance } from 'node:perf_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import type { Router } from 'express';
import { Day2Error } from '../../errors.js';
import type { Logger } from '../../log.js';
import { boltLogger } from './bolt-logger.js';
import { SLACK_TIMEOUT_MS } from './client.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Context key carrying when the request reached us, so the ack budget counts from arrival. */
export const RECEIVED_AT = 'day2ReceivedAt';

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
    const app = new App({ ...common, appToken: opts.appToken, socketMode: true });
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

  type Stamped = IncomingMessage & { [RECEIVED_AT]?: number };
  const receiver = new HTTPReceiver({
    signingSecret: opts.signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    logger,
    // Ack first, work after (Day2 never runs long work inside Slack's 3 s window).
    processBeforeResponse: false,
    customPropertiesExtractor: (req) => ({ [RECEIVED_AT]: (req as Stamped)[RECEIVED_AT] ?? performance.now() }),
  });
  const handler: RawHandler = (req, res) => {
    // Refuse while not running (Slack retries a 503), and stamp arrival for the ack budget.
    if (!opts.accepting()) {
      res.writeHead(503, { 'retry-after': '5', 'content-type': 'text/plain' }).end('Day2 is not accepting Slack requests right now');
      return;
    }
    (req as Stamped)[RECEIVED_AT] = performance.now();
    receiver.requestListener(req, res);
  };
  if (opts.mountRaw) opts.mountRaw('POST', SLACK_EVENTS_PATH, handler);
  else opts.router!.post(SLACK_EVENTS_PATH, (req, res) => handler(req, res));
  const app = new App({ ...common, receiver });
  return { app, mode: 'http', start: async () => {}, stop: async () => {} };
}
