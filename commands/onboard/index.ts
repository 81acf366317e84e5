/**
 * `/onboard` (also `/day2 onboard`): a developer asks for onboarding by answering the intake
 * questionnaire (a form where the platform has them, a DM conversation otherwise or with
 * --chat); onboarding engineers (ObE role) claim, meet, run and close the request.
 */
import { z } from 'zod';
import { defineButton, defineCommand, defineFamily, defineForm } from '../../src/dispatch/define.js';
import { arg } from '../../src/dispatch/args.js';
import type { CommandContext, CommandResult } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { exportJson, exportMarkdown } from '../../src/domain/onboard/export.js';
import { isOpen, STATUS_LABEL, STATUSES, transition, type Move, type Status } from '../../src/domain/onboard/lifecycle.js';
import { readClosedPage, readPage } from '../../src/services/onboard/form-pages.js';
import { normalizeId, statusEvent, withEvent, type Actor, type OnboardingRequest } from '../../src/domain/onboard/request.js';
import { onboardingStats } from '../../src/domain/onboard/stats.js';
import { RecordNotFoundError } from '../../src/store/record.js';
import { resolveWhen } from '../../src/time/when.js';
import { actorOf, afterPage, answer, canUseForms, draftKey, keepClosedPage, loadDraft, newDraft, onboardingOf, openNextPage, PAGE_FORM, startConversation, submitDraft } from './intake.js';
import { mentionOf } from '../../src/services/onboard/service.js';

const ASK_FORM = 'onboardAskForm';

const sameActor = (a: Actor, b: Actor) => (a.personId !== undefined && a.personId === b.personId) || (a.platform === b.platform && a.userId === b.userId);
const nameOf = (a: Actor) => a.name ?? a.personId ?? a.userId;

const requestId = () =>
  z.string().transform((raw, c) => {
    const id = normalizeId(raw);
    if (id) return id;
    c.issues.push({ code: 'custom', message: `"${raw.slice(0, 40)}" is not a request id (like ob-12)`, input: raw });
    return z.NEVER;
  });

async function load(ctx: CommandContext, id: string): Promise<OnboardingRequest> {
  const found = await onboardingOf(ctx).store.requests.get(id);
  if (!found) throw new InputError(`There is no onboarding request ${id}.`);
  return found.value;
}

/** The requester sees their own requests; ObEs, managers and admins see all. */
function mayRead(ctx: CommandContext, req: OnboardingRequest): boolean {
  return sameActor(req.requester, actorOf(ctx)) || ctx.may(['obe', 'manager', 'admin']);
}

async function readable(ctx: CommandContext, id: string): Promise<OnboardingRequest> {
  const req = await load(ctx, id);
  if (!mayRead(ctx, req)) throw new ForbiddenError(`${id} is someone else's request: only its requester and the onboarding engineers can see it.`);
  return req;
}

/**
 * Apply a lifecycle move: checked against the lifecycle, and after the claim only the claiming
 * ObE (or an admin) may move it. The requester is told, the cards are edited, the log grows.
 */
