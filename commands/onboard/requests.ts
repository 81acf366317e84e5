/**
 * Reading and annotating submitted requests: `/onboard status`, `list`, `export` and `note`.
 * Requesters see their own requests; onboarding engineers, managers and admins see all.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { exportJson, exportMarkdown } from '../../src/domain/onboard/export.js';
import { formatAbsolute } from '../../src/render/dates.js';
import { isOpen, STATUS_LABEL, STATUSES, type Status } from '../../src/domain/onboard/lifecycle.js';
import { withEvent, type OnboardingRequest } from '../../src/domain/onboard/request.js';
import { mentionOf } from '../../src/services/onboard/service.js';
import { actorOf, loadDraft, onboardingOf } from './intake.js';
import { load, nameOf, readable, requestId, sameActor } from './shared.js';

/** The caller's most recently submitted request, if any. */
async function latestOwnRequest(ctx: CommandContext): Promise<OnboardingRequest | undefined> {
  const me = actorOf(ctx);
  const mine = (await onboardingOf(ctx).store.requests.list()).map((s) => s.value).filter((r) => sameActor(r.requester, me));
  return mine.sort((a, b) => b.submittedAt.localeCompare(a.submittedAt))[0];
}

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
    const req = id ? await readable(ctx, id) : await latestOwnRequest(ctx);
    if (!req) {
      const draft = await loadDraft(ctx);
      return ctx.info(draft ? 'You have a questionnaire in progress and no submitted request yet: /onboard resume.' : 'You have no onboarding requests. /onboard start begins one.');
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
        ...(e.by ? { by: mentionOf(e.by) } : {}),
        what: e.kind === 'status' ? STATUS_LABEL[e.status!] : e.kind === 'sla' ? 'SLA escalation' : e.kind,
        ...(e.text ? { text: e.text } : {}),
        ...(e.meeting ? { meeting: e.meeting } : {}),
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
    // Markdown is read by people: names and times in the reader's zone. JSON stays the raw record.
    const text = format === 'json' ? exportJson(req) : exportMarkdown(req, { name: (a) => nameOf(ctx, a), when: (iso) => formatAbsolute(new Date(iso), ctx.caller.zone, 'datetime') });
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
    if (to && !sameActor(to, actor)) await svc.tell(to, svc.eventKey(updated, 'note'), 'onboard/noted', { id, by: mentionOf(actor), byName: nameOf(ctx, actor), text });
    return ctx.ok(`Note added to ${id}.`);
  },
});

export const requestCommands: CommandDecl<any>[] = [status, list, exportCmd, note];
