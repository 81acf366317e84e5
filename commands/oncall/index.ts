/**
 * `/oncall …` (also `/day2 oncall …`): who is on duty, the resolved schedule, my turns, covers
 * (overrides) and leave. Every answer reads the resolved schedule (src/domain/oncall/resolve.ts).
 *
 * Who may change what: a team's managers and admins may override anyone in their team; a team
 * member may put themselves on cover. Leave: the person themselves, a manager of one of their
 * teams, or an admin. The declarations let anyone in; the handlers make the scoped check.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Person, Team } from '../../src/config.js';
import type { RotationEntry } from '../../src/domain/oncall/config.js';
import { previewEdit, queueAt } from '../../src/domain/oncall/edit-preview.js';
import { buildLedger } from '../../src/domain/oncall/ledger.js';
import type { Segment } from '../../src/domain/oncall/types.js';
import { arg, type UserArg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand, defineFamily } from '../../src/dispatch/define.js';
import { resolvePerson } from '../../src/dispatch/lookup.js';
import type { CommandContext } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { isMemberOf, memberNow as isMemberNow, teamsNow } from '../../src/services/oncall/membership.js';
import type { OncallService } from '../../src/services/oncall/service.js';
import { resolveWhen, type When } from '../../src/time/when.js';

const DAY = 86_400_000;
/** Most rows a schedule answer lists (a message has to stay readable and under platform limits). */
const MAX_ROWS = 60;
/** How far back a cover or leave may start: "now" typed a moment ago still counts as now. */
const PAST_SLACK_MS = 5 * 60_000;

function service(ctx: CommandContext): OncallService {
  const s = ctx.services.oncall;
  if (!s) throw new Error('the on-call service is not wired into this bot');
  return s;
}

/** Learn the caller's platform id (Mattermost handoff DMs need it), then hand out the service. */
async function remembered(ctx: CommandContext): Promise<OncallService> {
  const s = service(ctx);
  await s.rememberUser(ctx.caller.user);
  return s;
}

/** The team's rotation, or a specific error naming the teams that have one. */
function rotationOf(ctx: CommandContext, teamId: string): { entry: RotationEntry; team: Team } {
  const svc = service(ctx);
  const team = svc.team(teamId.toLowerCase());
  const known = svc.entries().map((r) => r.team).join(', ') || 'none yet';
  if (!team) throw new InputError(`Unknown team "${teamId}". Teams with a rotation: ${known}.`);
  const entry = svc.entryForTeam(team.id);
  if (!entry) throw new InputError(`Team "${team.id}" has no rotation. Teams with a rotation: ${known}.`);
  return { entry, team };
}

/** Rotations of the caller's teams now (a host team on tour included), or every rotation when they are in none. */
async function defaultRotations(ctx: CommandContext): Promise<RotationEntry[]> {
  const svc = service(ctx);
  const me = ctx.caller.person?.id;
  const teams = me ? new Set((await teamsNow(ctx.services.tours, ctx.services.config().teams, me, ctx.now())).map((t) => t.id)) : new Set<string>();
  const mine = svc.entries().filter((r) => teams.has(r.team));
  return mine.length > 0 ? mine : svc.entries();
}

function personOf(ctx: CommandContext, ref: UserArg, raw = ref.name ?? ref.id ?? 'that user'): Person {
  const p = resolvePerson(ref, ctx.services.directory(), ctx.event.platform);
  if (!p) throw new InputError(`Unknown user "${raw.startsWith('@') ? raw : `@${raw}`}": they are not in Day2's people directory.`);
  return p;
}

/** A member by config, or a guest of the team on a tour of duty running now. */
const memberNow = (ctx: CommandContext, team: Team, person: string): Promise<boolean> => isMemberNow(ctx.services.tours, team, person, ctx.now());
const isManagerOf = (ctx: CommandContext, team: Team) => ctx.caller.roles.has('admin') || (!!ctx.caller.person && team.managers.includes(ctx.caller.person.id));

/** `from`/`to` in the caller's zone, checked: parses, in order, not in the past. */
function range(ctx: CommandContext, from: When, to: When, { future }: { future: boolean }): { from: Date; to: Date } {
  const now = ctx.now();
  const f = resolveWhen(from, ctx.caller.zone, now);
  const t = resolveWhen(to, ctx.caller.zone, now);
  if (t.getTime() <= f.getTime()) throw new InputError(`"to" (${t.toISOString()}) must be after "from" (${f.toISOString()}).`);
  if (future && f.getTime() < now.getTime() - PAST_SLACK_MS) throw new InputError(`That starts in the past (${f.toISOString()}); changes apply to the future only. Use "now" to start at once.`);
  return { from: f, to: t };
}