async function move(ctx: CommandContext, id: string, mv: Move, opts: { text?: string; patch?: (r: OnboardingRequest, now: Date) => Partial<OnboardingRequest> } = {}): Promise<OnboardingRequest> {
  const svc = onboardingOf(ctx);
  const actor = actorOf(ctx);
  const now = ctx.now();
  let updated: OnboardingRequest;
  try {
    updated = (
      await svc.store.requests.update(id, (req) => {
        const t = transition(req.status, mv);
        if (!t.ok) throw new InputError(t.message);
        if (mv !== 'claim' && req.claimedBy && !sameActor(req.claimedBy, actor) && !ctx.may('admin')) throw new ForbiddenError(`${id} is claimed by ${nameOf(req.claimedBy)}: only they (or an admin) can do that.`);
        return withEvent(req, statusEvent(now, actor, t.to, opts.text), { status: t.to, ...(opts.patch?.(req, now) ?? {}) });
      })
    ).value;
  } catch (e) {
    if (e instanceof RecordNotFoundError) throw new InputError(`There is no onboarding request ${id}.`);
    throw e;
  }
  if (mv !== 'meeting') {
    await svc.tell(updated.requester, svc.eventKey(updated, 'status'), 'onboard/status-changed', {
      id,
      title: updated.title,
      status: updated.status,
      statusLabel: STATUS_LABEL[updated.status],
      by: mentionOf(actor),
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
    if (!draft) return ctx.ok('You have no questionnaire in progress. /onboard start begins one.');
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
    return deleted ? ctx.ok('Your questionnaire answers are discarded.') : { ...ctx.ok('You have no questionnaire in progress.'), changed: false };
  },
});

const status = defineCommand({
  name: 'status',
  summary: 'Where a request stands, with its history (without an id: your latest)',
  usage: 'status [id]',
  examples: ['/onboard status', '/onboard status ob-12'],
  args: z.object({ id: requestId().optional() }),
  positional: ['id'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, { id }) {
    let req: OnboardingRequest | undefined;
    if (id) req = await readable(ctx, id);
    else {
      const me = actorOf(ctx);
      const mine = (await onboardingOf(ctx).store.requests.list()).map((s) => s.value).filter((r) => sameActor(r.requester, me));
      req = mine.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))[0];
      if (!req) {
        const draft = await loadDraft(ctx);
        return ctx.ok(draft ? 'You have a questionnaire in progress and no submitted request yet: /onboard resume.' : 'You have no onboarding requests. /onboard start begins one.');
      }
    }
    return ctx.reply('onboard/status', {
      id: req.id,
      title: req.title,
      statusLabel: STATUS_LABEL[req.status],
      requester: mentionOf(req.requester),
      ...(req.claimedBy ? { claimedBy: mentionOf(req.claimedBy) } : {}),
      submittedAt: req.submittedAt,
      ...(req.meeting ? { meetingAt: req.meeting.at, meetingMinutes: req.meeting.minutes } : {}),
      events: req.events.slice(-15).map((e) => ({
        at: e.at,
        ...(e.by ? { by: nameOf(e.by) } : {}),
        what: e.kind === 'status' ? STATUS_LABEL[e.status!] : e.kind === 'sla' ? 'SLA escalation' : e.kind,
        ...(e.text ? { text: e.text } : {}),
      })),
    });
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'List requests, optionally by status; "mine" for yours (ObEs see all, others their own)',
  usage: 'list [status] [mine]',
  examples: ['/onboard list', '/onboard list submitted', '/onboard list claimed mine', '/onboard list mine=yes'],
  args: z.object({ status: arg.enum(['open', ...STATUSES] as const).optional(), mine: z.string().optional() }),
  positional: ['status', 'mine'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, args) {
    const mineWord = args.mine?.toLowerCase();
    if (mineWord !== undefined && !['mine', 'yes', 'true'].includes(mineWord)) throw new InputError(`"${(args.mine ?? '').slice(0, 40)}" is not understood: the last word may only be "mine".`);
    const me = actorOf(ctx);
    const all = ctx.may(['obe', 'manager', 'admin']);
    const mine = mineWord !== undefined || !all;
    const wanted = (s: Status) => (args.status === undefined ? true : args.status === 'open' ? isOpen(s) : s === args.status);
    const rows = (await onboardingOf(ctx).store.requests.list())
      .map((s) => s.value)
      .filter((r) => wanted(r.status) && (!mine || sameActor(r.requester, me) || (r.claimedBy !== undefined && sameActor(r.claimedBy, me))))
      .sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))
      .slice(0, 25);
    return ctx.reply('onboard/list', {
      filter: [args.status, mine ? 'mine' : undefined].filter(Boolean).join(', '),
      requests: rows.map((r) => ({ id: r.id, title: r.title, statusLabel: STATUS_LABEL[r.status], requester: mentionOf(r.requester), ...(r.claimedBy ? { claimedBy: mentionOf(r.claimedBy) } : {}), submittedAt: r.submittedAt })),
    });
  },
});

/** Longest export shown in one message; the platforms cut long messages, this cuts it visibly. */
const EXPORT_MAX = 8000;

