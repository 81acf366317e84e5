/**
 * Turns Mattermost HTTP failures into Day2's coded errors, so the delivery queue can decide to
 * wait (rate limited), retry (transient) or give up with a reason (permanent).
 */
import { Day2Error, PermanentError, RateLimitedError, TransientError } from '../../errors.js';

export interface CallContext {
  method: string;
  /** Path under /api/v4, for messages (never includes the token). */
  path: string;
  /** The call creates something (a post): after a 5xx or timeout we cannot know whether it did. */
  creates: boolean;
  /** The call posts into a channel: a 403 there means the bot is not a member / may not post. */
  posting: boolean;
  /** What a 403 means for this call, for the log (e.g. which permission is missing). */
  forbiddenHint?: string;
}

/** Fallback wait when a 429 carries no usable header. */
const DEFAULT_RETRY_AFTER_MS = 1000;

/**
 * Retry-After (seconds or an HTTP date), else X-Ratelimit-Reset. Mattermost documents the latter
 * as seconds until the window resets; an epoch value (some proxies send one) is handled too.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs) && secs >= 0) return Math.max(secs * 1000, DEFAULT_RETRY_AFTER_MS);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(at - now, DEFAULT_RETRY_AFTER_MS);
  }
  const reset = Number(headers.get('x-ratelimit-reset') ?? NaN);
  if (Number.isFinite(reset) && reset >= 0) {
    const ms = reset > 1e9 ? reset * 1000 - now : reset * 1000;
    return Math.max(ms, DEFAULT_RETRY_AFTER_MS);
  }
  return DEFAULT_RETRY_AFTER_MS;
}

/** `id: message` from an AppError body, or the start of a text body. */
function describeBody(data: unknown): string {
  if (typeof data === 'object' && data !== null) {
    const { id, message } = data as Record<string, unknown>;
    const parts = [typeof id === 'string' ? id : undefined, typeof message === 'string' ? message : undefined].filter(Boolean);
    if (parts.length > 0) return parts.join(': ');
  }
  if (typeof data === 'string' && data.trim() !== '') return data.trim().slice(0, 200);
  return 'no details';
}

export function mapHttpError(status: number, headers: Headers, data: unknown, ctx: CallContext): Day2Error {
  const what = `mattermost ${ctx.method} ${ctx.path} -> ${status} (${describeBody(data)})`;
  // Mattermost's limiter counts per user (or IP), not per channel: a 429 holds back every call we make.
  if (status === 429) return new RateLimitedError(retryAfterMs(headers), what, { scope: 'platform' });
  if (status === 401) return new PermanentError('auth', `${what}: check MATTERMOST_TOKEN`);
  if (status === 404) return new PermanentError('not_found', what);
  if (status === 403) {
    if (ctx.forbiddenHint) return new PermanentError('permanent', `${what}: ${ctx.forbiddenHint}`);
    return new PermanentError(ctx.posting ? 'not_in_channel' : 'permanent', ctx.posting ? `${what}: add the bot to the channel` : what);
  }
  if (status >= 500) return new TransientError(what, ctx.creates);
  return new PermanentError('permanent', what);
}

/** Error codes that mean the request never left this machine, so nothing can have happened. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function causeCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && typeof e === 'object' && e !== null; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function mapNetworkError(err: unknown, ctx: CallContext): Day2Error {
  const name = err instanceof Error ? err.name : '';
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  const code = causeCode(err);
  const ambiguous = ctx.creates && !(code !== undefined && NOT_SENT.has(code));
  const reason = timedOut ? 'timed out' : `network error${code ? ` ${code}` : ''}`;
  return new TransientError(`mattermost ${ctx.method} ${ctx.path}: ${reason}`, ambiguous, { cause: err });
}