const who = (p: string | null) => (p === null ? null : `person:${p}`);

function row(s: Segment) {
  return { start: s.start, end: s.end, slot: s.slot, person: who(s.person), gap: s.gap ?? null, override: s.source === 'override', swap: s.source === 'swap' };
}

const whoCmd = defineCommand({
  name: 'who',
  summary: 'Who is on duty now for each layer, until when, and who is next',
  usage: 'who [team]',
  examples: ['/oncall who', '/oncall who payments'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }).optional() }),
  positional: ['team'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, args) {
    const svc = await remembered(ctx);
    const rotations = args.team ? [rotationOf(ctx, args.team).entry] : await defaultRotations(ctx);
    if (rotations.length === 0) return ctx.reply('oncall/none');
    const now = ctx.now();
    const teams = [];
    for (const r of rotations) {
      const duty = await svc.duty(r.id, now);
      teams.push({
        name: svc.team(r.team)?.name ?? r.team,
        slots: duty.map((d) => ({
          slot: d.slot,
          person: who(d.current?.person ?? null),
          gap: d.current && d.current.person === null ? (d.current.gap ?? 'nobody-available') : null,
          until: d.until ?? null,
          next: d.next ? { person: who(d.next.person), start: d.next.start } : null,
        })),
        // Why @<team>-tribute (or the channel header) may not show this: the last sync's failure.
        dutyProblems: (await ctx.services.oncallDutyGroups?.problems(r.id)) ?? [],
      });
    }
    return ctx.reply('oncall/who', { teams });
  },
});

const scheduleCmd = defineCommand({
  name: 'schedule',
  summary: 'The resolved turns of a team in a range (past ranges too), in your time zone',
  usage: 'schedule [team] [from=<when>] [to=<when>]',
  examples: ['/oncall schedule payments', '/oncall schedule payments from=2026-12-01 to=2026-12-15', '/oncall schedule from=today to="in 3d"'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }).optional(), from: arg.when().optional(), to: arg.when().optional() }),
  positional: ['team', 'from', 'to'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, args) {
    const svc = await remembered(ctx);
    const entries = args.team ? [rotationOf(ctx, args.team).entry] : await defaultRotations(ctx);
    if (entries.length === 0) return ctx.reply('oncall/none');
    const now = ctx.now();
    const from = args.from ? resolveWhen(args.from, ctx.caller.zone, now) : now;
    const to = args.to ? resolveWhen(args.to, ctx.caller.zone, now) : new Date(from.getTime() + 14 * DAY);
    if (to.getTime() <= from.getTime()) throw new InputError(`"to" (${to.toISOString()}) must be after "from" (${from.toISOString()}).`);
    if (to.getTime() - from.getTime() > 366 * DAY) throw new InputError('That range is longer than a year; ask for a shorter one.');
    const teams = [];
    let shown = 0;
    let hidden = 0;
    for (const e of entries) {
      const segs = await svc.segments(e.id, from, to, now);
      const rows = segs.sort((a, b) => a.start.getTime() - b.start.getTime() || a.slot.localeCompare(b.slot)).map(row);
      const take = rows.slice(0, Math.max(0, MAX_ROWS - shown));
      shown += take.length;
      hidden += rows.length - take.length;
      teams.push({ name: svc.team(e.team)?.name ?? e.team, zone: e.timezone ?? ctx.services.config().timezone, rows: take });
    }
    return ctx.reply('oncall/schedule', { from, to, teams, hidden });
  },
});