const exportCmd = defineCommand({
  name: 'export',
  summary: 'The full request, answers and history, as Markdown or JSON',
  usage: 'export <id> [md|json]',
  examples: ['/onboard export ob-12', '/onboard export ob-12 json'],
  args: z.object({ id: requestId(), format: arg.enum(['md', 'json'] as const).optional() }),
  positional: ['id', 'format'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, { id, format = 'md' }) {
    const req = await readable(ctx, id);
    const text = format === 'json' ? exportJson(req) : exportMarkdown(req);
    const cut = text.length > EXPORT_MAX;
    return ctx.reply('onboard/export', { id, format, text: cut ? `${text.slice(0, EXPORT_MAX)}\n…` : text, cut, length: text.length });
  },
});

const note = defineCommand({
  name: 'note',
  summary: 'Add a note to a request (its requester and ObE hear of it)',
  usage: 'note <id> <text>',
  examples: ['/onboard note ob-12 "Repo access granted"', '/onboard note ob-12 We use Postgres 16'],
  args: z.object({ id: requestId(), text: arg.rest({ max: 2000 }) }),
  positional: ['id', 'text'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, { id, text }) {
    const svc = onboardingOf(ctx);
    const actor = actorOf(ctx);
    const before = await load(ctx, id);
    const isRequester = sameActor(before.requester, actor);
    if (!isRequester && !ctx.may(['obe', 'admin'])) throw new ForbiddenError(`Only the requester of ${id} and the onboarding engineers can add notes.`);
    const updated = (await svc.store.requests.update(id, (r) => withEvent(r, { at: ctx.now().toISOString(), by: actor, kind: 'note', text }))).value;
    // Tell the other side: the requester hears from the ObE, the ObE from the requester.
    const to = isRequester ? updated.claimedBy : updated.requester;
    if (to && !sameActor(to, actor)) await svc.tell(to, svc.eventKey(updated, 'note'), 'onboard/noted', { id, by: mentionOf(actor), byName: nameOf(actor), text });
    return ctx.ok(`Note added to ${id}.`);
  },
});

async function askRequester(ctx: CommandContext, id: string, text: string): Promise<CommandResult> {
  const svc = onboardingOf(ctx);
  const actor = actorOf(ctx);
  const before = await load(ctx, id);
  if (!isOpen(before.status)) throw new InputError(`${id} is ${STATUS_LABEL[before.status]}; there is no one to ask.`);
  const updated = (await svc.store.requests.update(id, (r) => withEvent(r, { at: ctx.now().toISOString(), by: actor, kind: 'question', text }))).value;
  await svc.tell(updated.requester, svc.eventKey(updated, 'ask'), 'onboard/asked', { id, by: mentionOf(actor), text });
  return ctx.ok(`Your question went to the requester of ${id}; their answer comes back as a note.`);
}

const ask = defineCommand({
  name: 'ask',
  summary: 'Ask the requester a question (they answer with /onboard note)',
  usage: 'ask <id> <question>',
  examples: ['/onboard ask ob-12 "Which database do you use?"'],
  args: z.object({ id: requestId(), text: arg.rest({ max: 2000 }) }),
  positional: ['id', 'text'],
  role: 'obe',
  mutates: true,
  handler: (ctx, { id, text }) => askRequester(ctx, id, text),
});

const claim = defineCommand({
  name: 'claim',
  summary: 'Take a submitted request: you become its onboarding engineer',
  usage: 'claim <id>',
  examples: ['/onboard claim ob-12'],
  args: z.object({ id: requestId() }),
  positional: ['id'],
  role: 'obe',
  mutates: true,
  async handler(ctx, { id }) {
    await move(ctx, id, 'claim', { patch: (_r, now) => ({ claimedBy: actorOf(ctx), claimedAt: now.toISOString() }) });
    return ctx.ok(`You claimed ${id}. Next: /onboard meeting ${id} <time> [duration].`);
  },
});

const decline = defineCommand({
  name: 'decline',
  summary: 'Decline a request, with a reason for the requester',
  usage: 'decline <id> [reason]',
  examples: ['/onboard decline ob-12 "Not a platform workload"'],
  args: z.object({ id: requestId(), reason: arg.rest({ max: 1000 }).optional() }),
  positional: ['id', 'reason'],
  role: 'obe',
  mutates: true,
  async handler(ctx, { id, reason }) {
    await move(ctx, id, 'decline', { ...(reason ? { text: reason } : {}), patch: (_r, now) => ({ closedAt: now.toISOString(), ...(reason ? { declineReason: reason } : {}) }) });
    return ctx.ok(`${id} is declined; the requester is told.`);
  },
});

