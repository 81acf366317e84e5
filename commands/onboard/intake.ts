/**
 * The intake flow shared by the commands, buttons and forms of `/onboard`: drafts, form pages,
 * the DM conversation and the review. Nothing becomes a request until every asked question has
 * a valid answer; until then the draft is saved after every page or answer.
 */
import { z } from 'zod';
import type { CommandContext, CommandResult } from '../../src/dispatch/types.js';
import { begin, current, REVIEW, step, type StepOutcome } from '../../src/domain/onboard/conversation.js';
import { FIELDS_PER_PAGE, fitsInForms, isLastPage, nextPage, pageFormSpec } from '../../src/services/onboard/form-pages.js';
import { askedQuestions, displayAnswer, missingAnswers, type Question, type Questionnaire } from '../../src/domain/onboard/questionnaire.js';
import type { Actor, Draft } from '../../src/domain/onboard/request.js';
import type { OnboardingService } from '../../src/services/onboard/service.js';

export const PAGE_FORM = 'onboardPage';

export function onboardingOf(ctx: CommandContext): OnboardingService {
  const svc = ctx.services.onboarding;
  if (!svc) throw new Error('onboarding is not wired into this Day2');
  return svc;
}

export function actorOf(ctx: CommandContext): Actor {
  const { user, person } = ctx.caller;
  return { platform: user.platform, userId: user.id, ...(user.name ? { name: user.name } : person ? { name: person.name } : {}), ...(person ? { personId: person.id } : {}) };
}

export const draftKey = (ctx: CommandContext) => onboardingOf(ctx).store.draftId(ctx.event.platform, ctx.event.user.id);

export async function loadDraft(ctx: CommandContext): Promise<Draft | undefined> {
  return (await onboardingOf(ctx).store.drafts.get(draftKey(ctx)))?.value;
}

async function saveDraft(ctx: CommandContext, draft: Draft): Promise<void> {
  await onboardingOf(ctx).store.drafts.upsert(draftKey(ctx), () => ({ ...draft, updatedAt: ctx.now().toISOString() }));
}

export function newDraft(ctx: CommandContext, mode: Draft['mode']): Draft {
  const now = ctx.now().toISOString();
  return {
    platform: ctx.event.platform,
    userId: ctx.event.user.id,
    ...(ctx.event.user.name ? { userName: ctx.event.user.name } : {}),
    ...(ctx.event.channel.id ? { channelId: ctx.event.channel.id } : {}),
    mode,
    answers: {},
    presented: [],
    history: [],
    startedAt: now,
    updatedAt: now,
  };
}

/**
 * Forms need a platform that has them and a trigger id (the console has neither), and a
 * questionnaire a form can hold: a Slack select offers at most 100 options. Otherwise the
 * questionnaire is asked as a conversation.
 */
export const canUseForms = (ctx: CommandContext) =>
  ctx.event.platform !== 'console' && ctx.event.triggerId !== undefined && fitsInForms(onboardingOf(ctx).questionnaire());

// ---- forms -------------------------------------------------------------------------------------

/** Open the draft's next page, or show the review when every page is done. */
export async function openNextPage(ctx: CommandContext, draft: Draft): Promise<CommandResult> {
  const svc = onboardingOf(ctx);
  const qn = svc.questionnaire();
  const page = nextPage(qn, draft.answers, draft.presented, FIELDS_PER_PAGE[ctx.event.platform]);
  if (page.length === 0) return review(ctx, qn, draft);
  const pageNumber = pagesBefore(qn, draft) + 1;
  const spec = pageFormSpec({
    formId: PAGE_FORM,
    qn,
    page,
    answers: draft.answers,
    pageNumber,
    state: JSON.stringify({ q: page.map((q) => q.id) }),
    last: isLastPage(qn, draft.answers, draft.presented, page),
  });
  await ctx.openForm(spec);
  await saveDraft(ctx, draft);
  return { changed: true };
}

/**
 * The questions a page form was opened with: its state is `{"q":[question ids]}`. Undefined when
 * the state is not that (a form from an older version of Day2).
 */
export function pageOfState(ctx: CommandContext, state: string): { ids: string[]; page: Question[] } | undefined {
  let ids: string[];
  try {
    ids = z.object({ q: z.array(z.string()) }).parse(JSON.parse(state)).q;
  } catch {
    return undefined;
  }
  const qn = onboardingOf(ctx).questionnaire();
  return { ids, page: ids.map((id) => qn.questions.find((q) => q.id === id)).filter((q) => q !== undefined) };
}

/** Pages already submitted, counted the way they were cut (for "page 2 saved"). */
function pagesBefore(qn: Questionnaire, draft: Draft): number {
  let presented: string[] = [];
  let pages = 0;
  const max = FIELDS_PER_PAGE[draft.platform];
  while (presented.length < draft.presented.length) {
    const page = nextPage(qn, draft.answers, presented, max).filter((q) => draft.presented.includes(q.id));
    if (page.length === 0) break;
    presented = [...presented, ...page.map((q) => q.id)];
    pages += 1;
  }
  return pages;
}

/**
 * A form page was closed instead of submitted: keep its valid answers in the draft (the page
 * itself stays unfinished, so /onboard resume opens it again with them filled in).
 */
export async function keepClosedPage(ctx: CommandContext, draft: Draft, kept: Draft['answers']): Promise<CommandResult> {
  const count = Object.keys(kept).length;
  if (count > 0) await saveDraft(ctx, { ...draft, answers: { ...draft.answers, ...kept } });
  return { ...ctx.reply('onboard/page-closed', { kept: count, answered: Object.keys({ ...draft.answers, ...kept }).length }), changed: count > 0 };
}