const meCmd = defineCommand({
  name: 'me',
  summary: 'My upcoming turns across teams (next 30 days)',
  usage: 'me',
  examples: ['/oncall me'],
  args: z.object({}),
  positional: [],
  role: 'anyone',
  mutates: false,
  async handler(ctx) {
    const svc = await remembered(ctx);
    const me = ctx.caller.person;
    if (!me) throw new InputError('You are not in Day2\'s people directory, so you have no turns.');
    const now = ctx.now();
    const to = new Date(now.getTime() + 30 * DAY);
    const rows = [];
    for (const e of svc.entries()) {
      for (const s of await svc.segments(e.id, now, to, now)) {
        if (s.person === me.id) rows.push({ ...row(s), team: svc.team(e.team)?.name ?? e.team });
      }
    }
    rows.sort((a, b) => a.start.getTime() - b.start.getTime());
    return ctx.reply('oncall/me', { rows: rows.slice(0, MAX_ROWS), hidden: Math.max(0, rows.length - MAX_ROWS) });
  },
});

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
      throw new ForbiddenError(`Only ${team.id}'s managers (${team.managers.join(', ') || 'none configured'}) or an admin may put someone else on duty; members may cover themselves.`);
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
    await svc.addLeave(person.id, from, to, 'leave', ctx.now(), ctx.caller.person?.id ?? ctx.caller.user.id);
    return ctx.reply('oncall/leave-saved', { person: `person:${person.id}`, from, to, teams: teams.map((t) => t.name) });
  },
});

const statsCmd = defineCommand({
  name: 'stats',
  summary: 'The fairness ledger: hours, weekend hours, turns and covers per person, and support response times (default: last 90 days)',
  usage: 'stats [team] [from=<when>] [to=<when>]',
  examples: ['/oncall stats payments', '/oncall stats payments from=2026-01-01 to=2026-07-01'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }).optional(), from: arg.when().optional(), to: arg.when().optional() }),
  positional: ['team', 'from', 'to'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, args) {
    const svc = await remembered(ctx);
    const entries = args.team ? [rotationOf(ctx, args.team).entry] : await defaultRotations(ctx);
    if (entries.length === 0) return ctx.reply('oncall/none');
    const now = ctx.now();
    const to = args.to ? resolveWhen(args.to, ctx.caller.zone, now) : now;
    const from = args.from ? resolveWhen(args.from, ctx.caller.zone, now) : new Date(to.getTime() - 90 * DAY);
    if (to.getTime() <= from.getTime()) throw new InputError(`"to" (${to.toISOString()}) must be after "from" (${from.toISOString()}).`);
    if (to.getTime() - from.getTime() > 3 * 366 * DAY) throw new InputError('That range is longer than three years; ask for a shorter one.');
    const teams = [];
    for (const e of entries) {
      const zone = e.timezone ?? ctx.services.config().timezone;
      const rows = buildLedger(await svc.segments(e.id, from, to, now), zone).map((r) => ({ ...r, person: `person:${r.person}` }));
      const support = await ctx.services.support?.stats(e.team, from, to);
      teams.push({ name: svc.team(e.team)?.name ?? e.team, zone, rows, support: support ? { ...support, byTribute: support.byTribute.map((t) => ({ ...t, person: `person:${t.person}` })) } : null });
    }
    return ctx.reply('oncall/stats', { from, to, teams });
  },
});

/** The caller's turn (or `person`'s) on the day of `when` or holding that instant: layer, start and end. */
async function turnOf(ctx: CommandContext, svc: OncallService, rotationId: string, person: string, when: When, label: string) {
  const now = ctx.now();
  const t = resolveWhen(when, ctx.caller.zone, now);
  const segs = await svc.segments(rotationId, t, new Date(t.getTime() + DAY), now);
  const hit = segs.find((s) => s.person === person && (s.source === 'rotation' || s.source === 'swap'));
  if (!hit) throw new InputError(`${label}: ${person} has no turn on ${t.toISOString().slice(0, 10)} (from ${t.toISOString()} for a day).`);
  if (hit.turnStart.getTime() <= now.getTime()) throw new InputError(`${label}: that turn started ${hit.turnStart.toISOString()}; only turns ahead can be swapped.`);
  return { layer: hit.layer, slot: hit.slot, start: hit.turnStart, end: hit.turnEnd };
}

