/**
 * `/notice …` (also `/day2 notice …`): outage, maintenance and deploy notices for an
 * environment, sent to every channel subscribed to it on Slack and Mattermost.
 *
 * Posting and changing a notice, and (un)subscribing a channel, take a PRE *of that
 * environment* or an admin: the declaration lets PREs in, the handler checks the environment.
 * A new notice is a draft first: its author sees the audience and confirms with a button.
 */
import { z } from 'zod';
import type { Environment } from '../../src/config.js';
import { countByPlatform } from '../../src/domain/notice/audience.js';
import { NOTICE_KINDS, type NoticeKind } from '../../src/domain/notice/config.js';
import { ALL_STATUSES, SEVERITIES, type Notice, type NoticeAuthor } from '../../src/domain/notice/notice.js';
import { arg, parseDuration, parseWhen } from '../../src/dispatch/args.js';
import { defineButton, defineCommand, defineFamily, defineForm } from '../../src/dispatch/define.js';
import type { CommandContext } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import type { NoticeService } from '../../src/services/notice/service.js';
import { addDuration, resolveWhen } from '../../src/time/when.js';

const PRE_OR_ADMIN = ['pre', 'admin'] as const;
/** How many ledger rows /notice show lists before summing up the rest. */
const LEDGER_ROWS = 40;

function service(ctx: CommandContext): NoticeService {
  const s = ctx.services.notices;
  if (!s) throw new Error('the notices service is not wired into this bot');
  return s;
}

/** The environment, if the caller is one of its PREs or an admin; otherwise a clear refusal. */
function preOf(ctx: CommandContext, envId: string): Environment {
  const env = service(ctx).environment(envId);
  if (ctx.caller.roles.has('admin')) return env;
  if (ctx.caller.person && env.pres.includes(ctx.caller.person.id)) return env;
  throw new ForbiddenError(`Only ${env.id}'s PREs (${env.pres.join(', ') || 'none configured'}) or an admin may do this for ${env.id}; you are not one of them.`);
}

/**
 * Who may read an environment's notices (/notice list, /notice show): its PREs and admins
 * anywhere, everyone else in a channel subscribed to that environment — the audience is
 * environment-scoped, and a classified enclave's notices stay where they were sent.
 */
async function readableEnvs(ctx: CommandContext): Promise<(env: string) => boolean> {
  if (ctx.caller.roles.has('admin')) return () => true;
  const { platform, id } = ctx.event.channel;
  const here = new Set<string>();
  for (const s of ctx.services.config().notices.subscriptions) if (s.platform === platform && s.channel === id) here.add(s.env);
  for (const s of await service(ctx).store.subscriptions()) if (s.platform === platform && s.channelId === id) here.add(s.env);
  const person = ctx.caller.person?.id;
  const pre = new Set(ctx.services.config().environments.filter((e) => person !== undefined && e.pres.includes(person)).map((e) => e.id));
  return (env) => here.has(env) || pre.has(env);
}

function authorOf(ctx: CommandContext): NoticeAuthor {
  const { user, person } = ctx.caller;
  const author: NoticeAuthor = { platform: user.platform, userId: user.id, name: person?.name ?? user.name ?? user.id };
  if (person) author.personId = person.id;
  return author;
}

function chatChannel(ctx: CommandContext): { platform: 'slack' | 'mattermost'; channelId: string } {
  const { platform, id } = ctx.event.channel;
  if (platform !== 'slack' && platform !== 'mattermost') throw new InputError('only Slack and Mattermost channels can subscribe to notices');
  return { platform, channelId: id };
}

const list = (raw: string | undefined): string[] => (raw ? raw.split(',').map((s) => s.trim()).filter(Boolean) : []);

function components(raw: string | undefined): string[] {
  const out = list(raw);
  for (const c of out) if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(c)) throw new InputError(`"${c}" is not a component name (letters, digits, ".", "_" and "-")`);
  return out;
}

function kinds(raw: string | undefined): NoticeKind[] | undefined {
  if (!raw || raw === 'all') return undefined;
  const out = list(raw);
  for (const k of out) if (!(NOTICE_KINDS as readonly string[]).includes(k)) throw new InputError(`"${k}" is not a notice kind: use ${NOTICE_KINDS.join(', ')} or all (comma-separated)`);
  return out as NoticeKind[];
}

