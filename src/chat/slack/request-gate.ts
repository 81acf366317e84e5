/**
 * The door in front of Bolt's HTTPReceiver. Bolt trusts any body whose signature is good: a
 * signed `payload=null` makes it read a property of null outside any try (the process dies), and
 * it only refuses timestamps too far in the past. Here every request is read once (bounded),
 * its timestamp must lie within 5 minutes either way, its signature must match, and the body
 * must have a shape Slack really sends; otherwise it ends here with a bare 400/401/413 and Bolt
 * never sees it. What passes is handed on already buffered (`rawBody`), so Bolt does not read
 * the stream again.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

/** Slack's limit for the clock skew of a signed request, both ways. */
export const MAX_SKEW_SECONDS = 5 * 60;
/** Slack's payloads are a few KB; a modal submission stays far below this. */
export const MAX_BODY_BYTES = 1024 * 1024;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export type GateVerdict =
  | { ok: true; contentType: typeof FORM | typeof JSON_TYPE }
  | { ok: false; status: 400 | 401; reason: string };

export class BodyTooLarge extends Error {}

/** The whole body, or BodyTooLarge past `limit` bytes (the rest is not read). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLarge(`body over ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('aborted', () => reject(new Error('request aborted')));
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const header = (h: IncomingHttpHeaders, name: string) => (typeof h[name] === 'string' ? (h[name] as string) : undefined);
const bad = (reason: string): GateVerdict => ({ ok: false, status: 400, reason });
const unauthorized = (reason: string): GateVerdict => ({ ok: false, status: 401, reason });

/** Timestamp within ±5 min of now and `v0=` HMAC-SHA256 of `v0:<ts>:<body>` under the secret. */
export function verifySignature(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string, nowMs: number): string | undefined {
  const ts = header(headers, 'x-slack-request-timestamp') ?? '';
  if (!/^\d{1,12}$/.test(ts)) return 'missing or malformed timestamp';
  // Future timestamps too: a request signed ahead of time must not stay replayable for longer.
  if (Math.abs(Math.floor(nowMs / 1000) - Number(ts)) > MAX_SKEW_SECONDS) return 'timestamp outside the 5 minute window';
  const given = Buffer.from(header(headers, 'x-slack-signature') ?? '');
  const hmac = createHmac('sha256', secret).update(`v0:${ts}:`).update(rawBody).digest('hex');
  const expected = Buffer.from(`v0=${hmac}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature mismatch';
  return undefined;
}

/** Interactions and Events API envelopes (HTTP or Socket Mode): what the listeners will read. */
export function envelopeProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'body is not a JSON object';
  if (!nonEmpty(body.type)) return 'missing type';
  if (body.type === 'url_verification') return nonEmpty(body.challenge) ? undefined : 'url_verification without a challenge';
  if (body.type === 'event_callback' && !(isRecord(body.event) && nonEmpty(body.event.type))) return 'event_callback without an event';
  if (body.event !== undefined && !isRecord(body.event)) return 'event is not an object';
  if (body.user !== undefined && !(isRecord(body.user) && nonEmpty(body.user.id))) return 'user without an id';
  if (body.type === 'block_actions' && !(Array.isArray(body.actions) && isRecord(body.user))) return 'block_actions without actions or user';
  if ((body.type === 'view_submission' || body.type === 'view_closed') && !(isRecord(body.view) && isRecord(body.user))) return `${body.type} without a view or user`;
  // A submission's fields and blocks are read before the ack (listeners.ts): a throw there leaves it unanswered.
  if (body.type === 'view_submission' && !(isRecord(body.view) && isRecord(body.view.state) && isRecord(body.view.state.values) && Array.isArray(body.view.blocks))) return 'view_submission without state values or blocks';
  return undefined;
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** The optional slash command fields the listeners read (inbound.ts): strings when present. */
const COMMAND_TEXT_FIELDS = ['text', 'trigger_id', 'response_url', 'team_id', 'user_name', 'channel_name'] as const;

/** A slash command's fields: a form in HTTP, a JSON object in Socket Mode. */
export function commandProblem(fields: Record<string, unknown>): string | undefined {
  if (!(typeof fields.command === 'string' && /^\/\S+$/.test(fields.command))) return 'neither a payload nor a slash command';
  if (!nonEmpty(fields.user_id) || !nonEmpty(fields.channel_id)) return 'slash command without user_id or channel_id';
  if (COMMAND_TEXT_FIELDS.some((k) => fields[k] !== undefined && typeof fields[k] !== 'string')) return 'slash command field that is not a string';
  return undefined;
}

/** A form body: either one `payload` field (an interaction) or a slash command's fields. */
function formProblem(text: string): string | undefined {
  const fields = parseQuery(text);
  // A repeated field parses as an array, which no listener expects.
  if (Object.values(fields).some((v) => typeof v !== 'string')) return 'repeated form field';
  if (fields.payload !== undefined) {
    const parsed = parseJson(fields.payload as string);
    return parsed.ok ? envelopeProblem(parsed.value) : 'payload is not JSON';
  }
  return commandProblem(fields);
}

/**
 * Whether a buffered request may go on to Bolt. Slack's unsigned `ssl_check=1` probe goes on
 * (Bolt answers it and drops every other field); everything else must be signed first, so an
 * unsigned request learns nothing about which bodies would be accepted.
 */
export function checkSlackRequest(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string, nowMs = Date.now()): GateVerdict {
  const media = (header(headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = rawBody.toString('utf8');
  if (media === FORM && parseQuery(text).ssl_check === '1') return { ok: true, contentType: FORM };
  const unsigned = verifySignature(rawBody, headers, secret, nowMs);
  if (unsigned) return unauthorized(unsigned);
  if (media === FORM) {
    const problem = formProblem(text);
    return problem ? bad(problem) : { ok: true, contentType: FORM };
  }
  if (media === JSON_TYPE) {
    const parsed = parseJson(text);
    const problem = parsed.ok ? envelopeProblem(parsed.value) : 'body is not JSON';
    return problem ? bad(problem) : { ok: true, contentType: JSON_TYPE };
  }
  return bad(`unsupported content-type ${media || '(none)'}`);
}