const meeting = defineCommand({
  name: 'meeting',
  summary: 'Schedule (or move) the onboarding meeting; both sides are told and reminded',
  usage: 'meeting <id> <time> [duration]',
  examples: ['/onboard meeting ob-12 "2027-03-01 10:00"', '/onboard meeting ob-12 "tomorrow 14:00" 45m', '/onboard meeting ob-12 "mon 09:30" 1h'],
  args: z.object({ id: requestId(), time: arg.when(), duration: arg.duration().optional() }),
  positional: ['id', 'time', 'duration'],
  role: 'obe',
  mutates: true,
  async handler(ctx, { id, time, duration }) {
    const svc = onboardingOf(ctx);
    const at = resolveWhen(time, ctx.caller.zone, ctx.now());
    if (at.getTime() <= ctx.now().getTime()) throw new InputError('That time has passed: give a time in the future.');
    if (duration && (duration.days || duration.weeks || duration.months)) throw new InputError('A meeting lasts minutes or hours (e.g. 45m, 1h30m).');
    const minutes = duration ? Math.round((duration.ms ?? 0) / 60_000) : 60;
    if (minutes < 5 || minutes > 480) throw new InputError('A meeting lasts 5 minutes to 8 hours.');
    const updated = await move(ctx, id, 'meeting', { text: `meeting ${at.toISOString()} (${minutes} min)`, patch: () => ({ meeting: { at: at.toISOString(), minutes, zone: ctx.caller.zone } }) });
    const data = svc.meetingData(updated, false);
    const key = svc.eventKey(updated, 'meeting');
    await svc.tell(updated.requester, `${key}-r`, 'onboard/meeting', data);
    if (updated.claimedBy) await svc.tell(updated.claimedBy, `${key}-o`, 'onboard/meeting', data);
    await svc.scheduleReminders(updated, ctx.now());
    return { changed: true };
  },
});

const progress = defineCommand({
  name: 'progress',
  summary: 'Mark a claimed request as in progress (onboarding under way)',
  usage: 'progress <id> [note]',
  examples: ['/onboard progress ob-12', '/onboard progress ob-12 "Namespaces created"'],
  args: z.object({ id: requestId(), note: arg.rest({ max: 1000 }).optional() }),
  positional: ['id', 'note'],
  role: 'obe',
  mutates: true,
  async handler(ctx, { id, note: text }) {
    await move(ctx, id, 'start', text ? { text } : {});
    return ctx.ok(`${id} is in progress; the requester is told.`);
  },
});

const done = defineCommand({
  name: 'done',
  summary: 'Mark a request onboarded',
  usage: 'done <id> [note]',
  examples: ['/onboard done ob-12', '/onboard done ob-12 "Live in staging"'],
  args: z.object({ id: requestId(), note: arg.rest({ max: 1000 }).optional() }),
  positional: ['id', 'note'],
  role: 'obe',
  mutates: true,
  async handler(ctx, { id, note: text }) {
    await move(ctx, id, 'done', { ...(text ? { text } : {}), patch: (_r, now) => ({ onboardedAt: now.toISOString(), closedAt: now.toISOString() }) });
    return ctx.ok(`${id} is onboarded; the requester is told.`);
  },
});

const stats = defineCommand({
  name: 'stats',
  summary: 'Requests per status, time to claim and time to onboarded',
  usage: 'stats',
  examples: ['/onboard stats'],
  args: z.object({}),
  positional: [],
  role: ['obe', 'manager', 'admin'],
  mutates: false,
  async handler(ctx) {
    const s = onboardingStats((await onboardingOf(ctx).store.requests.list()).map((r) => r.value));
    const round = (x: { median: number; max: number; count: number } | undefined) => (x ? { median: x.median.toFixed(1), max: x.max.toFixed(1), count: x.count } : undefined);
    return ctx.reply('onboard/stats', {
      total: s.total,
      statuses: STATUSES.map((st) => ({ label: STATUS_LABEL[st], count: s.byStatus[st] })),
      ...(s.toClaim ? { toClaim: round(s.toClaim) } : {}),
      ...(s.toOnboarded ? { toOnboarded: round(s.toOnboarded) } : {}),
    });
  },
});