const componentsArg = arg.text({ max: 500, hint: 'components, comma-separated: api,db' }).optional();

async function preview(ctx: CommandContext, input: Parameters<NoticeService['draft']>[0]) {
  const { draft, counts } = await service(ctx).draft(input, ctx.now());
  return ctx.reply('notices/preview', { ...draft, counts, noAudience: counts.total === 0 });
}

// ---- subscriptions ---------------------------------------------------------------------------

const subscribe = defineCommand({
  name: 'subscribe',
  summary: "Subscribe this channel to an environment's notices (optionally some kinds / components)",
  usage: 'subscribe <env> [kinds] [components]',
  examples: ['/notice subscribe prod-east', '/notice subscribe prod-east outage,maintenance api,db'],
  args: z.object({ env: arg.text({ max: 63 }), kinds: arg.text({ max: 100, hint: 'kinds, comma-separated: outage,maintenance,deploy (or all)' }).optional(), components: componentsArg }),
  positional: ['env', 'kinds', 'components'],
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const channel = chatChannel(ctx);
    const k = kinds(a.kinds);
    const c = components(a.components);
    await service(ctx).store.subscribe({ env: env.id, ...channel, ...(k ? { kinds: k } : {}), ...(c.length ? { components: c } : {}), by: authorOf(ctx).name });
    return ctx.reply('notices/subscribed', { env: env.id, kinds: k ?? [], components: c, classification: env.classification });
  },
});

const unsubscribe = defineCommand({
  name: 'unsubscribe',
  summary: "Stop this channel's notices for an environment",
  usage: 'unsubscribe <env>',
  examples: ['/notice unsubscribe prod-east'],
  args: z.object({ env: arg.text({ max: 63 }) }),
  positional: ['env'],
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const channel = chatChannel(ctx);
    const configured = ctx.services.config().notices.subscriptions.some((s) => s.env === env.id && s.platform === channel.platform && s.channel === channel.channelId);
    const removed = await service(ctx).store.unsubscribe(env.id, channel.platform, channel.channelId);
    if (!removed && configured) throw new InputError(`this channel's subscription to ${env.id} comes from the config file (notices.subscriptions); remove it there`);
    if (!removed) throw new InputError(`this channel is not subscribed to ${env.id}`);
    return ctx.reply('notices/unsubscribed', { env: env.id, configured, classification: env.classification });
  },
});

const subscriptions = defineCommand({
  name: 'subscriptions',
  summary: "This channel's notice subscriptions (admins: all of them)",
  usage: 'subscriptions',
  examples: ['/notice subscriptions'],
  args: z.object({}),
  positional: [],
  role: 'anyone',
  mutates: false,
  async handler(ctx) {
    const all = ctx.caller.roles.has('admin');
    const here = ctx.event.channel;
    const rows = [
      ...ctx.services.config().notices.subscriptions.map((s) => ({ env: s.env, platform: s.platform, channelId: s.channel, kinds: s.kinds, components: s.components, configured: true })),
      ...(await service(ctx).store.subscriptions()).map((s) => ({ ...s, configured: false })),
    ]
      .filter((s) => all || (s.platform === here.platform && s.channelId === here.id))
      .map((s) => ({ env: s.env, platform: s.platform, channelId: s.channelId, kinds: s.kinds?.join(', ') ?? 'all', components: s.components?.join(', ') ?? 'all', configured: s.configured }));
    return ctx.reply('notices/subscriptions', { subs: rows, scope: all ? 'all channels' : 'this channel' });
  },
});

// ---- new notices -----------------------------------------------------------------------------

const outage = defineCommand({
  name: 'outage',
  summary: 'Announce an outage in an environment (preview, then confirm)',
  usage: 'outage <env> <sev1|sev2|sev3|sev4> [components=api,db] <summary>',
  examples: ['/notice outage prod-east sev2 API returns 503 for some tenants', '/notice outage prod-east sev1 components=api,db "Database failover in progress"'],
  args: z.object({ env: arg.text({ max: 63 }), severity: arg.enum(SEVERITIES), summary: arg.rest({ max: 1000 }), components: componentsArg }),
  positional: ['env', 'severity', 'summary'],
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    return preview(ctx, { env: env.id, kind: 'outage', severity: a.severity, summary: a.summary, components: components(a.components), author: authorOf(ctx) });
  },
});

