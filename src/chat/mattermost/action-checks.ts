/**
 * The checks a button click or dialog submission passes before anything runs: the body's shape
 * (zod), the signature, then what the signature binds (channel, message, expiry, audience)
 * against the request and against Mattermost itself (identity.ts). Each refusal says why in
 * words the clicker can act on; a tampered or foreign context is not ours to explain.
 */
import { z } from 'zod';
import type { Logger } from '../../log.js';
import type { MmUser } from './api-types.js';
import { carriesAction, type IdentityGate } from './identity.js';
import { postKey } from './render.js';
import { verifyButton, verifyDialogState, type SignedDialogState } from './signing.js';

const id = z.string().min(1).max(64);
const opt = z.string().max(1000).optional();

/** A click as upstream DoPostActionWithCookie sends it; `user_name` is deliberately not read. */
export const buttonBody = z.looseObject({ user_id: id, channel_id: id, post_id: z.string().max(64).optional(), trigger_id: opt, channel_name: opt, team_id: opt, context: z.record(z.string(), z.unknown()) });
export type ButtonBody = z.infer<typeof buttonBody>;

/** A dialog submission (upstream SubmitInteractiveDialog). */
export const dialogBody = z.looseObject({
  type: z.literal('dialog_submission'),
  callback_id: z.string().max(255),
  state: z.string().max(10_000),
  user_id: id,
  channel_id: z.string().max(64).optional(),
  team_id: opt,
  submission: z.record(z.string(), z.unknown()).nullable().optional(),
  cancelled: z.boolean().optional(),
});
export type DialogBody = z.infer<typeof dialogBody>;

export const REFUSED = {
  legacy: 'This button is from an older version of Day2 and no longer works. Run the command again for a fresh one.',
  expired: 'This button has expired. Run the command again for a fresh one.',
  elsewhere: 'This button does not belong to this message, so nothing was done.',
  audience: 'This button was meant for someone else, so nothing was done.',
  member: 'Only members of this channel can use its buttons.',
  user: 'Mattermost does not know this account as an active user, so nothing was done.',
  unavailable: 'Day2 could not check this click with Mattermost. Try again in a moment.',
  formExpired: 'This form has expired. Open it again.',
} as const;

/** forbidden: not ours (HTTP 403); refused: ours but not valid here (answered in words). */
export type Checked<T> = { ok: true; value: T } | { ok: false; forbidden: true } | { ok: false; forbidden: false; text: string };

export interface VerifiedClick {
  actionId: string;
  value: string;
  key: string;
  audience?: string;
  user: MmUser;
}

const refuse = <T>(text: string): Checked<T> => ({ ok: false, forbidden: false, text });

/** The user behind `userId` if active, cached only now that everything else passed. */
async function identify<T>(gate: IdentityGate, userId: string, done: (user: MmUser) => T): Promise<Checked<T>> {
  const user = await gate.lookup(userId);
  if (!user || user.id !== userId || (user.delete_at ?? 0) > 0 || user.is_bot === true) return refuse(REFUSED.user);
  gate.remember(user);
  return { ok: true, value: done(user) };
}

/**
 * A click is run only when its context is ours, for this channel, unexpired, clicked by its
 * audience (if any), on the post that carries it (a stored post must carry the signed key and
 * a button with this action id; only a one-person message may lack a stored post, being
 * ephemeral), by a channel member, and the user exists. API failures refuse too: no check is skipped.
 */
export async function checkClick(gate: IdentityGate, secret: string, body: ButtonBody, log: Logger): Promise<Checked<VerifiedClick>> {
  const check = verifyButton(secret, body.context, body.channel_id);
  if (!check.ok) {
    if (check.reason === 'invalid') return { ok: false, forbidden: true };
    log.warn({ reason: check.reason, channelId: body.channel_id, userId: body.user_id }, 'mattermost click refused');
    return refuse(check.reason === 'legacy' ? REFUSED.legacy : check.reason === 'expired' ? REFUSED.expired : REFUSED.elsewhere);
  }
  if (check.audience && check.audience !== body.user_id) return refuse(REFUSED.audience);
  try {
    const post = body.post_id ? await gate.post(body.post_id) : undefined;
    if (post) {
      if (post.channel_id !== body.channel_id || postKey(post.props) !== check.key || !carriesAction(post, check.actionId)) return refuse(REFUSED.elsewhere);
    } else if (!check.audience) return refuse(REFUSED.elsewhere);
    // A one-person message was only ever shown to its audience, checked above.
    if (!check.audience && !(await gate.isMember(body.channel_id, body.user_id))) return refuse(REFUSED.member);
    const { actionId, value, key, audience } = check;
    return await identify(gate, body.user_id, (user) => ({ actionId, value, key, ...(audience ? { audience } : {}), user }));
  } catch (err) {
    log.warn({ err, channelId: body.channel_id }, 'mattermost click could not be checked');
    return refuse(REFUSED.unavailable);
  }
}

/** A submission is run only when its state is ours, for this form, user and channel, and unexpired. */
export async function checkDialog(gate: IdentityGate, secret: string, body: DialogBody, log: Logger, now = Date.now()): Promise<Checked<{ signed: SignedDialogState; user: MmUser }>> {
  const signed = verifyDialogState(secret, body.state);
  const channelOk = !signed?.channelId || !body.channel_id || signed.channelId === body.channel_id;
  if (!signed || signed.formId !== body.callback_id || signed.userId !== body.user_id || !channelOk) return { ok: false, forbidden: true };
  if (now >= signed.expiresAt) return refuse(REFUSED.formExpired);
  try {
    return await identify(gate, body.user_id, (user) => ({ signed, user }));
  } catch (err) {
    log.warn({ err }, 'mattermost dialog submission could not be checked');
    return refuse(REFUSED.unavailable);
  }
}