// ---- buttons and forms -------------------------------------------------------------------------

const claimButton = defineButton({
  actionId: 'onboardClaim',
  role: 'obe',
  mutates: true,
  async handler(ctx, value) {
    const id = normalizeId(value);
    if (!id) throw new InputError('This button does not name a request.');
    await move(ctx, id, 'claim', { patch: (_r, now) => ({ claimedBy: actorOf(ctx), claimedAt: now.toISOString() }) });
    return ctx.ok(`You claimed ${id}. Next: /onboard meeting ${id} <time> [duration].`);
  },
});

const declineButton = defineButton({
  actionId: 'onboardDecline',
  role: 'obe',
  mutates: true,
  async handler(ctx, value) {
    const id = normalizeId(value);
    if (!id) throw new InputError('This button does not name a request.');
    await move(ctx, id, 'decline', { patch: (_r, now) => ({ closedAt: now.toISOString() }) });
    return ctx.ok(`${id} is declined; the requester is told. Add the reason with /onboard note ${id} <text>.`);
  },
});

const askButton = defineButton({
  actionId: 'onboardAsk',
  role: 'obe',
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
  role: 'obe',
  mutates: true,
  schema: z.object({ question: z.string().trim().min(1, { error: 'Write the question.' }).max(2000, { error: 'At most 2000 characters.' }) }),
  async handler(ctx, { question }, state) {
    const id = normalizeId(state);
    if (!id) throw new InputError('This form does not name a request.');
    return askRequester(ctx, id, question);
  },
});

const pageForm = defineForm({
  formId: PAGE_FORM,
  role: 'anyone',
  mutates: true,
  // Values depend on the questionnaire in config; each page is checked against it in the handler.
  schema: z.looseObject({}),
  async handler(ctx, values, state) {
    const svc = onboardingOf(ctx);
    const draft = await loadDraft(ctx);
    if (!draft) return { formErrors: { _form: 'This questionnaire expired or was discarded: start again with /onboard start.' }, changed: false };
    let ids: string[];
    try {
      ids = z.object({ q: z.array(z.string()) }).parse(JSON.parse(state)).q;
    } catch {
      return { formErrors: { _form: 'This form is out of date: /onboard resume opens the current page.' }, changed: false };
    }
    const qn = svc.questionnaire();
    const page = ids.map((id) => qn.questions.find((q) => q.id === id)).filter((q) => q !== undefined);
    const read = readPage(page, values as Record<string, unknown>);
    if (!read.ok) return { formErrors: read.errors, changed: false };
    const answers = { ...draft.answers, ...read.answers };
    for (const id of read.cleared) delete answers[id];
    return afterPage(ctx, { ...draft, mode: 'form', answers, presented: [...new Set([...draft.presented, ...ids])] });
  },
  // A closed modal or cancelled dialog loses nothing: the page's valid answers join the draft.
  async onClose(ctx, values, state) {
    const draft = await loadDraft(ctx);
    if (!draft) return { changed: false };
    let ids: string[];
    try {
      ids = z.object({ q: z.array(z.string()) }).parse(JSON.parse(state)).q;
    } catch {
      return { changed: false };
    }
    const qn = onboardingOf(ctx).questionnaire();
    const page = ids.map((id) => qn.questions.find((q) => q.id === id)).filter((q) => q !== undefined);
    return keepClosedPage(ctx, draft, readClosedPage(page, values));
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

export const onboardFamily = defineFamily({
  name: 'onboard',
  aliases: ['/onboard'],
  summary: 'Onboarding intake: request onboarding with a questionnaire; onboarding engineers claim and run it',
  commands: [start, resume, answerCmd, cancel, status, list, exportCmd, note, ask, claim, meeting, progress, done, decline, stats],
  buttons: [claimButton, askButton, declineButton, nextButton, editButton, submitButton, discardButton],
  forms: [pageForm, askForm],
});
