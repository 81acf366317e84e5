/**
 * After an occurrence: `/cadence notes` (posted to its channels, and for exercises to those who
 * took part), `/cadence action` (an action item whose owner is reminded daily) and `/cadence done`.
 */
import { z } from 'zod';
import { arg, type UserArg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import { resolveWhen } from '../../src/time/when.js';
import { callerId, formatIn, load, name, PARTICIPANTS, service } from './shared.js';

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
    const by = callerId(ctx);
    const saved = await svc.store.occurrences.update(`${c.name}.${last.occurrence}`, (s) => ({ ...s, notes: [...s.notes, { text: args.text, by, at: ctx.now().toISOString() }] }));
    const message = ctx.render('cadence/notes', { cadence: { name: c.name, title: c.title ?? c.name, kind: c.kind }, at: new Date(last.at), text: args.text, by: ctx.caller.person ? `person:${ctx.caller.person.id}` : ctx.event.user });
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

/** The stored owner of an action item: a Slack user, a configured person, or platform:name. */
function actionOwner(ctx: CommandContext, owner: UserArg): string {
  if (owner.platform === 'slack' && owner.id) return `slack:${owner.id}`;
  if (owner.id) {
    if (!ctx.services.directory().person(owner.id)) throw new InputError(`there is no person "${owner.id}" in the configuration`);
    return `person:${owner.id}`;
  }
  if (ctx.services.directory().person(owner.name!)) return `person:${owner.name}`;
  // The console has no users of its own: a name that is no person would own nothing, reminded nowhere.
  if (ctx.event.platform === 'console') throw new InputError(`there is no person "${owner.name}" in the configuration`);
  return `${ctx.event.platform}:${owner.name}`;
}

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
    const owner = actionOwner(ctx, args.owner);
    const due = args.due ? resolveWhen(args.due, ctx.caller.zone, ctx.now()) : undefined;
    if (due && due.getTime() <= ctx.now().getTime()) throw new InputError('the due time is in the past');
    // First reminder a day from now, or at the due time if that comes sooner.
    const tomorrow = new Date(ctx.now().getTime() + 86_400_000);
    const first = due && due.getTime() < tomorrow.getTime() ? due : tomorrow;
    const item = await svc.addAction(c.name, last.occurrence, { owner, text: args.text, due, by: callerId(ctx) }, first);
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

export const followUpCommands: CommandDecl<any>[] = [notes, action, done];