const maintenance = defineCommand({
  name: 'maintenance',
  summary: 'Announce a maintenance window or upgrade (reminders, start and end follow by themselves)',
  usage: 'maintenance <env> <start> <end|duration> [components=api] <summary>',
  examples: ['/notice maintenance prod-east "2030-12-01 09:00" 2h Database upgrade to 16.4', '/notice maintenance staging tomorrow 90m components=api Kernel patching', '/notice maintenance staging "2030-12-01 22:00" "2030-12-02 02:00" Network switch replacement'],
  args: z.object({ env: arg.text({ max: 63 }), start: arg.when(), end: arg.text({ max: 40, hint: 'a duration such as 2h, or an end time such as "2030-12-01 11:00"' }), summary: arg.rest({ max: 1000 }), components: componentsArg }),
  positional: ['env', 'start', 'end', 'summary'],
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const now = ctx.now();
    const zone = ctx.caller.zone;
    const start = resolveWhen(a.start, zone, now);
    if (start.getTime() < now.getTime() - 60_000) throw new InputError(`the start (${start.toISOString()}) is in the past; a maintenance window must start now or later`);
    const d = parseDuration(a.end);
    let end: Date;
    if (d.ok) end = addDuration(start, d.value, zone);
    else {
      const w = parseWhen(a.end);
      if (!w.ok) throw new InputError(`"${a.end}" is neither a duration (2h, 90m) nor an end time ("2030-12-01 11:00")`);
      end = resolveWhen(w.value, zone, now);
    }
    return preview(ctx, { env: env.id, kind: 'maintenance', summary: a.summary, components: components(a.components), start, end, author: authorOf(ctx) });
  },
});

const deploy = defineCommand({
  name: 'deploy',
  summary: 'Announce a new service deployment',
  usage: 'deploy <env> <service> <version> [notes]',
  examples: ['/notice deploy prod-east billing-api 2.14.0', '/notice deploy staging search 1.3.0-rc1 New ranking model behind a flag'],
  args: z.object({ env: arg.text({ max: 63 }), service: arg.text({ max: 100 }), version: arg.text({ max: 100 }), notes: arg.rest({ max: 1000 }).optional() }),
  positional: ['env', 'service', 'version', 'notes'],
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const input: Parameters<NoticeService['draft']>[0] = { env: env.id, kind: 'deploy', service: a.service, version: a.version, summary: a.notes ?? `${a.service} ${a.version} is being deployed`, components: [a.service], author: authorOf(ctx) };
    if (a.notes) input.notes = a.notes;
    return preview(ctx, input);
  },
});

// ---- changes ---------------------------------------------------------------------------------

/** What the answers to a change get about the notice (templates/notices/README.md). */
function answerData(n: Notice): Record<string, unknown> {
  return { id: n.id, kind: n.kind, env: n.env, status: n.status, classification: n.classification, total: n.audience.length, start: n.start, end: n.end };
}

async function openNotice(ctx: CommandContext, id: string) {
  const n = await service(ctx).store.get(id);
  if (!n) throw new InputError(`there is no notice ${JSON.stringify(id)}; /notice list shows the open ones`);
  preOf(ctx, n.env);
  return n;
}

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

// ---- reading ---------------------------------------------------------------------------------

const listCmd = defineCommand({
  name: 'list',
  summary: 'Active and upcoming notices (of the environments this channel follows; PREs and admins: theirs / all)',
  usage: 'list [env]',
  examples: ['/notice list', '/notice list prod-east'],
  args: z.object({ env: arg.text({ max: 63 }).optional() }),
  positional: ['env'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, a) {
    if (a.env) service(ctx).environment(a.env);
    const may = await readableEnvs(ctx);
    const open = (await service(ctx).store.open()).filter((n) => (!a.env || n.env === a.env) && may(n.env));
    return ctx.reply('notices/list', {
      env: a.env,
      notices: open.map((n) => ({ id: n.id, env: n.env, classification: n.classification, kind: n.kind, status: n.status, severity: n.severity?.toUpperCase(), start: n.start, end: n.end, summary: n.summary })),
    });
  },
});

