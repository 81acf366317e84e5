/**
 * `/notice update`, `extend`, `complete` and `cancel`, the Retry button, and the resolution
 * button and form: changing a notice once it is sent.
 */
import { z } from 'zod';
import { ALL_STATUSES } from '../../src/domain/notice/notice.js';
import { arg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand, defineForm } from '../../src/dispatch/define.js';
import type { ButtonDecl, CommandDecl, FormDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import type { NoticeService } from '../../src/services/notice/service.js';
import { PRE_OR_ADMIN, answerData, authorOf, openNotice, openNoticeAnyStatus, service } from './shared.js';

const update = defineCommand({
  name: 'update',
  summary: 'Post an update: a reply in every thread, and every root message shows the new status',
  usage: 'update <id> <status> [impact=…] [postmortem=<url>] <text>',
  examples: ['/notice update 42 identified Bad config push; rolling back', '/notice update 42 resolved impact="503s for 40 min" postmortem=https://wiki.example.com/pm/42 Rolled back'],
  args: z.object({
    id: arg.text({ max: 12 }),
    status: arg.enum(ALL_STATUSES),
    text: arg.rest({ max: 2000 }),
    impact: arg.text({ max: 500, hint: 'impact and duration, e.g. "503s for 40 min"' }).optional(),
    postmortem: arg.text({ max: 500, hint: 'a postmortem link (https://…)' }).optional(),
  }),
  positional: ['id', 'status', 'text'],
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, a) {
    await openNotice(ctx, a.id);
    if (a.postmortem && !/^https?:\/\/\S+$/.test(a.postmortem)) throw new InputError(`"${a.postmortem}" is not a link (https://…)`);
    const input: Parameters<NoticeService['update']>[1] = { status: a.status, text: a.text, by: authorOf(ctx).name };
    if (a.impact) input.impact = a.impact;
    if (a.postmortem) input.postmortem = a.postmortem;
    const n = await service(ctx).update(a.id, input, ctx.now());
    if (n.status === 'resolved' && (!n.impact || !n.postmortem)) {
      // Resolution asks for what is still missing; the button opens a form for it.
      const missing = [!n.impact && 'an impact and duration summary', !n.postmortem && 'a postmortem link'].filter(Boolean).join(' and ');
      return ctx.reply('notices/resolved', { id: n.id, update: n.updates, total: n.audience.length, missing, classification: n.classification });
    }
    return ctx.reply('notices/updated', { ...answerData(n), update: n.updates });
  },
});

const extend = defineCommand({
  name: 'extend',
  summary: 'Extend a maintenance window',
  usage: 'extend <id> <duration>',
  examples: ['/notice extend 43 30m'],
  args: z.object({ id: arg.text({ max: 12 }), duration: arg.duration() }),
  positional: ['id', 'duration'],
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, a) {
    await openNotice(ctx, a.id);
    const n = await service(ctx).extend(a.id, a.duration, authorOf(ctx).name, ctx.now());
    // A date token: each reader sees the new end in their own zone.
    return ctx.reply('notices/extended', answerData(n));
  },
});

const complete = defineCommand({
  name: 'complete',
  summary: 'Mark a maintenance window completed now',
  usage: 'complete <id>',
  examples: ['/notice complete 43'],
  args: z.object({ id: arg.text({ max: 12 }) }),
  positional: ['id'],
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, a) {
    await openNotice(ctx, a.id);
    const n = await service(ctx).complete(a.id, authorOf(ctx).name, ctx.now());
    return ctx.reply('notices/completed', answerData(n));
  },
});

const cancel = defineCommand({
  name: 'cancel',
  summary: 'Cancel a notice, with the reason',
  usage: 'cancel <id> <reason>',
  examples: ['/notice cancel 43 Postponed to next week'],
  args: z.object({ id: arg.text({ max: 12 }), reason: arg.rest({ max: 1000 }) }),
  positional: ['id', 'reason'],
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, a) {
    await openNotice(ctx, a.id);
    const n = await service(ctx).cancel(a.id, a.reason, authorOf(ctx).name, ctx.now());
    return ctx.reply('notices/cancelled', answerData(n));
  },
});

const retry = defineButton({
  actionId: 'noticeRetry',
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, id) {
    await openNoticeAnyStatus(ctx, id);
    const n = await service(ctx).retry(id, ctx.now());
    return ctx.reply('notices/retrying', answerData(n));
  },
});

const RESOLUTION_FORM = 'noticeResolution';

const resolutionButton = defineButton({
  actionId: 'noticeResolution',
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, id) {
    const n = await openNoticeAnyStatus(ctx, id);
    await ctx.openForm({
      formId: RESOLUTION_FORM,
      title: `Resolution of ${n.id}`.slice(0, 24),
      submitLabel: 'Save',
      introduction: 'Both are optional; what you give is added to every copy of the notice.',
      fields: [
        { name: 'impact', label: 'Impact and duration', type: 'textarea', required: false, maxLength: 500, placeholder: '503s for 5% of requests, 40 min', ...(n.impact ? { initial: n.impact } : {}) },
        { name: 'postmortem', label: 'Postmortem link', type: 'url', required: false, placeholder: 'https://…', ...(n.postmortem ? { initial: n.postmortem } : {}) },
      ],
      state: n.id,
    });
    return {};
  },
});

const resolutionForm = defineForm({
  formId: RESOLUTION_FORM,
  role: PRE_OR_ADMIN,
  mutates: true,
  schema: z.object({
    impact: z.string().trim().max(500, { error: 'At most 500 characters.' }).optional(),
    postmortem: z.string().trim().regex(/^https?:\/\/\S+$/, { error: 'A link starting with https://' }).max(500).optional(),
  }),
  async handler(ctx, values, state) {
    await openNoticeAnyStatus(ctx, state);
    if (!values.impact && !values.postmortem) return { formErrors: { impact: 'Give an impact summary, a postmortem link, or both.' }, changed: false };
    const input: Parameters<NoticeService['resolution']>[1] = { by: authorOf(ctx).name };
    if (values.impact) input.impact = values.impact;
    if (values.postmortem) input.postmortem = values.postmortem;
    const n = await service(ctx).resolution(state, input, ctx.now());
    return ctx.reply('notices/resolution-sent', answerData(n));
  },
});

/** The commands that change a notice, in help order, and the buttons and form that follow up. */
export const changeCommands: CommandDecl<any>[] = [update, extend, complete, cancel];
export const changeButtons: ButtonDecl[] = [retry, resolutionButton];
export const changeForms: FormDecl<any>[] = [resolutionForm];
