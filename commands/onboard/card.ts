/**
 * The buttons on a request's card for onboarding engineers (Claim, Ask, Decline) and the form
 * the Ask button opens. They do what the matching commands in engineer.ts do.
 */
import { z } from 'zod';
import { defineButton, defineForm } from '../../src/dispatch/define.js';
import type { ButtonDecl, FormDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import { normalizeId } from '../../src/domain/onboard/request.js';
import { canUseForms } from './intake.js';
import { askRequester, claimRequest, moveRequest } from './moves.js';

const ASK_FORM = 'onboardAskForm';

const claimButton = defineButton({
  actionId: 'onboardClaim',
  role: ['obe', 'admin'],
  mutates: true,
  async handler(ctx, value) {
    const id = normalizeId(value);
    if (!id) throw new InputError('This button does not name a request.');
    return claimRequest(ctx, id);
  },
});

const declineButton = defineButton({
  actionId: 'onboardDecline',
  role: ['obe', 'admin'],
  mutates: true,
  async handler(ctx, value) {
    const id = normalizeId(value);
    if (!id) throw new InputError('This button does not name a request.');
    await moveRequest(ctx, id, 'decline', { patch: (_r, now) => ({ closedAt: now.toISOString() }) });
    return ctx.ok(`${id} is declined; the requester is told. Add the reason with /onboard note ${id} <text>.`);
  },
});

const askButton = defineButton({
  actionId: 'onboardAsk',
  role: ['obe', 'admin'],
  mutates: false,
  async handler(ctx, value) {
    const id = normalizeId(value);
    if (!id) throw new InputError('This button does not name a request.');
    if (!canUseForms(ctx)) return ctx.ok(`Ask with /onboard ask ${id} <question>.`);
    await ctx.openForm({
      formId: ASK_FORM,
      title: `Question on ${id}`,
      submitLabel: 'Ask',
      fields: [{ name: 'question', label: 'Your question for the requester', type: 'textarea', required: true, maxLength: 2000 }],
      state: id,
    });
    return {};
  },
});

const askForm = defineForm({
  formId: ASK_FORM,
  role: ['obe', 'admin'],
  mutates: true,
  schema: z.object({ question: z.string().trim().min(1, { error: 'Write the question.' }).max(2000, { error: 'At most 2000 characters.' }) }),
  async handler(ctx, { question }, state) {
    const id = normalizeId(state);
    if (!id) throw new InputError('This form does not name a request.');
    return askRequester(ctx, id, question);
  },
});

export const cardButtons: ButtonDecl[] = [claimButton, askButton, declineButton];
export const cardForms: FormDecl<any>[] = [askForm];