export async function afterPage(ctx: CommandContext, draft: Draft): Promise<CommandResult> {
  const svc = onboardingOf(ctx);
  const qn = svc.questionnaire();
  await saveDraft(ctx, draft);
  const more = nextPage(qn, draft.answers, draft.presented, FIELDS_PER_PAGE[ctx.event.platform]).length > 0;
  if (!more) return review(ctx, qn, draft);
  return ctx.reply('onboard/page-saved', { page: pagesBefore(qn, draft), more, draftId: draftKey(ctx) });
}

// ---- review and submission ---------------------------------------------------------------------

export function review(ctx: CommandContext, qn: Questionnaire, draft: Draft, error?: string): CommandResult {
  const asked = askedQuestions(qn, draft.answers);
  return ctx.reply('onboard/review', {
    title: qn.title,
    chat: draft.mode === 'chat',
    draftId: draftKey(ctx),
    answers: asked.map((q, i) => {
      const v = draft.answers[q.id];
      return { number: i + 1, label: q.label, answered: v !== undefined, value: v === undefined ? '' : displayAnswer(q, v) };
    }),
    missing: missingAnswers(qn, draft.answers).map((q) => q.label),
    ...(error ? { error } : {}),
  });
}

/** Submit the draft if it is complete; otherwise say what is missing and keep it. */
export async function submitDraft(ctx: CommandContext, draft: Draft): Promise<CommandResult> {
  const svc = onboardingOf(ctx);
  const qn = svc.questionnaire();
  const missing = missingAnswers(qn, draft.answers);
  if (missing.length > 0) return { ...review(ctx, qn, draft, `Some required questions have no answer yet: ${missing.map((q) => q.label).join(', ')}.`), changed: false };
  const req = await svc.submit(draft, actorOf(ctx), ctx.now());
  return ctx.ok(`Submitted as ${req.id}. The onboarding engineers have it; a summary and the platform welcome pack are on their way to you.`);
}

// ---- conversation ------------------------------------------------------------------------------

const HINT: Record<Question['type'], string> = {
  text: 'Type your answer',
  textarea: 'Type your answer',
  url: 'Type the address (https://…)',
  integer: 'Type a whole number',
  select: 'Type the number or name of one option',
  multiselect: 'Type numbers or names, comma-separated',
  boolean: 'Type yes or no',
  date: 'Type a date as YYYY-MM-DD',
};

export function questionData(o: Extract<StepOutcome, { kind: 'ask' }>): Record<string, unknown> {
  const q = o.question;
  const currentValue = o.state.answers[q.id];
  return {
    number: o.number,
    total: o.total,
    label: q.label,
    required: q.required,
    ...(q.help ? { help: q.help } : {}),
    options: q.options.map((opt, i) => ({ n: i + 1, label: opt.label })),
    ...(currentValue !== undefined ? { current: displayAnswer(q, currentValue) } : {}),
    ...(o.error ? { error: o.error } : {}),
    hint: HINT[q.type],
  };
}

/** Save the conversation's new state and show what comes next. */
export async function showOutcome(ctx: CommandContext, draft: Draft, outcome: StepOutcome): Promise<CommandResult> {
  const svc = onboardingOf(ctx);
  const qn = svc.questionnaire();
  if (outcome.kind === 'cancel') {
    await svc.store.drafts.delete(draftKey(ctx));
    return ctx.ok('Cancelled: your answers are discarded. /onboard start begins again.');
  }
  const { answers, cursor, history, returnToReview } = outcome.state;
  const { returnToReview: _old, ...base } = draft;
  const next: Draft = { ...base, answers, cursor, history, ...(returnToReview ? { returnToReview } : {}) };
  if (outcome.kind === 'submit') return submitDraft(ctx, next);
  await saveDraft(ctx, next);
  if (outcome.kind === 'review') return review(ctx, qn, next, outcome.error);
  return ctx.reply('onboard/question', questionData(outcome));
}

export async function startConversation(ctx: CommandContext, existing?: Draft): Promise<CommandResult> {
  const svc = onboardingOf(ctx);
  const qn = svc.questionnaire();
  const draft: Draft = existing ? { ...existing, mode: 'chat' } : newDraft(ctx, 'chat');
  const outcome = existing?.cursor ? current(qn, conversationOf(draft)) : begin(qn, draft.answers);
  const result = await showOutcome(ctx, draft, outcome);
  // Started from a channel: the conversation belongs in a direct message, where plain replies reach it.
  if (ctx.event.kind === 'command' && ctx.event.platform !== 'console' && result.reply && ctx.services.deliveries) {
    await ctx.services.deliveries.enqueue([
      { key: `onboard-q-${ctx.event.platform}-${ctx.event.user.id.replace(/[^A-Za-z0-9_.-]/g, '')}-${Date.parse(draft.startedAt)}-${ctx.event.eventId.replace(/[^A-Za-z0-9_.-]/g, '').slice(0, 40)}`, revision: 1, target: { platform: ctx.event.platform, userId: ctx.event.user.id }, message: result.reply },
    ]);
    return { ...ctx.ok('The questionnaire is in your direct messages with Day2: answer there, one message per question.'), changed: true };
  }
  return result;
}

export function conversationOf(draft: Draft) {
  return { answers: draft.answers, cursor: draft.cursor ?? REVIEW, history: draft.history, ...(draft.returnToReview ? { returnToReview: true } : {}) };
}

export async function answer(ctx: CommandContext, text: string): Promise<CommandResult> {
  const draft = await loadDraft(ctx);
  if (!draft || draft.mode !== 'chat' || !draft.cursor) return { ...ctx.info('There is no questionnaire in progress here. Start one with /onboard start --chat.'), changed: false };
  const qn = onboardingOf(ctx).questionnaire();
  return showOutcome(ctx, draft, step(qn, conversationOf(draft), text));
}