const swapCmd = defineCommand({
  name: 'swap',
  summary: 'Ask someone to swap one of your turns for one of theirs; they accept or decline with buttons',
  usage: 'swap <team> <my-turn> <user> <their-turn>',
  examples: ['/oncall swap payments 2026-12-07 @bob 2026-12-14'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }), mine: arg.when(), user: arg.user(), theirs: arg.when() }),
  positional: ['team', 'mine', 'user', 'theirs'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, args) {
    const svc = await remembered(ctx);
    const { entry, team } = rotationOf(ctx, args.team);
    const me = ctx.caller.person;
    if (!me || !(await memberNow(ctx, team, me.id))) throw new ForbiddenError(`Only members of ${team.name} can swap its turns.`);
    const other = personOf(ctx, args.user);
    if (other.id === me.id) throw new InputError('You cannot swap with yourself; name someone else.');
    if (!(await memberNow(ctx, team, other.id))) throw new InputError(`${other.name} (${other.id}) is not a member of team ${team.id}.`);
    const a = await turnOf(ctx, svc, entry.id, me.id, args.mine, 'Your turn');
    const b = await turnOf(ctx, svc, entry.id, other.id, args.theirs, 'Their turn');
    if (a.layer !== b.layer) throw new InputError(`Those turns are in different layers (${a.layer} and ${b.layer}); a swap exchanges two turns of one layer.`);
    const now = ctx.now();
    const id = randomUUID().slice(0, 8);
    await svc.change(entry.id, 'swap', (st) => ({ ...st, pendingSwaps: [...st.pendingSwaps, { id, layer: a.layer, a: a.start.toISOString(), aEnd: a.end.toISOString(), b: b.start.toISOString(), bEnd: b.end.toISOString(), requester: me.id, other: other.id, createdAt: now.toISOString() }] }), now);
    const data = { id, team: team.name, requester: `person:${me.id}`, other: `person:${other.id}`, aStart: a.start, aEnd: a.end, bStart: b.start, bEnd: b.end, value: `${entry.id}|${id}` };
    await dm(ctx, svc, other.id, `oncall-swap-${id}`, 'oncall/swap-request', data);
    return ctx.reply('oncall/swap-asked', data);
  },
});

const unswapCmd = defineCommand({
  name: 'unswap',
  summary: 'Undo an accepted swap (either of the two may, until the first of its turns starts)',
  usage: 'unswap <team> <swap-id>',
  examples: ['/oncall unswap payments 1a2b3c4d'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }), id: arg.text({ max: 16, hint: 'the swap id from the confirmation' }) }),
  positional: ['team', 'id'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, args) {
    const svc = await remembered(ctx);
    const { entry, team } = rotationOf(ctx, args.team);
    const swap = (await svc.state(entry.id)).swaps.find((x) => x.id === args.id);
    if (!swap) throw new InputError(`Team ${team.id} has no swap "${args.id}".`);
    const me = ctx.caller.person?.id;
    if (me !== swap.requester && me !== swap.other) throw new ForbiddenError('Only the two people in a swap can undo it.');
    const now = ctx.now();
    const first = Math.min(Date.parse(swap.a), Date.parse(swap.b));
    if (first <= now.getTime()) throw new InputError(`The swap's first turn started ${new Date(first).toISOString()}; it can no longer be undone.`);
    await svc.change(entry.id, 'swap', (st) => ({ ...st, swaps: st.swaps.filter((x) => x.id !== swap.id) }), now);
    const data = { id: swap.id, team: team.name, requester: `person:${swap.requester}`, other: `person:${swap.other}` };
    const otherId = me === swap.requester ? swap.other : swap.requester;
    await dm(ctx, svc, otherId, `oncall-unswap-${swap.id}`, 'oncall/swap-undone', data);
    return ctx.reply('oncall/swap-undone', data);
  },
});

/** Checks shared by add/remove and their confirmation; returns the edit and the turns it moves. */
async function planEdit(ctx: CommandContext, svc: OncallService, teamId: string, who: string, kind: 'add' | 'remove', layerName: string | undefined, at: Date) {
  const { entry, team } = rotationOf(ctx, teamId);
  if (!isManagerOf(ctx, team)) throw new ForbiddenError(`Only ${team.id}'s managers (${team.managers.join(', ') || 'none configured'}) or an admin may change its queue.`);
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
  return { entry, team, person, edit, moved: previewEdit(input, edit) };
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
      const targets = [
        ...(p.team.channels?.slack ?? []).map((channelId) => ({ platform: 'slack' as const, channelId })),
        ...(p.team.channels?.mattermost ?? []).map((channelId) => ({ platform: 'mattermost' as const, channelId })),
      ];
      await ctx.services.deliveries.enqueue(targets.map((target) => ({ key: `oncall-cover-${p.entry.id}-${p.edit.id}`, revision: 1, target, message })));
    }
    return ctx.update('oncall/edit-done', { kind, team: p.team.name, layer: p.edit.layer, person: `person:${p.person.id}`, moved: p.moved.length, told: people.size });
  },
});

