/**
 * The requester's side of `/onboard`: start, resume, answer and cancel the intake questionnaire,
 * the Next / Edit / Submit / Discard buttons of its pages and review, and the page form itself.
 * The flow behind them is in intake.ts.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand, defineForm } from '../../src/dispatch/define.js';
import type { ButtonDecl, CommandDecl, FormDecl } from '../../src/dispatch/types.js';
import { readClosedPage, readPage } from '../../src/services/onboard/form-pages.js';
import { afterPage, answer, canUseForms, draftKey, keepClosedPage, loadDraft, newDraft, onboardingOf, openNextPage, PAGE_FORM, pageOfState, startConversation, submitDraft } from './intake.js';

const start = defineCommand({
  name: 'start',
  summary: 'Request onboarding: answer the intake questionnaire (a form, or with --chat a DM conversation)',
  usage: 'start [--chat]',
  examples: ['/onboard start', '/onboard start --chat', '/day2 onboard start'],
  args: z.object({ chat: arg.flag() }),
  positional: [],
  role: 'anyone',
  mutates: true,
  async handler(ctx, { chat }) {
    const existing = await loadDraft(ctx);
    if (chat || !canUseForms(ctx)) return startConversation(ctx, existing);
    // Forms first: the trigger id is short-lived (Slack ~3 s).
    return openNextPage(ctx, existing ? { ...existing, mode: 'form' } : newDraft(ctx, 'form'));
  },
});

const resume = defineCommand({
  name: 'resume',
  summary: 'Pick up a questionnaire you started (a closed form or a pause loses nothing)',
  usage: 'resume',
  examples: ['/onboard resume'],
  args: z.object({}),
  positional: [],
  role: 'anyone',
  // Saves the draft (mode, page), so it is run once and audited like any change.
  mutates: true,
  async handler(ctx) {
    const draft = await loadDraft(ctx);
    if (!draft) return ctx.info('You have no questionnaire in progress. /onboard start begins one.');
    if (draft.mode === 'chat' || !canUseForms(ctx)) return startConversation(ctx, draft);
    return openNextPage(ctx, draft);
  },
});

const answerCmd = defineCommand({
  name: 'answer',
  summary: 'Answer the current question of the DM questionnaire (plain DMs do this too), or back / skip / review / submit / cancel',
  usage: 'answer <text>',
  examples: ['/onboard answer Payments API', '/onboard answer back', '/onboard answer submit'],
  args: z.object({ text: arg.rest() }),
  positional: ['text'],
  role: 'anyone',
  mutates: true,
  handler: (ctx, { text }) => answer(ctx, text),
});

const cancel = defineCommand({
  name: 'cancel',
  summary: 'Discard the questionnaire you are answering',
  usage: 'cancel',
  examples: ['/onboard cancel'],
  args: z.object({}),
  positional: [],
  role: 'anyone',
  mutates: true,
  async handler(ctx) {
    const deleted = await onboardingOf(ctx).store.drafts.delete(draftKey(ctx));
    return deleted ? ctx.ok('Your questionnaire answers are discarded.') : { ...ctx.info('You have no questionnaire in progress: nothing to discard.'), changed: false };
  },
});

const pageForm = defineForm({
  formId: PAGE_FORM,
  role: 'anyone',
  mutates: true,
  // Values depend on the questionnaire in config; each page is checked against it in the handler.
  schema: z.looseObject({}),
  async handler(ctx, values, state) {
    const draft = await loadDraft(ctx);
    if (!draft) return { formErrors: { _form: 'This questionnaire expired or was discarded: start again with /onboard start.' }, changed: false };
    const opened = pageOfState(ctx, state);
    if (!opened) return { formErrors: { _form: 'This form is out of date: /onboard resume opens the current page.' }, changed: false };
    const read = readPage(opened.page, values as Record<string, unknown>);
    if (!read.ok) return { formErrors: read.errors, changed: false };
    const answers = { ...draft.answers, ...read.answers };
    for (const id of read.cleared) delete answers[id];
    return afterPage(ctx, { ...draft, mode: 'form', answers, presented: [...new Set([...draft.presented, ...opened.ids])] });
  },
  // A closed modal or cancelled dialog loses nothing: the page's valid answers join the draft.
  async onClose(ctx, values, state) {
    const draft = await loadDraft(ctx);
    if (!draft) return { changed: false };
    const opened = pageOfState(ctx, state);
    if (!opened) return { changed: false };
    return keepClosedPage(ctx, draft, readClosedPage(opened.page, values));
  },
});

const nextButton = defineButton({
  actionId: 'onboardNext',
  role: 'anyone',
  mutates: true,
  async handler(ctx) {
    const draft = await loadDraft(ctx);
    if (!draft) return ctx.ok('This questionnaire expired or was discarded: /onboard start begins again.');
    if (!canUseForms(ctx)) return startConversation(ctx, draft);
    return openNextPage(ctx, draft);
  },
});

const editButton = defineButton({
  actionId: 'onboardEdit',
  role: 'anyone',
  mutates: true,
  async handler(ctx) {
    const draft = await loadDraft(ctx);
    if (!draft) return ctx.ok('This questionnaire expired or was discarded: /onboard start begins again.');
    // Back to the first page, with every answer filled in.
    return openNextPage(ctx, { ...draft, presented: [] });
  },
});

const submitButton = defineButton({
  actionId: 'onboardSubmit',
  role: 'anyone',
  mutates: true,
  async handler(ctx) {
    const draft = await loadDraft(ctx);
    if (!draft) return { ...ctx.ok('Nothing to submit: it was submitted already, discarded, or expired.'), changed: false };
    return submitDraft(ctx, draft);
  },
});

const discardButton = defineButton({
  actionId: 'onboardDiscard',
  role: 'anyone',
  mutates: true,
  async handler(ctx) {
    const deleted = await onboardingOf(ctx).store.drafts.delete(draftKey(ctx));
    return deleted ? ctx.ok('Your questionnaire answers are discarded.') : { ...ctx.ok('Nothing to discard.'), changed: false };
  },
});

export const questionnaireCommands: CommandDecl<any>[] = [start, resume, answerCmd, cancel];
export const questionnaireButtons: ButtonDecl[] = [nextButton, editButton, submitButton, discardButton];
export const questionnaireForms: FormDecl<any>[] = [pageForm];
