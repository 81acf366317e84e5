/**
 * The Web API client Day2 uses for everything it sends, and the one wrapper every call goes
 * through so failures leave this directory as coded Day2 errors.
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import type { Logger } from '../../log.js';
import { boltLogger } from './bolt-logger.js';
import { mapSlackError } from './errors.js';

/** Per-request timeout: long enough for a slow Slack, short enough that a stuck job frees its worker. */
export const SLACK_TIMEOUT_MS = 10_000;

/**
 * Options shared by Day2's client and Bolt's. No retries and no waiting inside the client: the
 * default policy retries for about 30 minutes and pauses the whole client on a 429, which would
 * stall every job behind one. Retrying is the delivery queue's job, with the Retry-After we report.
 */
export function slackClientOptions(log: Logger, apiUrl?: string): WebClientOptions {
  return {
    ...(apiUrl ? { slackApiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/` } : {}),
    logger: boltLogger(log),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: SLACK_TIMEOUT_MS,
    // Only ever talk to the configured API base, even if a method name looked like a URL.
    allowAbsoluteUrls: false,
  };
}

export function createSlackClient(token: string, log: Logger, apiUrl?: string): WebClient {
  return new WebClient(token, slackClientOptions(log, apiUrl));
}

/** Run one Web API call; any failure is rethrown as a Day2Error (see errors.ts). */
export async function slackCall<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw mapSlackError(err, method);
  }
}