/** A DM through the delivery queue (idempotent per key), to every platform the person is known on. */
async function dm(ctx: CommandContext, svc: OncallService, person: string, key: string, template: string, data: Record<string, unknown>): Promise<void> {
  const deliveries = ctx.services.deliveries;
  if (!deliveries) return;
  const message = ctx.render(template, data);
  await deliveries.enqueue((await svc.addressesOf(person)).map((target) => ({ key, revision: 1, target, message })));
}

/** Accept or decline a pending swap: only the person asked may answer; both are told. */
function answerSwap(accept: boolean) {
  return defineButton({
    actionId: accept ? 'oncallswapyes' : 'oncallswapno',
    role: 'anyone',
    mutates: true,
    async handler(ctx, value) {
      const svc = await remembered(ctx);
      const [rotationId = '', id = ''] = value.split('|');
      const entry = svc.entry(rotationId);
      const pending = entry ? (await svc.state(rotationId)).pendingSwaps.find((x) => x.id === id) : undefined;
      if (!entry || !pending) return { ...ctx.update('oncall/swap-answered', { state: 'gone' }), changed: false };
      if (ctx.caller.person?.id !== pending.other) throw new ForbiddenError('Only the person asked can answer this swap.');
      const now = ctx.now();
      const team = svc.team(entry.team);
      const data = { id, team: team?.name ?? entry.team, requester: `person:${pending.requester}`, other: `person:${pending.other}`, aStart: new Date(pending.a), aEnd: new Date(pending.aEnd), bStart: new Date(pending.b), bEnd: new Date(pending.bEnd) };
      let state: 'accepted' | 'declined' | 'stale' = accept ? 'accepted' : 'declined';
      if (accept) {
        // The turns must still be the two people's, and ahead: the schedule may have moved since.
        const holds = async (person: string, start: string, end: string) => (await svc.segments(rotationId, new Date(start), new Date(end), now)).some((s) => s.person === person && s.layer === pending.layer && s.turnStart.toISOString() === start);
        const fine = Date.parse(pending.a) > now.getTime() && Date.parse(pending.b) > now.getTime() && (await holds(pending.requester, pending.a, pending.aEnd)) && (await holds(pending.other, pending.b, pending.bEnd));
        if (!fine) state = 'stale';
      }
      await svc.change(rotationId, 'swap', (st) => ({
        ...st,
        pendingSwaps: st.pendingSwaps.filter((x) => x.id !== id),
        swaps: state === 'accepted' ? [...st.swaps, { id, layer: pending.layer, a: pending.a, b: pending.b, requester: pending.requester, other: pending.other, createdAt: now.toISOString() }] : st.swaps,
      }), now);
      await dm(ctx, svc, pending.requester, `oncall-swap-${id}-${state}`, 'oncall/swap-answered', { ...data, state });
      return ctx.update('oncall/swap-answered', { ...data, state });
    },
  });
}

const icalCmd = defineCommand({
  name: 'ical',
  summary: "The private address of a team's on-call calendar feed (resolved turns)",
  usage: 'ical <team>',
  examples: ['/oncall ical payments'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }) }),
  positional: ['team'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, args) {
    const { team } = rotationOf(ctx, args.team);
    const me = ctx.caller.person?.id;
    if (!ctx.caller.roles.has('admin') && !(me && (await memberNow(ctx, team, me)))) throw new ForbiddenError(`Only members of ${team.name} or an admin may see its calendar address.`);
    const tokens = ctx.services.oncallIcalTokens;
    if (!tokens || !ctx.services.publicUrl) throw new Error('the on-call calendar is not wired into this bot');
    return ctx.reply('oncall/ical', { team: team.name, url: `${ctx.services.publicUrl}/ical/oncall/${team.id}.ics?token=${await tokens.tokenFor(team.id)}` });
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
    if (end <= from.getTime()) return { ...ctx.ok('That gap is over already.'), changed: false };
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

export const oncallFamily = defineFamily({
  name: 'oncall',
  aliases: ['/oncall'],
  summary: 'Tribute / on-call rotations: who is on duty, schedules, covers and leave',
  commands: [whoCmd, scheduleCmd, meCmd, overrideCmd, leaveCmd, swapCmd, unswapCmd, editCommand('add'), editCommand('remove'), statsCmd, icalCmd],
  buttons: [coverButton, answerSwap(true), answerSwap(false), confirmEdit],
});
