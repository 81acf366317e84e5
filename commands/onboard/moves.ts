/**
 * What the onboarding engineers' commands and the request card's buttons both do to a request:
 * move it through its lifecycle (with the requester told and the cards edited), claim it, and
 * put a question to its requester.
 */
import type { CommandContext, CommandResult } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { isOpen, STATUS_LABEL, transition, type Move } from '../../src/domain/onboard/lifecycle.js';
import { statusEvent, withEvent, type OnboardingRequest } from '../../src/domain/onboard/request.js';
import { mentionOf } from '../../src/services/onboard/service.js';
import { RecordNotFoundError } from '../../src/store/record.js';
import { actorOf, onboardingOf } from './intake.js';
import { load, nameOf, sameActor } from './shared.js';

export interface MoveOptions {
  text?: string;
  /** The meeting the move sets (an instant and a length; shown in each reader's zone). */
  meeting?: { at: string; minutes: number };
  patch?: (r: OnboardingRequest, now: Date) => Partial<OnboardingRequest>;
}

/** Store the move: checked against the lifecycle and against who claimed the request. */
async function storeMove(ctx: CommandContext, id: string, mv: Move, opts: MoveOptions): Promise<OnboardingRequest> {
  const actor = actorOf(ctx);
  const now = ctx.now();
  try {
    return (
      await onboardingOf(ctx).store.requests.update(id, (req) => {
        const t = transition(req.status, mv);
        // A second claim names who has it (the lifecycle alone only knows the status).
        if (!t.ok && mv === 'claim' && req.claimedBy) throw new InputError(sameActor(req.claimedBy, actor) ? `You have already claimed ${id}; it is ${STATUS_LABEL[req.status]}.` : `${id} is already claimed by ${nameOf(ctx, req.claimedBy)}; it is ${STATUS_LABEL[req.status]}.`);
        if (!t.ok) throw new InputError(t.message);
        if (mv !== 'claim' && req.claimedBy && !sameActor(req.claimedBy, actor) && !ctx.may('admin')) throw new ForbiddenError(`${id} is claimed by ${nameOf(ctx, req.claimedBy)}: only they (or an admin) can do that.`);
        return withEvent(req, statusEvent(now, actor, t.to, opts.text, opts.meeting), { status: t.to, ...(opts.patch?.(req, now) ?? {}) });
      })
    ).value;
  } catch (e) {
    if (e instanceof RecordNotFoundError) throw new InputError(`There is no onboarding request ${id}.`);
    throw e;
  }
}

/**
 * Apply a lifecycle move: checked against the lifecycle, and after the claim only the claiming
 * ObE (or an admin) may move it. The requester is told, the cards are edited, the log grows.
 */
export async function moveRequest(ctx: CommandContext, id: string, mv: Move, opts: MoveOptions = {}): Promise<OnboardingRequest> {
  const svc = onboardingOf(ctx);
  const updated = await storeMove(ctx, id, mv, opts);
  if (mv !== 'meeting') {
    await svc.tell(updated.requester, svc.eventKey(updated, 'status'), 'onboard/status-changed', {
      id,
      title: updated.title,
      status: updated.status,
      statusLabel: STATUS_LABEL[updated.status],
      by: mentionOf(actorOf(ctx)),
      ...(opts.text ? { text: opts.text } : {}),
    });
  }
  await svc.refreshCards(updated);
  if (mv === 'claim') {
    await svc.cancelSla(id);
    svc.observeClaim(updated);
  }
  if (mv === 'done') svc.observeOnboarded(updated);
  if (!isOpen(updated.status)) {
    await svc.cancelSla(id);
    await svc.cancelReminders(updated);
  }
  return updated;
}

/** The caller claims the request: they become its onboarding engineer. */
export async function claimRequest(ctx: CommandContext, id: string): Promise<CommandResult> {
  await moveRequest(ctx, id, 'claim', { patch: (_r, now) => ({ claimedBy: actorOf(ctx), claimedAt: now.toISOString() }) });
  return ctx.ok(`You claimed ${id}. Next: /onboard meeting ${id} <time> [duration].`);
}

export async function askRequester(ctx: CommandContext, id: string, text: string): Promise<CommandResult> {
  const svc = onboardingOf(ctx);
  const actor = actorOf(ctx);
  const before = await load(ctx, id);
  if (!isOpen(before.status)) throw new InputError(`${id} is ${STATUS_LABEL[before.status]}; there is no one to ask.`);
  const updated = (await svc.store.requests.update(id, (r) => withEvent(r, { at: ctx.now().toISOString(), by: actor, kind: 'question', text }))).value;
  await svc.tell(updated.requester, svc.eventKey(updated, 'ask'), 'onboard/asked', { id, by: mentionOf(actor), text });
  return ctx.ok(`Your question went to the requester of ${id}; their answer comes back as a note.`);
}
