/**
 * What the Mattermost adapter is built from (environment settings and the app's shared parts),
 * apart from adapter.ts so that file holds behaviour only.
 */
import type { Router } from 'express';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { MentionResolver } from '../../render/serialize-options.js';

/** A late answer (a swap accepted the next day) must still work: a week by default. */
export const DEFAULT_ACTION_TTL_MS = 7 * 86_400_000;

export interface MattermostAdapterOptions {
  /** MATTERMOST_URL, e.g. https://chat.example.com. */
  url: string;
  /** MATTERMOST_TOKEN: the bot account's access token. */
  token: string;
  /** MATTERMOST_COMMAND_TOKENS: one per registered slash command; requests with another token get 401. */
  commandTokens: string[];
  /** HMAC key for button context and dialog state. */
  actionSecret: string;
  /** How long a signed button or dialog stays valid (DAY2_ACTION_TTL). Default 7 days. */
  actionTtlMs?: number;
  /** How Mattermost reaches Day2, e.g. http://day2:3000; button and dialog URLs are built from it. */
  publicUrl: string;
  /** Router to mount `/mattermost/command` and `/mattermost/actions` on. Also available as `adapter.router`. */
  router?: Router;
  /** Receive direct messages over the WebSocket. Default true. */
  websocket?: boolean;
  mentions: () => MentionResolver;
  /** Zone for dates when the reader's zone is unknown. */
  zone: () => string;
  log: Logger;
  metrics: Metrics;
  /** How long a slash command / click may take before we answer "Working on it…". Default 2500 ms. */
  ackBudgetMs?: number;
  /** Per REST call timeout. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** WebSocket reconnect floor / jitter / ping interval (client defaults 3000 / 2000 / 30 000 ms). */
  websocketRetry?: { minMs?: number; jitterMs?: number; pingIntervalMs?: number };
}
