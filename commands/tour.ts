/**
 * `/tour …` (also `/day2 tour …`): tours of duty. A manager sends someone to a host team for a
 * while; meanwhile they are away from their home teams' rotations (their place is kept) and it
 * reverts by itself at the end. Assigning, ending and extending take a manager of the host team or
 * of one of the person's teams, or an admin.
 */
import { z } from 'zod';
import type { Person, Team } from '../src/config.js';
import { sortOutCandidates, suggestTourCandidate } from '../src/domain/tour/suggest.js';
import { arg, type UserArg } from '../src/dispatch/args.js';
import { defineButton, defineCommand, defineFamily, defineForm } from '../src/dispatch/define.js';
import { resolvePerson } from '../src/dispatch/lookup.js';
import type { CommandContext } from '../src/dispatch/types.js';
import { ForbiddenError, InputError, dated } from '../src/errors.js';
import { checkLength } from '../src/domain/limits.js';
import { isMemberOf } from '../src/services/oncall/membership.js';
import type { TourService } from '../src/services/tour/service.js';
import type { Tour } from '../src/store/tour/store.js';
import { resolveWhen } from '../src/time/when.js';

const PAST_SLACK_MS = 5 * 60_000;

function tours(ctx: CommandContext): TourService {
  const s = ctx.services.tours;
  if (!s) throw new Error('the tours service is not wired into this bot');
  return s;
}

function teamOf(ctx: CommandContext, id: string): Team {
  const cfg = ctx.services.config();
  const t = cfg.teams.find((x) => x.id === id.toLowerCase());
  if (!t) throw new InputError(`Unknown team "${id}". Teams: ${cfg.teams.map((x) => x.id).join(', ') || 'none'}.`);
  return t;
}

function personOf(ctx: CommandContext, ref: UserArg): Person {
  const p = resolvePerson(ref, ctx.services.directory(), ctx.event.platform);
  const raw = ref.name ?? ref.id ?? 'that user';
  if (!p) throw new InputError(`Unknown user "${raw.startsWith('@') ? raw : `@${raw}`}": they are not in Day2's people directory.`);
  return p;
}

/** Membership by the config: a tour goes from the home teams to a team the person is not in. */
const inTeam = isMemberOf;

/** Managers of the host team or of one of the person's teams, or an admin. */
function mayManage(ctx: CommandContext, person: string, host: string): void {
  if (ctx.caller.roles.has('admin')) return;
  const me = ctx.caller.person?.id;
  const teams = ctx.services.config().teams.filter((t) => t.id === host || inTeam(t, person));
  if (me && teams.some((t) => t.managers.includes(me))) return;
  throw new ForbiddenError(`Only a manager of ${host} or of ${person}'s teams, or an admin, may do this.`);
}

const row = (ctx: CommandContext, t: Tour) => ({
  id: t.id,
  person: `person:${t.person}`,
  host: ctx.services.config().teams.find((x) => x.id === t.host)?.name ?? t.host,
  from: new Date(t.from),
  to: new Date(t.to),
  goal: t.goal ?? null,
});

