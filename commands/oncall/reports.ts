/**
 * `/oncall stats` and `ical`: what a rotation adds up to (the fairness ledger and support response
 * times) and the private address of its calendar feed.
 */
import { z } from 'zod';
import { buildLedger } from '../../src/domain/oncall/ledger.js';
import { arg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandDecl } from '../../src/dispatch/types.js';
import { ForbiddenError } from '../../src/errors.js';
import { defaultRotations, memberNow, rangeOf, remembered, rotationOf } from './shared.js';

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
    const { from, to } = rangeOf(ctx, args, { backDays: 90 }, { days: 3 * 366, said: 'three years' });
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

/** The report commands, in help order. */
export const reportCommands: CommandDecl<any>[] = [statsCmd, icalCmd];
