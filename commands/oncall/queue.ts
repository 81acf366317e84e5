/**
 * `/oncall add` and `remove`, and their Confirm button: changing who is in a rotation queue.
 * The command only previews every turn that moves; the change happens on Confirm, which checks
 * again, saves, tells everyone whose turns moved and asks the team to cover a gap it opens now.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { previewEdit, queueAt } from '../../src/domain/oncall/edit-preview.js';
import { rotationSeams, seamDates } from '../../src/domain/oncall/overlap-warnings.js';
import { arg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand } from '../../src/dispatch/define.js';
import type { ButtonDecl, CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { listWords, possessive } from '../../src/domain/wording.js';
import type { OncallService } from '../../src/services/oncall/service.js';
import { dm, isManagerOf, memberNow, personOf, remembered, rotationOf } from './shared.js';
import { channelTargets } from '../../src/domain/channels.js';

/** Checks shared by add/remove and their confirmation; returns the edit and the turns it moves. */
async function planEdit(ctx: CommandContext, svc: OncallService, teamId: string, who: string, kind: 'add' | 'remove', layerName: string | undefined, at: Date) {
  const { entry, team } = rotationOf(ctx, teamId);
  if (!isManagerOf(ctx, team)) throw new ForbiddenError(`Only ${possessive(team.name)} managers (${listWords(team.managers.map((m) => ctx.services.directory().person(m)?.name ?? m), 'none configured')}) or an admin may change its queue.`);
  const person = ctx.services.config().people.find((p) => p.id === who);
  if (!person) throw new InputError(`Unknown user "${who}".`);
  if (!(await memberNow(ctx, team, person.id))) throw new InputError(`${person.name} (${person.id}) is not a member of team ${team.id}; add them to the team in the config first (or send them on a tour of duty).`);
  const input = await svc.schedule(entry.id, at);
  const decl = input.versions.length ? input.versions[input.versions.length - 1]!.decl : undefined;
  const layers = [...(decl?.layers ?? [])].sort((a, b) => a.precedence - b.precedence);
  const layer = layerName ?? layers[0]?.name ?? 'primary';
  if (!layers.some((l) => l.name === layer)) throw new InputError(`Team ${team.id} has no layer "${layer}"; its layers are ${layers.map((l) => l.name).join(', ')}.`);
  const queue = queueAt(input, layer, at);
  if (kind === 'add' && queue.includes(person.id)) throw new InputError(`${person.name} is already in the ${layer} queue of ${team.id}.`);
  if (kind === 'remove' && !queue.includes(person.id)) throw new InputError(`${person.name} is not in the ${layer} queue of ${team.id}.`);
  const edit = { id: randomUUID().slice(0, 8), layer, person: person.id, kind, at };
  // Layers in different zones overlap or leave a gap on the weeks their clocks differ: show it here too.
  const seams = decl ? rotationSeams(decl, at).map((g) => ({ ...g, dates: seamDates(g.dates), count: g.dates.length })) : [];
  return { entry, team, person, edit, moved: previewEdit(input, edit), seams };
}

function editCommand(kind: 'add' | 'remove') {
  return defineCommand({
    name: kind,
    summary: kind === 'add' ? 'Add someone to the back of a rotation queue (shows every turn that moves first)' : 'Take someone out of a rotation queue (shows every turn that moves first)',
    usage: `${kind} <team> <user> [layer=<name>]`,
    examples: [`/oncall ${kind} payments @bob`, `/oncall ${kind} payments @bob layer=secondary`],
    args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }), user: arg.user(), layer: arg.text({ max: 63, hint: 'a layer name such as primary' }).optional() }),
    positional: ['team', 'user'],
    role: 'anyone',
    // Only the preview here; the change happens on Confirm (that click is audited).
    mutates: false,
    async handler(ctx, args) {
      const svc = await remembered(ctx);
      const person = personOf(ctx, args.user);
      const p = await planEdit(ctx, svc, args.team, person.id, kind, args.layer, ctx.now());
      return ctx.reply('oncall/edit-preview', {
        kind,
        team: p.team.name,
        layer: p.edit.layer,
        person: `person:${p.person.id}`,
        moved: p.moved.slice(0, 40).map((m) => ({ start: m.start, end: m.end, before: m.before ? `person:${m.before}` : null, after: m.after ? `person:${m.after}` : null })),
        more: Math.max(0, p.moved.length - 40),
        seams: p.seams,
        value: `${kind}|${p.entry.team}|${p.person.id}|${p.edit.layer}`,
      });
    },
  });
}

/** Confirm on an add/remove preview: recheck at click time, save, tell everyone whose turns moved. */
const confirmEdit = defineButton({
  actionId: 'oncalleditok',
  role: 'anyone',
  mutates: true,
  async handler(ctx, value) {
    const svc = await remembered(ctx);
    const [kind = '', teamId = '', personId = '', layer = ''] = value.split('|');
    if (kind !== 'add' && kind !== 'remove') throw new InputError('That confirmation is not valid any more.');
    const now = ctx.now();
    const p = await planEdit(ctx, svc, teamId, personId, kind, layer, now);
    await svc.change(p.entry.id, 'member', (st) => ({ ...st, memberEdits: [...st.memberEdits, { ...p.edit, at: now.toISOString() }] }), now);
    const people = new Set<string>();
    for (const m of p.moved) for (const x of [m.before, m.after]) if (x) people.add(x);
    for (const who of people) {
      const mine = p.moved.filter((m) => m.before === who || m.after === who).slice(0, 20);
      await dm(ctx, svc, who, `oncall-edit-${p.edit.id}-${who}`, 'oncall/turns-moved', {
        team: p.team.name,
        change: kind,
        person: `person:${p.person.id}`,
        turns: mine.map((m) => ({ start: m.start, end: m.end, gained: m.after === who })),
      });
    }
    // A removal mid-turn leaves the rest of that turn uncovered: ask the team at once.
    const gap = p.moved.find((m) => m.after === null && m.start.getTime() <= now.getTime());
    if (gap && ctx.services.deliveries) {
      const message = ctx.render('oncall/handoff-channel', {
        team: p.team.name, slot: p.edit.layer, at: now, until: gap.end, incoming: null, outgoing: `person:${p.person.id}`, gap: 'member-removed',
        cover: `${p.entry.id}|${(await svc.declAt(p.entry.id, now))?.layers.find((l) => l.name === p.edit.layer)?.slot ?? p.edit.layer}|${now.getTime()}|${gap.end.getTime()}`,
      });
      const targets = channelTargets(p.team.channels);
      await ctx.services.deliveries.enqueue(targets.map((target) => ({ key: `oncall-cover-${p.entry.id}-${p.edit.id}`, revision: 1, target, message })));
    }
    return ctx.update('oncall/edit-done', { kind, team: p.team.name, layer: p.edit.layer, person: `person:${p.person.id}`, moved: p.moved.length, told: people.size });
  },
});

/** The queue-editing commands, in help order, and the button that confirms their preview. */
export const queueCommands: CommandDecl<any>[] = [editCommand('add'), editCommand('remove')];
export const queueButtons: ButtonDecl[] = [confirmEdit];