const assign = defineCommand({
  name: 'assign',
  summary: 'Send someone on a tour of duty with a host team (away from their own rotations meanwhile)',
  usage: 'assign <user> <team> <from> <to> [goal]',
  examples: ['/tour assign @alice infra 2026-12-01 2026-12-22 Learn the deploy pipeline'],
  args: z.object({ user: arg.user(), team: arg.text({ max: 63, hint: 'the host team id' }), from: arg.when(), to: arg.when(), goal: arg.rest({ max: 500 }).optional() }),
  positional: ['user', 'team', 'from', 'to', 'goal'],
  role: ['manager', 'admin'],
  mutates: true,
  async handler(ctx, args) {
    const person = personOf(ctx, args.user);
    const host = teamOf(ctx, args.team);
    mayManage(ctx, person.id, host.id);
    if (inTeam(host, person.id)) throw new InputError(`${person.name} is already a member of ${host.name}; a tour goes to another team.`);
    const now = ctx.now();
    const from = resolveWhen(args.from, ctx.caller.zone, now);
    const to = resolveWhen(args.to, ctx.caller.zone, now);
    if (to.getTime() <= from.getTime()) throw new InputError(dated`"to" (${to}) must be after "from" (${from}).`);
    if (from.getTime() < now.getTime() - PAST_SLACK_MS) throw new InputError(dated`That starts in the past (${from}); tours are assigned ahead or from now.`);
    checkLength('tour', from, to, ctx.services.config().limits, ctx.caller.zone);
    const svc = tours(ctx);
    const clash = (await svc.current(now)).find((t) => t.person === person.id && Date.parse(t.from) < to.getTime() && Date.parse(t.to) > from.getTime());
    if (clash) throw new InputError(`${person.name} is already on a tour with ${ctx.services.config().teams.find((t) => t.id === clash.host)?.name ?? clash.host} then (tour ${clash.id}); end or change that one first.`);
    const t = await svc.assign({ person: person.id, host: host.id, from, to, ...(args.goal ? { goal: args.goal } : {}), assignedBy: ctx.caller.person?.id ?? ctx.caller.user.id }, now);
    return ctx.reply('tour/assigned', row(ctx, t));
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'Tours of duty running now or ahead',
  usage: 'list',
  examples: ['/tour list'],
  args: z.object({}),
  positional: [],
  role: 'anyone',
  mutates: false,
  async handler(ctx) {
    const rows = (await tours(ctx).current(ctx.now())).map((t) => row(ctx, t));
    return ctx.reply('tour/list', { tours: rows });
  },
});

async function tourOf(ctx: CommandContext, ref: UserArg): Promise<{ person: Person; tour: Tour }> {
  const person = personOf(ctx, ref);
  const tour = await tours(ctx).activeFor(person.id, ctx.now());
  if (!tour) throw new InputError(`${person.name} has no tour running or ahead.`);
  mayManage(ctx, person.id, tour.host);
  return { person, tour };
}

const end = defineCommand({
  name: 'end',
  summary: 'End a tour of duty now (the person is back in their rotations at once)',
  usage: 'end <user>',
  examples: ['/tour end @alice'],
  args: z.object({ user: arg.user() }),
  positional: ['user'],
  role: ['manager', 'admin'],
  mutates: true,
  async handler(ctx, args) {
    const { tour } = await tourOf(ctx, args.user);
    const now = ctx.now();
    const t = await tours(ctx).moveEnd(tour, now, now);
    // A tour ended before it began never took the person away: say it is called off, not over.
    return ctx.reply('tour/changed', { ...row(ctx, t), ended: true, notStarted: Date.parse(tour.from) > now.getTime() });
  },
});

const extend = defineCommand({
  name: 'extend',
  summary: 'Move the end of a tour of duty',
  usage: 'extend <user> <to>',
  examples: ['/tour extend @alice 2027-01-15'],
  args: z.object({ user: arg.user(), to: arg.when() }),
  positional: ['user', 'to'],
  role: ['manager', 'admin'],
  mutates: true,
  async handler(ctx, args) {
    const { tour } = await tourOf(ctx, args.user);
    const now = ctx.now();
    const to = resolveWhen(args.to, ctx.caller.zone, now);
    if (to.getTime() <= Math.max(now.getTime(), Date.parse(tour.from))) throw new InputError(dated`The new end (${to}) must be after the tour's start and after now; use /tour end to stop it now.`);
    checkLength('tour', new Date(tour.from), to, ctx.services.config().limits, ctx.caller.zone);
    const t = await tours(ctx).moveEnd(tour, to, now);
    return ctx.reply('tour/changed', { ...row(ctx, t), ended: false, notStarted: false });
  },
});

const suggest = defineCommand({
  name: 'suggest',
  summary: 'The fairest person to send on a tour with a team: longest since their last tour, not away or on duty',
  usage: 'suggest <team>',
  examples: ['/tour suggest infra'],
  args: z.object({ team: arg.text({ max: 63, hint: 'the host team id' }) }),
  positional: ['team'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, args) {
    const host = teamOf(ctx, args.team);
    const now = ctx.now();
    const cfg = ctx.services.config();
    const oncall = ctx.services.oncall;
    const people = [...new Set(cfg.teams.filter((t) => t.id !== host.id).flatMap((t) => t.members))].filter((p) => !inTeam(host, p));
    const all = await tours(ctx).all();
    const onDuty = new Set<string>();
    if (oncall) for (const e of oncall.entries()) for (const d of await oncall.duty(e.id, now)) if (d.current?.person) onDuty.add(d.current.person);
    const away = oncall ? await oncall.absentAt(people, now) : new Set<string>();
    const candidates = people.map((p) => {
      const mine = all.filter((t) => t.person === p);
      const onTour = mine.some((t) => Date.parse(t.from) <= now.getTime() && Date.parse(t.to) > now.getTime());
      const past = mine.filter((t) => Date.parse(t.to) <= now.getTime()).map((t) => Date.parse(t.to));
      return { person: p, onTour, onLeave: away.has(p) && !onTour, onDuty: onDuty.has(p), ...(past.length ? { lastTourEnd: new Date(Math.max(...past)) } : {}) };
    });
    const s = suggestTourCandidate(candidates);
    return ctx.reply('tour/suggest', { host: host.name, person: s ? `person:${s.person}` : null, reason: s?.reason ?? null, lastTourEnd: s?.lastTourEnd ?? null, considered: s?.considered ?? candidates.length, skipped: s?.skipped ?? sortOutCandidates(candidates).skipped });
  },
});

/** The lessons-learned questionnaire, opened from the button on the end-of-tour DM. */
const lessonsForm = defineForm({
  formId: 'tourlessons',
  role: 'anyone',
  mutates: true,
  schema: z.object({ well: z.string().trim().min(1, { error: 'tell us one thing' }).max(1500), change: z.string().trim().min(1, { error: 'tell us one thing' }).max(1500) }),
  async handler(ctx, values, state) {
    const t = (await tours(ctx).all()).find((x) => x.id === state);
    if (!t) throw new InputError('That tour no longer exists.');
    if (ctx.caller.person?.id !== t.person) throw new ForbiddenError('Only the person who was on the tour can answer its questionnaire.');
    await tours(ctx).lessons(t.id, values, ctx.now());
    return ctx.ok('Thanks! Your answers went to both teams.');
  },
});

const lessonsButton = defineButton({
  actionId: 'tourlessons',
  role: 'anyone',
  mutates: false,
  async handler(ctx, value) {
    await ctx.openForm({
      formId: 'tourlessons',
      title: 'Lessons learned',
      submitLabel: 'Share',
      introduction: 'Your answers are posted to your home team and the host team.',
      state: value,
      fields: [
        { name: 'well', label: 'What went well?', type: 'textarea', required: true, maxLength: 1500 },
        { name: 'change', label: 'What should change?', type: 'textarea', required: true, maxLength: 1500 },
      ],
    });
    return {};
  },
});

export const tourFamily = defineFamily({
  name: 'tour',
  aliases: ['/tour'],
  summary: 'Tours of duty: someone joins another team for a while, away from their own rotations',
  commands: [assign, list, end, extend, suggest],
  buttons: [lessonsButton],
  forms: [lessonsForm],
});
