/**
 * The importer's only way to a source: GET requests (it never writes to the source), JSON
 * answers, the token in the vendor's header, 429 answered by waiting as long as the source says
 * (Retry-After, progress on stderr), and refusals turned into one line naming the token variable.
 */

/** Why an import stops: each names its line in templates/import/errors/. */
export type ImportProblem =
  | 'token-missing'
  | 'config-unreadable'
  | 'config-invalid'
  | 'fragment-invalid'
  | 'unreachable'
  | 'still-rate-limited'
  | 'token-refused'
  | 'http-status'
  | 'not-json'
  | 'unknown-shape'
  | 'no-such-schedule'
  | 'foreign-page'
  | 'no-redis';

/**
 * A failure to report in one line (templates/import/errors/<problem>.hbs with `data`) and exit
 * with `exitCode` (2: the caller's input; 1: the source).
 */
export class SourceError extends Error {
  constructor(
    readonly problem: ImportProblem,
    readonly data: Record<string, unknown>,
    readonly exitCode: 1 | 2,
  ) {
    super(`import stopped: ${problem} ${JSON.stringify(data)}`);
  }
}

export interface ClientOptions {
  vendor: string;
  base: string;
  /** Header name and value carrying the token. */
  auth: [string, string];
  tokenVar: string;
  /** Told before each wait on a 429 (the command prints it on stderr). */
  waiting: (seconds: number, nextTry: number) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface SourceClient {
  /** GET a path under the base URL (or an absolute URL the source gave, for its next page). */
  get(pathOrUrl: string): Promise<unknown>;
}

const MAX_RETRIES = 8;
/** A Retry-After longer than this is not waited out: the run stops and says so. */
const MAX_WAIT_S = 600;

/** What the source said, from the error bodies each vendor documents (undefined: nothing). */
function messageOf(body: unknown, text: string): string | undefined {
  const b = body as { message?: unknown; error?: { message?: unknown; errors?: unknown }; detail?: unknown } | null;
  if (b && typeof b.message === 'string') return b.message;
  if (b && typeof b.error?.message === 'string') return `${b.error.message}${Array.isArray(b.error.errors) && b.error.errors.length > 0 ? ` (${b.error.errors.join('; ')})` : ''}`;
  if (b && typeof b.detail === 'string') return b.detail;
  return text.slice(0, 200) || undefined;
}

function retryAfterSeconds(header: string | null): number {
  if (header === null) return 1;
  const n = Number(header);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - Date.now()) / 1000)) : 1;
}

export function sourceClient(o: ClientOptions): SourceClient {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const base = o.base.replace(/\/+$/, '');
  return {
    async get(pathOrUrl) {
      const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${base}${pathOrUrl}`;
      // A next-page address the source hands back goes out with the token: only to the source
      // itself (same scheme, host and port as --url), never elsewhere or downgraded to http.
      if (new URL(url).origin !== new URL(base).origin) throw new SourceError('foreign-page', { vendor: o.vendor, base, url: new URL(url).origin }, 1);
      for (let attempt = 1; ; attempt++) {
        let res: Response;
        try {
          res = await fetch(url, { method: 'GET', headers: { accept: 'application/json', [o.auth[0]]: o.auth[1] } });
        } catch (e) {
          throw new SourceError('unreachable', { vendor: o.vendor, base, reason: (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message }, 2);
        }
        const text = await res.text();
        let body: unknown = null;
        try {
          body = text === '' ? null : JSON.parse(text);
        } catch {
          body = null;
        }
        if (res.status === 429) {
          const wait = retryAfterSeconds(res.headers.get('retry-after'));
          if (attempt > MAX_RETRIES || wait > MAX_WAIT_S) throw new SourceError('still-rate-limited', { vendor: o.vendor, tries: attempt, wait }, 1);
          o.waiting(wait, attempt + 1);
          await sleep(wait * 1000);
          continue;
        }
        if (!res.ok) {
          const said = messageOf(body, text);
          if (res.status === 401 || res.status === 403) throw new SourceError('token-refused', { vendor: o.vendor, tokenVar: o.tokenVar, status: res.status, said }, 2);
          throw new SourceError('http-status', { vendor: o.vendor, status: res.status, path: url.slice(base.length) || '/', said }, res.status === 404 ? 2 : 1);
        }
        if (body === null) throw new SourceError('not-json', { vendor: o.vendor, path: url.slice(base.length) }, 1);
        return body;
      }
    },
  };
}
