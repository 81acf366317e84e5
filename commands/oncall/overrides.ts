/**
 * `/oncall override` and `leave`, and the "I'll cover it" button on gap announcements: putting
 * someone on duty for a while (a cover) and taking someone off it (leave).
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand } from '../../src/dispatch/define.js';
import type { ButtonDecl, CommandDecl } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { listWords, possessive } from '../../src/domain/wording.js';
import { checkLength } from '../../src/domain/limits.js';
import { isMemberOf } from '../../src/services/oncall/membership.js';
import { isManagerOf, memberNow, personOf, range, remembered, rotationOf } from './shared.js';

const overrideCmd = defineCommand({
  name: 'override',
  summary: 'Put someone on duty for a team from one time to another (a cover); later overrides win',
  usage: 'override <team> <user> <from> <to> [slot=<layer>]',
  examples: ['/oncall override payments @bob "2026-12-01 09:00" "2026-12-01 17:00"', '/oncall override payments @alice now "in 4h" slot=secondary'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }), user: arg.user(), from: arg.when(), to: arg.when(), slot: arg.text({ max: 63, hint: 'a layer slot such as primary or secondary' }).optional() }),
  positional: ['team', 'user', 'from', 'to'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, args) {
    const svc = await remembered(ctx);
    const { entry, team } = rotationOf(ctx, args.team);
    const person = personOf(ctx, args.user);
    if (!(await memberNow(ctx, team, person.id))) throw new InputError(`${person.name} (${person.id}) is not a member of team ${team.id}; only members can cover its duty.`);
    const self = ctx.caller.person?.id === person.id;
    if (!isManagerOf(ctx, team) && !(self && ctx.caller.person && (await memberNow(ctx, team, ctx.caller.person.id)))) {
      throw new ForbiddenError(`Only ${possessive(team.name)} managers (${listWords(team.managers.map((m) => ctx.services.directory().person(m)?.name ?? m), 'none configured')}) or an admin may put someone else on duty; members may cover themselves.`);
    }
    const { from, to } = range(ctx, args.from, args.to, { future: true });
    const now = ctx.now();
    const decl = await svc.declAt(entry.id, from);
    const slots = decl ? [...new Set(decl.layers.map((l) => l.slot ?? l.name))] : ['primary'];
    const slot = args.slot ?? slots[0] ?? 'primary';
    if (!slots.includes(slot)) throw new InputError(`Team ${team.id} has no layer slot "${slot}"; its slots are ${slots.join(', ')}.`);
    const o = await svc.addOverride(entry.id, { slot, person: person.id, from, to, by: ctx.caller.person?.id ?? ctx.caller.user.id }, now);
    return ctx.reply('oncall/override-saved', { team: team.name, slot, person: `person:${person.id}`, from, to, id: o.id });
  },
});

const leaveCmd = defineCommand({
  name: 'leave',
  summary: 'Record leave: the person keeps their place in every queue and serves first when back',
  usage: 'leave <user> <from> <to>',
  examples: ['/oncall leave @alice 2026-12-20 2027-01-03', '/oncall leave @bob "tomorrow 09:00" "fri 18:00"'],
  args: z.object({ user: arg.user(), from: arg.when(), to: arg.when() }),
  positional: ['user', 'from', 'to'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, args) {
    const svc = await remembered(ctx);
    const person = personOf(ctx, args.user);
    const teams = ctx.services.config().teams.filter((t) => isMemberOf(t, person.id));
    const self = ctx.caller.person?.id === person.id;
    if (!self && !ctx.caller.roles.has('admin') && !teams.some((t) => ctx.caller.person && t.managers.includes(ctx.caller.person.id))) {
      throw new ForbiddenError(`Only ${person.name} themselves, a manager of one of their teams or an admin may record their leave.`);
    }
    const { from, to } = range(ctx, args.from, args.to, { future: true });
    checkLength('leave', from, to, ctx.services.config().limits, ctx.caller.zone);
    const leave = await svc.addLeave(person.id, from, to, 'leave', ctx.now(), ctx.caller.person?.id ?? ctx.caller.user.id);
    return ctx.reply('oncall/leave-saved', { person: `person:${person.id}`, from, to, teams: listWords(teams.map((t) => t.name), ''), again: leave.existed === true });
  },
});

/** "I'll cover it" on a gap announcement: the clicker takes the rest of the gap as an override. */
const coverButton = defineButton({
  actionId: 'oncallcover',
  role: 'anyone',
  mutates: true,
  async handler(ctx, value) {
    const svc = await remembered(ctx);
    const [rotationId = '', slot = '', startRaw = '', endRaw = ''] = value.split('|');
    const entry = svc.entry(rotationId);
    const team = entry ? svc.team(entry.team) : undefined;
    const start = Number(startRaw);
    const end = Number(endRaw);
    if (!entry || !team || !Number.isFinite(start) || !Number.isFinite(end)) throw new InputError('That cover request is no longer valid (the rotation changed).');
    const me = ctx.caller.person;
    if (!me || !(await memberNow(ctx, team, me.id))) throw new ForbiddenError(`Only members of ${team.name} can take its cover requests.`);
    const now = ctx.now();
    const from = new Date(Math.max(start, now.getTime()));
    if (end <= from.getTime()) return { ...ctx.info('That gap is over already.'), changed: false };
    // Someone may have been quicker: take only what is still a gap.
    const segs = await svc.segments(entry.id, from, new Date(end), now);
    const open = segs.filter((s) => s.slot === slot && s.person === null);
    if (open.length === 0) {
      const taker = segs.find((s) => s.slot === slot && s.person !== null)?.person;
      return { ...ctx.update('oncall/cover-taken', { team: team.name, slot, person: taker ? `person:${taker}` : null }), changed: false };
    }
    for (const g of open) await svc.addOverride(entry.id, { slot, person: me.id, from: g.start, to: g.end, by: me.id, reason: 'cover' }, now);
    return ctx.update('oncall/cover-taken', { team: team.name, slot, person: `person:${me.id}` });
  },
});

/** The cover and leave commands, in help order. */
export const overrideCommands: CommandDecl<any>[] = [overrideCmd, leaveCmd];
export const overrideButtons: ButtonDecl[] = [coverButton];
