/**
 * What the `/onboard` request declarations share: comparing and naming actors, the request-id
 * argument, and loading a request (optionally only if the caller may read it).
 */
import { z } from 'zod';
import type { CommandContext } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { normalizeId, type Actor, type OnboardingRequest } from '../../src/domain/onboard/request.js';
import { actorOf, onboardingOf } from './intake.js';

export const sameActor = (a: Actor, b: Actor) => (a.personId !== undefined && a.personId === b.personId) || (a.platform === b.platform && a.userId === b.userId);
/** An actor's name for plain text: the directory's name for a person (not their platform handle). */
export const nameOf = (ctx: CommandContext, a: Actor) => (a.personId ? ctx.services.config().people.find((p) => p.id === a.personId)?.name : undefined) ?? a.name ?? a.personId ?? a.userId;

export const requestId = () =>
  z.string().transform((raw, c) => {
    const id = normalizeId(raw);
    if (id) return id;
    c.issues.push({ code: 'custom', message: `"${raw.slice(0, 40)}" is not a request id (like ob-12)`, input: raw });
    return z.NEVER;
  });

export async function load(ctx: CommandContext, id: string): Promise<OnboardingRequest> {
  const found = await onboardingOf(ctx).store.requests.get(id);
  if (!found) throw new InputError(`There is no onboarding request ${id}.`);
  return found.value;
}

/** The requester sees their own requests; ObEs, managers and admins see all. */
function mayRead(ctx: CommandContext, req: OnboardingRequest): boolean {
  return sameActor(req.requester, actorOf(ctx)) || ctx.may(['obe', 'manager', 'admin']);
}

export async function readable(ctx: CommandContext, id: string): Promise<OnboardingRequest> {
  const req = await load(ctx, id);
  if (!mayRead(ctx, req)) throw new ForbiddenError(`${id} is someone else's request: only its requester and the onboarding engineers can see it.`);
  return req;
}
