/**
 * Integrity checks for what Mattermost echoes back to us unsigned: button `context` and dialog
 * `state`. Mattermost does not sign integration requests, so anyone who can reach our endpoint
 * could forge a click; an HMAC over what we put in is the only proof the request carries data we
 * issued. What the HMAC covers also limits a replay: the channel, Day2's key of the message the
 * button is on (the post id does not exist yet when we sign), an expiry, and, for a message shown
 * to one person (ephemeral, DM), that person.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** What a button's `integration.context` holds. Short keys: it is stored in every post's props. */
export interface ButtonContext {
  /** Action id. */
  a: string;
  /** Button value. */
  v: string;
  /** Channel the post lives in; a context copied into another channel does not verify. */
  c: string;
  /** Day2's key of the message (props.day2_key or props.day2_ref of the post). */
  k: string;
  /** Expiry, epoch milliseconds. */
  e: number;
  /** The only user who may click it, for a message shown to one person. */
  u?: string;
  sig: string;
}

/** What a signed button is bound to besides its action and value. */
export interface ButtonBinding {
  channelId: string;
  key: string;
  expiresAt: number;
  audience?: string;
}

export interface SignedDialogState {
  formId: string;
  state: string;
  /** Names of multiselect fields, so their values come back as arrays whatever the client sends. */
  multi: string[];
  /** Random per opened dialog; part of the submission's event id. */
  nonce: string;
  /** The user the dialog was opened for: a submission naming another user is refused. */
  userId: string;
  /** Channel it was opened in, when known. */
  channelId?: string;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
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

const buttonParts = (c: Omit<ButtonContext, 'sig'>) => [c.a, c.v, c.c, c.k, String(c.e), c.u ?? ''];

export function signButton(secret: string, actionId: string, value: string, bind: ButtonBinding): ButtonContext {
  const ctx: Omit<ButtonContext, 'sig'> = { a: actionId, v: value, c: bind.channelId, k: bind.key, e: bind.expiresAt, ...(bind.audience ? { u: bind.audience } : {}) };
  return { ...ctx, sig: mac(secret, 'mm-button-v2', buttonParts(ctx)) };
}

const buttonSchema = z.object({ a: z.string(), v: z.string(), c: z.string(), k: z.string(), e: z.number().int(), u: z.string().optional(), sig: z.string() });
const legacySchema = z.object({ a: z.string(), v: z.string(), c: z.string(), sig: z.string() });

export type ButtonCheck =
  | { ok: true; actionId: string; value: string; key: string; expiresAt: number; audience?: string }
  /** invalid: not ours or edited; legacy: ours, from before contexts were bound and expired. */
  | { ok: false; reason: 'invalid' | 'legacy' | 'channel' | 'expired' };

/** Whether `context` was signed by us, and for `channelId`, and is still valid at `now`. */
export function verifyButton(secret: string, context: unknown, channelId: string, now = Date.now()): ButtonCheck {
  const parsed = buttonSchema.safeParse(context);
  if (!parsed.success) {
    const old = legacySchema.safeParse(context);
    if (old.success && safeEqual(old.data.sig, mac(secret, 'mm-button-v1', [old.data.a, old.data.v, old.data.c]))) return { ok: false, reason: 'legacy' };
    return { ok: false, reason: 'invalid' };
  }
  const c = parsed.data;
  if (!safeEqual(c.sig, mac(secret, 'mm-button-v2', buttonParts(c)))) return { ok: false, reason: 'invalid' };
  if (c.c !== channelId) return { ok: false, reason: 'channel' };
  if (now >= c.e) return { ok: false, reason: 'expired' };
  return { ok: true, actionId: c.a, value: c.v, key: c.k, expiresAt: c.e, ...(c.u ? { audience: c.u } : {}) };
}

const dialogSchema = z.object({ f: z.string(), s: z.string(), m: z.array(z.string()), n: z.string(), u: z.string(), c: z.string().optional(), x: z.number().int() });

/** Dialog state as sent to Mattermost: `v2.<payload>.<sig>`. */
export function signDialogState(secret: string, s: SignedDialogState): string {
  const data = { f: s.formId, s: s.state, m: s.multi, n: s.nonce, u: s.userId, ...(s.channelId ? { c: s.channelId } : {}), x: s.expiresAt };
  const payload = Buffer.from(JSON.stringify(data), 'utf8').toString('base64url');
  return `v2.${payload}.${mac(secret, 'mm-dialog-v2', [payload])}`;
}

/** The signed state, or undefined when `raw` is not a state we issued (expiry is the caller's). */
export function verifyDialogState(secret: string, raw: unknown): SignedDialogState | undefined {
  if (typeof raw !== 'string') return undefined;
  const [version, payload, sig, ...rest] = raw.split('.');
  if (version !== 'v2' || payload === undefined || sig === undefined || rest.length > 0) return undefined;
  if (!safeEqual(sig, mac(secret, 'mm-dialog-v2', [payload]))) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const d = dialogSchema.safeParse(json);
  if (!d.success) return undefined;
  const { f, s, m, n, u, c, x } = d.data;
  return { formId: f, state: s, multi: m, nonce: n, userId: u, ...(c ? { channelId: c } : {}), expiresAt: x };
}
