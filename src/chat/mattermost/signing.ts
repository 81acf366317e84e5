/**
 * Integrity checks for what Mattermost echoes back to us unsigned: button `context` and dialog
 * `state`. Mattermost does not sign integration requests, so anyone who can reach our endpoint
 * could forge a click; an HMAC over what we put in is the only proof the request carries data we
 * issued.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a button's `integration.context` holds. Short keys: it is stored in every post's props. */
export interface ButtonContext {
  /** Action id. */
  a: string;
  /** Button value. */
  v: string;
  /** Channel the post lives in; a context copied into another channel does not verify. */
  c: string;
  sig: string;
}

export interface SignedDialogState {
  formId: string;
  state: string;
  /** Names of multiselect fields, so their values come back as arrays whatever the client sends. */
  multi: string[];
  /** Random per opened dialog; part of the submission's event id. */
  nonce: string;
}

/** Compare secrets in constant time (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}

/** HMAC over length-prefixed parts, so `("ab","c")` and `("a","bc")` never collide. */
function mac(secret: string, purpose: string, parts: string[]): string {
  const h = createHmac('sha256', secret);
  h.update(purpose);
  for (const p of parts) h.update(`\n${Buffer.byteLength(p, 'utf8')}:${p}`);
  return h.digest('base64url');
}

export function signButton(secret: string, actionId: string, value: string, channelId: string): ButtonContext {
  return { a: actionId, v: value, c: channelId, sig: mac(secret, 'mm-button-v1', [actionId, value, channelId]) };
}

/** Returns the action id and value when `context` was signed by us for `channelId`, else undefined. */
export function verifyButton(secret: string, context: unknown, channelId: string): { actionId: string; value: string } | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const { a, v, c, sig } = context as Record<string, unknown>;
  if (typeof a !== 'string' || typeof v !== 'string' || typeof c !== 'string' || typeof sig !== 'string') return undefined;
  if (c !== channelId) return undefined;
  if (!safeEqual(sig, mac(secret, 'mm-button-v1', [a, v, c]))) return undefined;
  return { actionId: a, value: v };
}

/** Dialog state as sent to Mattermost: `v1.<payload>.<sig>`. */
export function signDialogState(secret: string, s: SignedDialogState): string {
  const payload = Buffer.from(JSON.stringify({ f: s.formId, s: s.state, m: s.multi, n: s.nonce }), 'utf8').toString('base64url');
  return `v1.${payload}.${mac(secret, 'mm-dialog-v1', [payload])}`;
}

export function verifyDialogState(secret: string, raw: unknown): SignedDialogState | undefined {
  if (typeof raw !== 'string') return undefined;
  const [version, payload, sig, ...rest] = raw.split('.');
  if (version !== 'v1' || payload === undefined || sig === undefined || rest.length > 0) return undefined;
  if (!safeEqual(sig, mac(secret, 'mm-dialog-v1', [payload]))) return undefined;
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const { f, s, m, n } = data;
    if (typeof f !== 'string' || typeof s !== 'string' || typeof n !== 'string' || !Array.isArray(m) || !m.every((x) => typeof x === 'string')) return undefined;
    return { formId: f, state: s, multi: m as string[], nonce: n };
  } catch {
    return undefined;
  }
}
