/**
 * The one way Day2 calls the Mattermost REST API: Client4 builds routes and headers, and every
 * call goes through `doFetchWithResponse(..., { ignoreStatus: true })` so we see the HTTP status
 * and headers ourselves. Client4's own methods cannot report a 429 (a real 429 body is plain text
 * `limit exceeded`, and Client4 reads the status from the JSON body), and they have no timeout.
 */
import mm from '@mattermost/client';
import { mapHttpError, mapNetworkError, type CallContext } from './error-mapping.js';

// Named ESM imports of this CommonJS package crash under plain node; take the default export.
const { Client4 } = mm;
export type Client4Instance = InstanceType<typeof Client4>;

type RawFetch = (url: string, options: { method: string; body?: string; signal?: AbortSignal; ignoreStatus: boolean }) => Promise<{ response: Response; data: unknown }>;

export interface RestOptions {
  /** Server address, e.g. https://chat.example.com (no /api/v4). */
  url: string;
  token: string;
  /** Per-request timeout; a timed-out post is reported as an ambiguous TransientError. Default 10 000. */
  timeoutMs?: number;
}

export interface RestCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under /api/v4, starting with `/`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** See CallContext. */
  creates?: boolean;
  posting?: boolean;
  forbiddenHint?: string;
}

export class MattermostRest {
  readonly client: Client4Instance;
  private readonly timeoutMs: number;

  constructor(opts: RestOptions) {
    this.client = new Client4();
    this.client.setUrl(opts.url.replace(/\/+$/, ''));
    this.client.setToken(opts.token);
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  async request<T>(call: RestCall): Promise<T> {
    const ctx: CallContext = { method: call.method, path: call.path, creates: call.creates ?? false, posting: call.posting ?? false, forbiddenHint: call.forbiddenHint };
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.size > 0 ? `?${params.toString()}` : '';
    const url = `${this.client.getBaseRoute()}${call.path}${qs}`;
    // doFetchWithResponse is private in the .d.ts but is the documented escape hatch (ignoreStatus).
    const raw = (this.client as unknown as { doFetchWithResponse: RawFetch }).doFetchWithResponse;
    let result: { response: Response; data: unknown };
    try {
      result = await raw(url, {
        method: call.method.toLowerCase(),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(this.timeoutMs),
        ignoreStatus: true,
      });
    } catch (err) {
      throw mapNetworkError(err, ctx);
    }
    const { response, data } = result;
    if (!response.ok) throw mapHttpError(response.status, response.headers, data, ctx);
    return data as T;
  }
}