const show = defineCommand({
  name: 'show',
  summary: 'A notice: its timeline and delivery ledger (per channel delivered / pending / failed)',
  usage: 'show <id>',
  examples: ['/notice show 42'],
  args: z.object({ id: arg.text({ max: 12 }) }),
  positional: ['id'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, a) {
    const s = service(ctx);
    const n = await s.store.get(a.id);
    if (!n) throw new InputError(`there is no notice ${JSON.stringify(a.id)}; /notice list shows the open ones`);
    if (!(await readableEnvs(ctx))(n.env)) throw new ForbiddenError(`Notice ${n.id} is about ${n.env}: its PREs and admins may read it anywhere, others in a channel subscribed to ${n.env}.`);
    const ledger = await s.ledger(n.id);
    const counts = { total: ledger.length, delivered: 0, pending: 0, failed: 0 };
    for (const r of ledger) {
      if (r.state === 'delivered') counts.delivered++;
      else if (r.state === 'failed') counts.failed++;
      else counts.pending++;
    }
    // Failures first: they are what the reader came for.
    const order = { failed: 0, pending: 1, 'not queued': 1, delivered: 2 } as const;
    const rows = [...ledger].sort((x, y) => order[x.state] - order[y.state]).slice(0, LEDGER_ROWS);
    return ctx.reply('notices/show', {
      id: n.id,
      kind: n.kind,
      env: n.env,
      status: n.status,
      summary: n.summary,
      classification: n.classification,
      rootRevision: n.rootRevision,
      updates: n.updates,
      timeline: n.timeline.map((e) => ({ at: e.at, status: e.status, text: e.text, by: e.by })),
      counts,
      rows: rows.map((r) => ({ platform: r.target.platform, channelId: r.target.channelId, state: r.state, revision: r.deliveredRevision, replies: `${r.repliesDelivered}/${n.updates}`, error: r.error })),
      more: Math.max(0, ledger.length - rows.length),
    });
  },
});

const icalCmd = defineCommand({
  name: 'ical',
  summary: "The private iCalendar feed address of an environment's maintenance windows",
  usage: 'ical <env>',
  examples: ['/notice ical prod-east'],
  args: z.object({ env: arg.text({ max: 63 }) }),
  positional: ['env'],
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const tokens = ctx.services.icalTokens;
    if (!tokens || !ctx.services.publicUrl) throw new Error('iCal feeds are not wired into this bot');
    return ctx.reply('notices/ical', { env: env.id, url: `${ctx.services.publicUrl}/ical/maintenance/${env.id}.ics?token=${await tokens.tokenFor(env.id)}` });
  },
});

// ---- buttons ---------------------------------------------------------------------------------

const confirm = defineButton({
  actionId: 'noticeConfirm',
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, draftId) {
    const s = service(ctx);
    const draft = await s.store.draft(draftId);
    if (!draft) throw new InputError('this draft has expired or was discarded; run the command again');
    preOf(ctx, draft.value.env);
    const n = await s.confirm(draftId, ctx.now());
    return ctx.update('notices/sent', { id: n.id, total: n.audience.length, classification: n.classification, counts: countByPlatform(n.audience) });
  },
});

const discard = defineButton({
  actionId: 'noticeDiscard',
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, draftId) {
    const s = service(ctx);
    const draft = await s.store.draft(draftId);
    if (draft?.value.noticeId) throw new InputError(`this draft was already sent as notice ${draft.value.noticeId}`);
    if (draft) {
      preOf(ctx, draft.value.env);
      await s.store.deleteDraft(draftId);
    }
    return ctx.update('notices/discarded', {});
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

async function openNoticeAnyStatus(ctx: CommandContext, id: string) {
  const n = await service(ctx).store.get(id);
  if (!n) throw new InputError(`there is no notice ${JSON.stringify(id)}`);
  preOf(ctx, n.env);
  return n;
}

export const noticeFamily = defineFamily({
  name: 'notice',
  aliases: ['/notice'],
  summary: 'Outage, maintenance and deploy notices to every channel subscribed to an environment',
  commands: [outage, maintenance, deploy, update, extend, complete, cancel, listCmd, show, subscribe, unsubscribe, subscriptions, icalCmd],
  buttons: [confirm, discard, retry, resolutionButton],
  forms: [resolutionForm],
});
