/**
 * Coded errors shared by adapters, the delivery queue and the command framework. Adapters wrap
 * platform errors into these so the queue can decide: retry later, wait, or give up with a reason.
 */
export type ErrorCode =
  | 'rate_limited'
  | 'not_found'
  | 'not_in_channel'
  | 'auth'
  | 'permanent'
  | 'transient'
  | 'invalid_input'
  | 'forbidden'
  | 'config';

export class Day2Error extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
  /** Whether doing the same thing again later could succeed. */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'transient';
  }
}

/**
 * What a 429 holds back: `channel` = only posts to that channel (Slack's chat.postMessage limit),
 * `method` = that kind of call to that platform (Slack limits each Web API method on its own, so
 * a chat.update 429 does not stop posts), `platform` = every call we make to that platform
 * (workspace-wide or per-user limits).
 */
export type RateLimitScope = 'channel' | 'method' | 'platform';

/** The platform asked us to slow down; `retryAfterMs` comes from its Retry-After header. */
export class RateLimitedError extends Day2Error {
  readonly retryAfterMs: number;
  /** Set by the adapter that knows the platform's limits. Default 'channel'. */
  readonly scope: RateLimitScope;
  constructor(retryAfterMs: number, message = `rate limited, retry after ${Math.ceil(retryAfterMs / 1000)} s`, options?: ErrorOptions & { scope?: RateLimitScope }) {
    super('rate_limited', message, options);
    this.retryAfterMs = retryAfterMs;
    this.scope = options?.scope ?? 'channel';
  }
}

/** Network failure, timeout or 5xx: the request may or may not have taken effect. */
export class TransientError extends Day2Error {
  /** True when we cannot know whether the platform acted on the request (timeout after send). */
  readonly ambiguous: boolean;
  constructor(message: string, ambiguous: boolean, options?: ErrorOptions) {
    super('transient', message, options);
    this.ambiguous = ambiguous;
  }
}

/** Will fail the same way every time: channel gone, bot not in channel, bad token, bad payload. */
export class PermanentError extends Day2Error {
  constructor(code: 'not_found' | 'not_in_channel' | 'auth' | 'permanent', message: string, options?: ErrorOptions) {
    super(code, message, options);
  }
}

/**
 * A piece of an answer's text: words, an instant that each reader must see in their own zone
 * (the domain does not know who reads it; the adapter does; `date` shows the day only), or a
 * person (`person:<id>` or a platform ref), shown by name as the platform shows people.
 */
export type TextPart = string | Date | { date: Date; style: 'date' | 'time' | 'datetime' } | { mention: string };

/** `dated\`the window ended ${end}\`` keeps instants apart from the words around them. */
export function dated(strings: TemplateStringsArray, ...values: (string | number | TextPart)[]): TextPart[] {
  const parts: TextPart[] = [];
  // Words next to words become one part, so only the instants stand apart.
  const add = (p: TextPart) => {
    const last = parts.length - 1;
    if (typeof p === 'string' && typeof parts[last] === 'string') parts[last] += p;
    else if (p !== '') parts.push(p);
  };
  strings.forEach((s, i) => {
    add(s);
    if (i < values.length) {
      const v = values[i]!;
      add(typeof v === 'number' ? String(v) : v);
    }
  });
  return parts;
}

/** The parts as one line for logs: instants in UTC ISO form. */
export function plainText(parts: readonly TextPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p instanceof Date ? p.toISOString() : 'mention' in p ? p.mention : p.date.toISOString())).join('');
}

/** A user's input failed validation; `usage` is shown with the message. */
export class InputError extends Day2Error {
  readonly usage?: string;
  /** The message with its instants kept as dates, for rendering in the reader's zone. */
  readonly parts?: readonly TextPart[];
  constructor(message: string | readonly TextPart[], usage?: string, options?: ErrorOptions) {
    super('invalid_input', typeof message === 'string' ? message : plainText(message), options);
    this.usage = usage;
    if (typeof message !== 'string') this.parts = message;
  }
}

/** What to show of an input error: its parts when it has instants, else its message. */
export function shownMessage(e: Error): string | readonly TextPart[] {
  return e instanceof InputError && e.parts ? e.parts : e.message;
}

/** The caller lacks the role for this action. */
export class ForbiddenError extends Day2Error {
  constructor(message: string) {
    super('forbidden', message);
  }
}

export function isDay2Error(e: unknown): e is Day2Error {
  return e instanceof Day2Error;
}
