/**
 * The importer's only way to a source: GET requests (it never writes to the source), JSON
 * answers, the token in the vendor's header, 429 answered by waiting as long as the source says
 * (Retry-After, progress on stderr), and refusals turned into one line naming the token variable.
 */

/** A failure to report in one line and exit with `exitCode` (2: the caller's input; 1: the source). */
export class SourceError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  vendor: string;
  base: string;
  /** Header name and value carrying the token. */
  auth: [string, string];
  tokenVar: string;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface SourceClient {
  /** GET a path under the base URL (or an absolute URL the source gave, for its next page). */
  get(pathOrUrl: string): Promise<unknown>;
}

const MAX_RETRIES = 8;
/** A Retry-After longer than this is not waited out: the run stops and says so. */
const MAX_WAIT_S = 600;

/** What the source said, from the error bodies each vendor documents. */
function messageOf(body: unknown, text: string): string {
  const b = body as { message?: unknown; error?: { message?: unknown; errors?: unknown }; detail?: unknown } | null;
  if (b && typeof b.message === 'string') return b.message;
  if (b && typeof b.error?.message === 'string') return `${b.error.message}${Array.isArray(b.error.errors) && b.error.errors.length > 0 ? ` (${b.error.errors.join('; ')})` : ''}`;
  if (b && typeof b.detail === 'string') return b.detail;
  return text.slice(0, 200) || '(empty answer)';
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
      for (let attempt = 1; ; attempt++) {
        let res: Response;
        try {
          res = await fetch(url, { method: 'GET', headers: { accept: 'application/json', [o.auth[0]]: o.auth[1] } });
        } catch (e) {
          throw new SourceError(`could not reach ${o.vendor} at ${base}: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message} — check --url`, 2);
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
          if (attempt > MAX_RETRIES || wait > MAX_WAIT_S) throw new SourceError(`${o.vendor} is still rate-limiting after ${attempt} tries (Retry-After ${wait}s): try again later`, 1);
          o.progress(`${o.vendor} is rate-limiting (429): waiting ${wait}s as told by Retry-After, then retrying (try ${attempt + 1})`);
          await sleep(wait * 1000);
          continue;
        }
        if (res.status === 401 || res.status === 403) throw new SourceError(`${o.vendor} refused the token in ${o.tokenVar} (${res.status}): ${messageOf(body, text)}`, 2);
        if (!res.ok) throw new SourceError(`${o.vendor} answered ${res.status} to GET ${url.slice(base.length) || '/'}: ${messageOf(body, text)}`, res.status === 404 ? 2 : 1);
        if (body === null) throw new SourceError(`${o.vendor} answered GET ${url.slice(base.length)} with something that is not JSON`, 1);
        return body;
      }
    },
  };
}
