/**
 * Slack Web API failures -> Day2's coded errors, so the delivery queue can decide between "wait",
 * "retry" and "give up" without knowing anything about Slack.
 */
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { Day2Error, PermanentError, RateLimitedError, TransientError } from '../../errors.js';

/**
 * Methods whose effect is visible to people. After a timeout or a dropped connection we cannot
 * know whether Slack acted on them, so their transient failures are flagged `ambiguous` and the
 * queue checks (findPosted) before sending again. Reads are safe to repeat and never ambiguous.
 */
const POSTING_METHODS = new Set(['chat.postMessage', 'chat.postEphemeral', 'chat.update', 'views.open']);

const NOT_FOUND = new Set(['channel_not_found', 'user_not_found', 'users_not_found', 'message_not_found', 'thread_not_found']);
const NOT_IN_CHANNEL = new Set(['not_in_channel', 'is_archived']);
const AUTH = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'missing_scope', 'no_permission']);
/** Slack's own "try again" errors (Web API docs, "Errors" on every method page). */
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
/** Of those, the ones Slack documents as "some aspect of the operation may have succeeded". */
const MAYBE_APPLIED = new Set(['internal_error', 'fatal_error']);

/**
 * Connection errors raised before a single byte of the request left this machine: the request
 * certainly had no effect, so it is never ambiguous (undici puts the errno on `cause.code`).
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** Retry-After default when Slack says "slow down" without saying for how long. */
const DEFAULT_RETRY_AFTER_MS = 1000;

/** Wrap any error thrown by a WebClient call to `method` into a Day2Error. */
export function mapSlackError(err: unknown, method: string): Day2Error {
  if (err instanceof Day2Error) return err;
  const posting = POSTING_METHODS.has(method);
  // Slack limits each method per workspace, except chat.postMessage's special tier: about one
  // message per second per channel. So that one's 429 leaves the other channels alone, and a
  // chat.update 429 holds back edits only. Other methods' 429s hold the platform: a post may need
  // them first (conversations.open before a DM), and they are rare.
  const scope = method === 'chat.postMessage' ? 'channel' : method === 'chat.update' ? 'method' : 'platform';

  if (err instanceof WebAPIRateLimitedError) {
    return new RateLimitedError(err.retryAfter * 1000, `slack ${method}: rate limited, retry after ${err.retryAfter} s`, { cause: err, scope });
  }

  if (err instanceof WebAPIPlatformError) {
    const code = String(err.data.error);
    const message = `slack ${method}: ${code}`;
    if (NOT_FOUND.has(code)) return new PermanentError('not_found', message, { cause: err });
    if (NOT_IN_CHANNEL.has(code)) return new PermanentError('not_in_channel', message, { cause: err });
    if (AUTH.has(code)) return new PermanentError('auth', message, { cause: err });
    if (code === 'ratelimited' || code === 'rate_limited') return new RateLimitedError(DEFAULT_RETRY_AFTER_MS, message, { cause: err, scope });
    if (TRANSIENT.has(code)) return new TransientError(message, posting && MAYBE_APPLIED.has(code), { cause: err });
    return new PermanentError('permanent', message, { cause: err });
  }

  if (err instanceof WebAPIHTTPError) {
    const message = `slack ${method}: HTTP ${err.statusCode}`;
    // A 5xx may come from a proxy after Slack already handled the request.
    if (err.statusCode >= 500 || err.statusCode === 408) return new TransientError(message, posting, { cause: err });
    return new PermanentError('permanent', message, { cause: err });
  }

  if (err instanceof WebAPIRequestError) {
    const original = err.original as Error & { cause?: { code?: string } };
    const code = original.cause?.code ?? (original as { code?: string }).code;
    const sent = !(code !== undefined && NOT_SENT_CODES.has(code));
    const what = original.name === 'TimeoutError' ? 'timed out' : `request failed (${code ?? original.message})`;
    return new TransientError(`slack ${method}: ${what}`, posting && sent, { cause: err });
  }

  if (err instanceof Error) {
    // @slack/web-api throws plain Errors for a 429 it could not parse or (with retries enabled)
    // after waiting one out; both still mean "slow down".
    const waited = /A rate limit was exceeded .*retry-after: (\d+)/.exec(err.message);
    if (waited) return new RateLimitedError(Number(waited[1]) * 1000, `slack ${method}: rate limited`, { cause: err, scope });
    if (err.message.startsWith('Retry header did not contain a valid timeout')) {
      return new RateLimitedError(DEFAULT_RETRY_AFTER_MS, `slack ${method}: rate limited`, { cause: err, scope });
    }
    // Anything else happened in our own code before or while building the request (e.g. an
    // argument that cannot be serialised): doing it again fails the same way.
    return new PermanentError('permanent', `slack ${method}: ${err.message}`, { cause: err });
  }
  return new PermanentError('permanent', `slack ${method}: ${String(err)}`);
}
