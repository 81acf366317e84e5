/**
 * `/oncall swap` and `unswap`, and the Accept / Decline buttons on a swap request: two members
 * exchanging one turn each of the same layer.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand } from '../../src/dispatch/define.js';
import type { ButtonDecl, CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError, dated } from '../../src/errors.js';
import { formatAbsolute } from '../../src/render/dates.js';
import type { OncallService } from '../../src/services/oncall/service.js';
import { resolveWhen, type When } from '../../src/time/when.js';
import { DAY, dm, memberNow, personOf, remembered, rotationOf } from './shared.js';


/** The caller's turn (or `person`'s) on the day of `when` or holding that instant: layer, start and end. */
async function turnOf(ctx: CommandContext, svc: OncallService, rotationId: string, person: string, when: When, label: string) {
  const now = ctx.now();
  const t = resolveWhen(when, ctx.caller.zone, now);
  const segs = await svc.segments(rotationId, t, new Date(t.getTime() + DAY), now);
  const hit = segs.find((s) => s.person === person && (s.source === 'rotation' || s.source === 'swap'));
  // The day as typed, in the typer's zone: a reader elsewhere must not see the day before.
  if (!hit) throw new InputError(`${label}: ${ctx.services.directory().person(person)?.name ?? person} has no turn on ${formatAbsolute(t, ctx.caller.zone, 'date')}.`);
  if (hit.turnStart.getTime() <= now.getTime()) throw new InputError(dated`${label}: that turn started ${hit.turnStart}; only turns ahead can be swapped.`);
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
  summary: 'Undo an accepted swap (either of the two may, until the first of its turns starts) or withdraw a request not answered yet',
  usage: 'unswap <team> <swap-id>',
  examples: ['/oncall unswap payments 1a2b3c4d'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }), id: arg.text({ max: 16, hint: 'the swap id from the confirmation' }) }),
  positional: ['team', 'id'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, args) {
    const svc = await remembered(ctx);
    const { entry, team } = rotationOf(ctx, args.team);
    const state = await svc.state(entry.id);
    const pending = state.pendingSwaps.find((x) => x.id === args.id);
    if (pending) return withdraw(ctx, svc, entry.id, team.name, pending);
    const swap = state.swaps.find((x) => x.id === args.id);
    if (!swap) throw new InputError(`${team.name} has no swap "${args.id}"; the id is in the confirmation you got when it was asked.`);
    const me = ctx.caller.person?.id;
    if (me !== swap.requester && me !== swap.other) throw new ForbiddenError('Only the two people in a swap can undo it.');
    const now = ctx.now();
    const first = Math.min(Date.parse(swap.a), Date.parse(swap.b));
    if (first <= now.getTime()) throw new InputError(dated`The swap's first turn started ${new Date(first)}; it can no longer be undone.`);
    await svc.change(entry.id, 'swap', (st) => ({ ...st, swaps: st.swaps.filter((x) => x.id !== swap.id) }), now);
    const data = { id: swap.id, team: team.name, requester: `person:${swap.requester}`, other: `person:${swap.other}` };
    const otherId = me === swap.requester ? swap.other : swap.requester;
    await dm(ctx, svc, otherId, `oncall-unswap-${swap.id}`, 'oncall/swap-undone', data);
    return ctx.reply('oncall/swap-undone', data);
  },
});

type PendingSwap = Awaited<ReturnType<OncallService['state']>>['pendingSwaps'][number];

/** The requester takes back a swap request not answered yet; the person asked is told. */
async function withdraw(ctx: CommandContext, svc: OncallService, rotationId: string, teamName: string, pending: PendingSwap) {
  if (ctx.caller.person?.id !== pending.requester) throw new ForbiddenError('Only the person who asked for this swap can withdraw it; the person asked can decline it with the button.');
  const now = ctx.now();
  await svc.change(rotationId, 'swap', (st) => ({ ...st, pendingSwaps: st.pendingSwaps.filter((x) => x.id !== pending.id) }), now);
  const data = { id: pending.id, team: teamName, requester: `person:${pending.requester}`, other: `person:${pending.other}` };
  await dm(ctx, svc, pending.other, `oncall-swap-${pending.id}-withdrawn`, 'oncall/swap-withdrawn', data);
  return ctx.reply('oncall/swap-withdrawn', data);
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

/** The swap commands, in help order, and the buttons that answer a swap request. */
export const swapCommands: CommandDecl<any>[] = [swapCmd, unswapCmd];
export const swapButtons: ButtonDecl[] = [answerSwap(true), answerSwap(false)];
