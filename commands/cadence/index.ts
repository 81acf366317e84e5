/**
 * `/cadence` (also `/day2 cadence`): recurring announcements, meetings and resiliency exercises.
 * Creating shows the next five occurrences in the creator's zone and saves nothing until the
 * Confirm button; every change re-plans the cadence's timers (src/services/cadence/service.ts).
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand, defineFamily } from '../../src/dispatch/define.js';
import type { CommandContext, RoleRequirement } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { allowedChannels } from '../../src/domain/cadence/channels.js';
import { CADENCE_NAME } from '../../src/domain/cadence/config.js';
import { formatTime, type Cadence, type RsvpChoice } from '../../src/domain/cadence/model.js';
import { isoDate, occurrenceOnDate, type Occurrence } from '../../src/domain/cadence/occurrences.js';
import { parseCreateSpec, parseEditSpec, type CadenceOptions, type SpecRules } from './spec.js';
import type { CadenceService } from '../../src/services/cadence/service.js';
import { RecordConflictError } from '../../src/store/record.js';
import { isRealDate, localPartsOf, resolveWhen } from '../../src/time/when.js';

const MANAGERS: RoleRequirement = ['manager', 'pre', 'admin'];
const PARTICIPANTS: RoleRequirement = ['pre', 'rele', 'obe', 'manager', 'admin'];

const name = z.string({ error: 'needs a value' }).regex(CADENCE_NAME, { error: 'cadence names are 1-40 lowercase letters, digits and "-" (e.g. platform-sync)' });

function service(ctx: CommandContext): CadenceService {
  const s = ctx.services.cadence;
  if (!s) throw new Error('the cadence service is not wired into this bot');
  return s;
}

async function load(ctx: CommandContext, cadenceName: string): Promise<Cadence> {
  const rec = await service(ctx).store.cadences.get(cadenceName);
  if (!rec) throw new InputError(`there is no cadence "${cadenceName}" (see /cadence list)`);
  return rec.value;
}

function rules(ctx: CommandContext): SpecRules {
  const cfg = ctx.services.config();
  return {
    channels: { allowed: allowedChannels(cfg), here: { platform: ctx.event.platform, channelId: ctx.event.channel.id } },
    calendars: new Set(Object.keys(cfg.cadence.holidays)),
    environments: new Set(cfg.environments.map((e) => e.id)),
    templateExists: (t) => ctx.services.renderer.has(t),
  };
}

/** "Tue 8 Dec 2026, 10:00" in `zone`. */
function formatIn(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

function noteOf(o: Occurrence, c: Cadence): string | undefined {
  if (o.change === 'shifted') return `shifted for ${o.holiday ?? 'a holiday'}`;
  if (o.change === 'moved') return 'moved';
  const local = localPartsOf(o.at, c.zone);
  if (local.hour !== c.time.hour || local.minute !== c.time.minute) return `${formatTime(c.time)} does not exist that day in ${c.zone} (clocks change)`;
  return undefined;
}

const channelLabel = (ch: { platform: string; channelId: string }) => (ch.platform === 'slack' ? `<#${ch.channelId}>` : `${ch.platform}:${ch.channelId}`);

/** Apply parsed options to a cadence (create defaults or an edit). */
function applyOptions(c: Cadence, o: CadenceOptions): Cadence {
  const next: Cadence = { ...c };
  if (o.schedule !== undefined && o.rule !== undefined) {
    next.schedule = o.schedule;
    next.rule = o.rule;
  }
  if (o.time) next.time = o.time;
  if (o.zone) next.zone = o.zone;
  if (o.channels) next.channels = o.channels;
  if (o.kind) next.kind = o.kind;
  if (o.title) next.title = o.title;
  if (o.template) next.template = o.template;
  if (o.holidays !== undefined) next.holidays = o.holidays ?? undefined;
  if (o.reminders) next.reminders = o.reminders;
  if (o.blocking !== undefined) next.blocking = o.blocking;
  if (o.environments) next.environments = o.environments;
  if (o.invite) next.invite = o.invite;
  if (o.duration) next.duration = o.duration;
  if (o.start) next.start = o.start;
  return next;
}

function requireOccurs(ctx: CommandContext, c: Cadence): Occurrence[] {
  const next = service(ctx).upcoming(c, 5, ctx.now());
  if (next.length === 0) throw new InputError(`the schedule ${c.schedule} never occurs after today (check COUNT/UNTIL, the start date and skips); nothing was saved`);
  return next;
}

const create = defineCommand({
  name: 'create',
  summary: 'Create a cadence; shows the next five occurrences before saving',
  usage: 'create <name> <schedule> <HH:MM> [zone] [channels…] [kind=meeting|announcement|exercise] [title="…"] [holidays=<calendar>:skip|shift] [reminders=1d,1h] [blocking=yes] [env=…] [invite=pre,rele] [template=…]',
  examples: [
    '/cadence create platform-sync monthly 2nd tue 10:00 Europe/Berlin here kind=meeting',
    '/cadence create upgrade-window RRULE:FREQ=MONTHLY;BYDAY=-1FR 18:00 UTC blocking=yes',
  ],
  args: z.object({ name, spec: arg.rest({ hint: 'the schedule, time, zone, channels and options' }) }),
  positional: ['name', 'spec'],
  role: MANAGERS,
  mutates: true,
  async handler(ctx, args) {
    const svc = service(ctx);
    if (await svc.store.cadences.get(args.name)) throw new InputError(`a cadence named "${args.name}" already exists; pick another name or /cadence edit it`);
    const spec = parseCreateSpec(args.spec, rules(ctx));
    if (!spec.ok) throw new InputError(spec.problem);
    const cfg = ctx.services.config();
    const zone = spec.value.zone ?? ctx.caller.zone;
    const now = ctx.now();
    const base: Cadence = {
      name: args.name,
      kind: 'announcement',
      schedule: spec.value.schedule,
      rule: spec.value.rule,
      time: spec.value.time,
      zone,
      start: isoDate(localPartsOf(now, zone)),
      channels: [{ platform: ctx.event.platform, channelId: ctx.event.channel.id }],
      reminders: cfg.cadence.reminders,
      duration: '1h',
      blocking: false,
      environments: [],
      invite: [],
      paused: false,
      skips: [],
      moves: {},
      source: 'chat',
      createdBy: ctx.caller.person?.id ?? `${ctx.event.platform}:${ctx.event.user.id}`,
      createdAt: now.toISOString(),
      agenda: [],
    };
    const draft = applyOptions(base, spec.value);
    const next = requireOccurs(ctx, draft);
    const id = await svc.store.saveDraft(draft);
    return {
      ...ctx.reply('cadence/preview', {
        cadence: { name: draft.name, title: draft.title ?? draft.name, kind: draft.kind, schedule: draft.schedule, time: formatTime(draft.time), zone: draft.zone },
        holidays: draft.holidays,
        zone: ctx.caller.zone,
        next: next.map((o) => ({ when: formatIn(o.at, ctx.caller.zone), note: noteOf(o, draft) })),
        channels: draft.channels.map(channelLabel),
        reminders: draft.reminders,
        draft: id,
      }),
      // Nothing is saved until Confirm; the confirmation is what gets audited.
      changed: false,
    };
  },
});

const confirm = defineButton({
  actionId: 'cadenceConfirm',
  role: MANAGERS,
  mutates: true,
  async handler(ctx, value) {
    const svc = service(ctx);
    const draft = await svc.store.takeDraft(value);
    if (!draft) return { ...ctx.update('system/ok', { text: 'This preview has expired or was already used. Run /cadence create again.' }), changed: false };
    try {
      await svc.create(draft);
    } catch (e) {
      if (e instanceof RecordConflictError) return { ...ctx.update('system/ok', { text: `A cadence named "${draft.name}" was created meanwhile; nothing was saved.` }), changed: false };
      throw e;
    }
    const next = svc.upcoming(draft, 1, ctx.now())[0];
    return ctx.update('cadence/created', { cadence: { name: draft.name, title: draft.title ?? draft.name }, next: next?.at ?? new Date(draft.createdAt) });
  },
});

const discard = defineButton({
  actionId: 'cadenceDiscard',
  role: MANAGERS,
  mutates: false,
  async handler(ctx, value) {
    await service(ctx).store.takeDraft(value);
    return ctx.update('system/ok', { text: 'Discarded; nothing was saved.' });
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'List cadences and when each next happens',
  usage: 'list',
  examples: ['/cadence list'],
  args: z.object({}),
  positional: [],
  role: 'anyone',
  mutates: false,
  async handler(ctx) {
    const svc = service(ctx);
    const cadences = (await svc.store.cadences.list()).map(({ value: c }) => ({
      name: c.name,
      kind: c.kind,
      schedule: c.schedule,
      time: formatTime(c.time),
      zone: c.zone,
      paused: c.paused,
      blocking: c.blocking,
      next: c.paused ? undefined : svc.upcoming(c, 1, ctx.now())[0]?.at,
    }));
    return ctx.reply('cadence/list', { cadences });
  },
});

const show = defineCommand({
  name: 'show',
  summary: 'Show a cadence: next occurrences, last run, channels',
  usage: 'show <name>',
  examples: ['/cadence show platform-sync'],
  args: z.object({ name }),
  positional: ['name'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, args) {
    const svc = service(ctx);
    const c = await load(ctx, args.name);
    const last = await svc.lastOccurrence(c.name);
    return ctx.reply('cadence/show', {
      cadence: { name: c.name, title: c.title ?? c.name, kind: c.kind, schedule: c.schedule, time: formatTime(c.time), zone: c.zone, paused: c.paused, blocking: c.blocking },
      next: c.paused ? [] : svc.upcoming(c, 5, ctx.now()).map((o) => ({ at: o.at, note: noteOf(o, c) })),
      last: last ? { at: new Date(last.at), status: last.status, late: last.late } : undefined,
      channels: c.channels.map(channelLabel),
      reminders: c.reminders,
      holidays: c.holidays,
      environments: c.environments,
      agendaCount: String(c.agenda.length),
      actions: (last?.actions ?? []).filter((a) => !a.done).map((a) => ({ id: a.id, owner: a.owner, text: a.text })),
      source: c.source === 'config' ? 'configuration file' : `created in chat by ${c.createdBy}`,
    });
  },
});

/** The occurrence a user means by a date (local to the cadence), or the next one. */
function pickOccurrence(ctx: CommandContext, c: Cadence, date: string | undefined): Occurrence {
  const svc = service(ctx);
  if (date === undefined) {
    const next = svc.upcoming(c, 1, ctx.now())[0];
    if (!next) throw new InputError(`${c.name} has no upcoming occurrence`);
    return next;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
  const d = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
  if (!d || !isRealDate(d)) throw new InputError(`"${date}" is not a date (YYYY-MM-DD, in the cadence's zone ${c.zone})`);
  const o = occurrenceOnDate({ rule: c.rule, time: c.time, zone: c.zone, start: c.start, skips: c.skips, moves: c.moves, holidays: c.holidays ? { policy: c.holidays.policy, dates: svc.calendars()[c.holidays.calendar] ?? [] } : undefined }, d);
  if (!o) throw new InputError(`${c.name} has no occurrence on ${date} (${c.zone}); see /cadence show ${c.name}`);
  if (o.at.getTime() <= ctx.now().getTime()) throw new InputError(`the ${date} occurrence of ${c.name} has already happened`);
  return o;
}

const skip = defineCommand({
  name: 'skip',
  summary: 'Skip one occurrence (the next one, or the one on a date)',
  usage: 'skip <name> [date]',
  examples: ['/cadence skip platform-sync', '/cadence skip platform-sync 2026-12-08'],
  args: z.object({ name, date: arg.text({ hint: 'a date YYYY-MM-DD' }).optional() }),
  positional: ['name', 'date'],
  role: MANAGERS,
  mutates: true,
  async handler(ctx, args) {
    const c = await load(ctx, args.name);
    const o = pickOccurrence(ctx, c, args.date);
    const moves = { ...c.moves };
    delete moves[o.id];
    await service(ctx).change(c.name, (cur) => ({ ...cur, skips: [...new Set([...cur.skips, o.id])], moves }));
    return ctx.ok(`Skipped ${c.name} on ${formatIn(o.at, ctx.caller.zone)} (${ctx.caller.zone}).`);
  },
});

const move = defineCommand({
  name: 'move',
  summary: 'Move one occurrence to another date and time (read in your zone)',
  usage: 'move <name> <date> <new date and time>',
  examples: ['/cadence move platform-sync 2026-12-08 "2026-12-09 14:00"'],
  args: z.object({ name, date: arg.text({ hint: 'the date of the occurrence to move, YYYY-MM-DD' }), to: arg.when() }),
  positional: ['name', 'date', 'to'],
  role: MANAGERS,
  mutates: true,
  async handler(ctx, args) {
    const c = await load(ctx, args.name);
    const o = pickOccurrence(ctx, c, args.date);
    const to = resolveWhen(args.to, ctx.caller.zone, ctx.now());
    if (to.getTime() <= ctx.now().getTime()) throw new InputError(`the new time ${formatIn(to, ctx.caller.zone)} is in the past`);
    await service(ctx).change(c.name, (cur) => ({ ...cur, moves: { ...cur.moves, [o.id]: to.toISOString() }, skips: cur.skips.filter((s) => s !== o.id) }));
    return ctx.ok(`Moved ${c.name} from ${formatIn(o.at, ctx.caller.zone)} to ${formatIn(to, ctx.caller.zone)} (${ctx.caller.zone}).`);
  },
});

function toggle(nameOf: 'pause' | 'resume') {
  return defineCommand({
    name: nameOf,
    summary: nameOf === 'pause' ? 'Pause a cadence: nothing is posted until it is resumed' : 'Resume a paused cadence',
    usage: `${nameOf} <name>`,
    examples: [`/cadence ${nameOf} platform-sync`],
    args: z.object({ name }),
    positional: ['name'],
    role: MANAGERS,
    mutates: true,
    async handler(ctx, args) {
      const c = await load(ctx, args.name);
      const paused = nameOf === 'pause';
      if (c.paused === paused) return { ...ctx.ok(`${c.name} is already ${paused ? 'paused' : 'running'}.`), changed: false };
      await service(ctx).change(c.name, (cur) => ({ ...cur, paused }));
      return ctx.ok(paused ? `Paused ${c.name}.` : `Resumed ${c.name}.`);
    },
  });
}

const remove = defineCommand({
  name: 'delete',
  summary: 'Delete a cadence created in chat (config cadences are removed from the file)',
  usage: 'delete <name>',
  examples: ['/cadence delete platform-sync'],
  args: z.object({ name }),
  positional: ['name'],
  role: MANAGERS,
  mutates: true,
  async handler(ctx, args) {
    const c = await load(ctx, args.name);
    if (c.source === 'config') throw new InputError(`${c.name} is declared in the configuration file; remove it there (or /cadence pause it)`);
    await service(ctx).remove(c.name);
    return ctx.ok(`Deleted ${c.name}; its pending reminders and announcement are cancelled.`);
  },
});

const edit = defineCommand({
  name: 'edit',
  summary: 'Change a cadence: schedule, time, zone, channels, reminders, holidays, …',
  usage: 'edit <name> key=value… (schedule, time, zone, channels, kind, title, template, holidays, reminders, blocking, env, invite, duration)',
  examples: ['/cadence edit platform-sync time=11:00 reminders=1d', '/cadence edit platform-sync schedule="monthly last thu"'],
  args: z.object({ name, spec: arg.rest({ hint: 'key=value options' }) }),
  positional: ['name', 'spec'],
  role: MANAGERS,
  mutates: true,
  async handler(ctx, args) {
    const c = await load(ctx, args.name);
    if (c.source === 'config') throw new InputError(`${c.name} is declared in the configuration file; change it there`);
    const spec = parseEditSpec(args.spec, rules(ctx));
    if (!spec.ok) throw new InputError(spec.problem);
    const edited = applyOptions(c, spec.value);
    requireOccurs(ctx, edited);
    await service(ctx).change(c.name, (cur) => applyOptions(cur, spec.value));
    return ctx.ok(`Updated ${c.name}.`);
  },
});

const agenda = defineCommand({
  name: 'agenda',
  summary: 'Agenda: view, add an item for the next occurrence, mark covered, carry over uncovered items',
  usage: 'agenda <name> | agenda add <name> <item> | agenda covered <name> <n> | agenda carry <name>',
  examples: ['/cadence agenda platform-sync', '/cadence agenda add platform-sync "Redis 7 upgrade plan"', '/cadence agenda carry platform-sync'],
  args: z.object({ first: z.string(), second: z.string().optional(), item: arg.rest().optional() }),
  positional: ['first', 'second', 'item'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, args) {
    const svc = service(ctx);
    const action = ['add', 'covered', 'carry'].includes(args.first) ? args.first : 'view';
    const cadenceName = action === 'view' ? args.first : args.second;
    if (!cadenceName || !CADENCE_NAME.test(cadenceName)) throw new InputError('name the cadence');
    const c = await load(ctx, cadenceName);
    const by = ctx.caller.person?.id ?? `${ctx.event.platform}:${ctx.event.user.id}`;
    if (action === 'view') {
      if (args.second !== undefined) throw new InputError(`unexpected "${args.second}"`);
      const last = await svc.lastOccurrence(c.name);
      return {
        ...ctx.reply('cadence/agenda', {
          cadence: { name: c.name, title: c.title ?? c.name },
          items: c.agenda.map((a) => a.text),
          next: c.paused ? undefined : svc.upcoming(c, 1, ctx.now())[0]?.at,
          archived: last?.agenda ?? [],
          archivedAt: last ? new Date(last.at) : undefined,
        }),
        changed: false,
      };
    }
    if (action === 'add') {
      if (!args.item) throw new InputError('write the agenda item after the cadence name');
      if (c.agenda.length >= 50) throw new InputError('the agenda already has 50 items');
      const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      await svc.store.cadences.update(c.name, (cur) => ({ ...cur, agenda: [...cur.agenda, { id, text: args.item!, by, at: ctx.now().toISOString() }] }));
      return ctx.ok(`Added to the agenda of ${c.name} (${c.agenda.length + 1} item${c.agenda.length === 0 ? '' : 's'}).`);
    }
    if (!ctx.may(MANAGERS)) throw new ForbiddenError('You need the manager, pre or admin role to change an archived agenda.');
    const last = await svc.lastOccurrence(c.name);
    if (!last) throw new InputError(`${c.name} has no past occurrence yet`);
    if (action === 'covered') {
      const n = Number(args.item);
      if (!Number.isInteger(n) || n < 1 || n > last.agenda.length) throw new InputError(`give the item number, 1 to ${last.agenda.length}`);
      await svc.store.occurrences.update(`${c.name}.${last.occurrence}`, (s) => ({ ...s, agenda: s.agenda.map((a, i) => (i === n - 1 ? { ...a, covered: true } : a)) }));
      return ctx.ok(`Marked item ${n} covered.`);
    }
    const carry = last.agenda.filter((a) => !a.covered);
    if (carry.length === 0) return { ...ctx.ok('Every item of the last occurrence was covered; nothing to carry over.'), changed: false };
    let added = 0;
    await svc.store.cadences.update(c.name, (cur) => {
      const have = new Set(cur.agenda.map((a) => a.id));
      const fresh = carry.filter((a) => !have.has(a.id)).map(({ covered: _c, ...a }) => a);
      added = fresh.length;
      return { ...cur, agenda: [...fresh, ...cur.agenda] };
    });
    if (added === 0) return { ...ctx.ok(`The uncovered items are already on the next ${c.name} agenda.`), changed: false };
    return ctx.ok(`Carried ${added} item${added === 1 ? '' : 's'} over to the next ${c.name}.`);
  },
});

const notes = defineCommand({
  name: 'notes',
  summary: 'Add notes (or lessons learned) to the last occurrence; posted to its channels',
  usage: 'notes <name> <text>',
  examples: ['/cadence notes platform-sync "Decided: Redis 7 in January"'],
  args: z.object({ name, text: arg.rest({ max: 3000 }) }),
  positional: ['name', 'text'],
  role: PARTICIPANTS,
  mutates: true,
  async handler(ctx, args) {
    const svc = service(ctx);
    const c = await load(ctx, args.name);
    const last = await svc.lastOccurrence(c.name);
    if (!last) throw new InputError(`${c.name} has not happened yet; notes go on a past occurrence`);
    const by = ctx.caller.person?.id ?? `${ctx.event.platform}:${ctx.event.user.id}`;
    const saved = await svc.store.occurrences.update(`${c.name}.${last.occurrence}`, (s) => ({ ...s, notes: [...s.notes, { text: args.text, by, at: ctx.now().toISOString() }] }));
    const message = ctx.render('cadence/notes', { cadence: { name: c.name, title: c.title ?? c.name, kind: c.kind }, at: new Date(last.at), text: args.text, by: ctx.event.user });
    const key = `cadence-${c.name}-${last.occurrence}-n${saved.value.notes.length}`;
    // Lessons learned from an exercise also go to everyone who said they would take part.
    const participants = c.kind === 'exercise' ? Object.values(saved.value.rsvp).filter((r) => r.choice !== 'not-going' && r.user && r.user.platform !== 'console') : [];
    await ctx.services.deliveries?.enqueue([
      ...c.channels.map((target) => ({ key, revision: 1, target, message })),
      ...participants.map((r) => ({ key, revision: 1, target: { platform: r.user!.platform, userId: r.user!.id }, message })),
    ]);
    return ctx.ok(`Notes added to ${c.name} of ${formatIn(new Date(last.at), ctx.caller.zone)} and posted to its channels.`);
  },
});

const action = defineCommand({
  name: 'action',
  summary: 'Add an action item to the last occurrence; its owner is reminded daily until done',
  usage: 'action <name> <@owner> [due=<when>] <text>',
  examples: ['/cadence action platform-sync @alice due="2026-12-15 17:00" Write the Redis 7 plan'],
  args: z.object({ name, owner: arg.user(), due: arg.when().optional(), text: arg.rest({ max: 500 }) }),
  positional: ['name', 'owner', 'text'],
  role: PARTICIPANTS,
  mutates: true,
  async handler(ctx, args) {
    const svc = service(ctx);
    const c = await load(ctx, args.name);
    const last = await svc.lastOccurrence(c.name);
    if (!last) throw new InputError(`${c.name} has not happened yet; action items come from a past occurrence`);
    let owner: string;
    if (args.owner.platform === 'slack' && args.owner.id) owner = `slack:${args.owner.id}`;
    else if (args.owner.id) {
      if (!ctx.services.directory().person(args.owner.id)) throw new InputError(`there is no person "${args.owner.id}" in the configuration`);
      owner = `person:${args.owner.id}`;
    } else owner = ctx.services.directory().person(args.owner.name!) ? `person:${args.owner.name}` : `${ctx.event.platform}:${args.owner.name}`;
    const due = args.due ? resolveWhen(args.due, ctx.caller.zone, ctx.now()) : undefined;
    if (due && due.getTime() <= ctx.now().getTime()) throw new InputError('the due time is in the past');
    // First reminder a day from now, or at the due time if that comes sooner.
    const tomorrow = new Date(ctx.now().getTime() + 86_400_000);
    const first = due && due.getTime() < tomorrow.getTime() ? due : tomorrow;
    const by = ctx.caller.person?.id ?? `${ctx.event.platform}:${ctx.event.user.id}`;
    const item = await svc.addAction(c.name, last.occurrence, { owner, text: args.text, due, by }, first);
    return ctx.ok(`Action item ${item.id} added to ${c.name}; reminders go to its channels daily until /cadence done ${c.name} ${item.id}.`);
  },
});

const done = defineCommand({
  name: 'done',
  summary: 'Mark an action item done (stops its reminders)',
  usage: 'done <name> <action id>',
  examples: ['/cadence done platform-sync 20261208T1000-1'],
  args: z.object({ name, id: z.string().regex(/^\d{8}T\d{4}-\d{1,3}$/, { error: 'action ids look like 20261208T1000-1' }) }),
  positional: ['name', 'id'],
  role: PARTICIPANTS,
  mutates: true,
  async handler(ctx, args) {
    const c = await load(ctx, args.name);
    const item = await service(ctx).completeAction(c.name, args.id);
    if (!item) throw new InputError(`${c.name} has no action item ${args.id}`);
    return ctx.ok(`Action item ${args.id} of ${c.name} is done.`);
  },
});

function rsvpButton(actionId: string, choice: RsvpChoice) {
  return defineButton({
    actionId,
    role: 'anyone',
    mutates: true,
    async handler(ctx, value) {
      const [cadenceName = '', occurrence = ''] = value.split('~');
      const key = ctx.caller.person ? `person:${ctx.caller.person.id}` : `${ctx.event.platform}:${ctx.event.user.id}`;
      const displayName = ctx.caller.person?.name ?? ctx.event.user.name ?? ctx.event.user.id;
      const state = await service(ctx).rsvp(cadenceName, occurrence, { key, name: displayName, roles: [...ctx.caller.roles], user: { platform: ctx.event.platform, id: ctx.event.user.id } }, choice);
      if (!state) return { ...ctx.ok('This occurrence is no longer open for answers.'), changed: false };
      const c = await load(ctx, cadenceName);
      return ctx.reply('cadence/rsvp', { choice: choice.replace('-', ' '), cadence: { title: c.title ?? c.name }, at: new Date(state.at) });
    },
  });
}

export const cadenceFamily = defineFamily({
  name: 'cadence',
  aliases: ['/cadence'],
  summary: 'Recurring announcements, meetings and resiliency exercises, DST-safe and holiday-aware',
  commands: [create, list, show, skip, move, toggle('pause'), toggle('resume'), remove, edit, agenda, notes, action, done],
  buttons: [confirm, discard, rsvpButton('cadenceGoing', 'going'), rsvpButton('cadenceMaybe', 'maybe'), rsvpButton('cadenceNotGoing', 'not-going')],
});
