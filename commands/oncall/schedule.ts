/**
 * `/oncall who`, `schedule` and `me`: reading the resolved schedule, now, over a range, or the
 * caller's own turns ahead.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import { DAY, MAX_ROWS, defaultRotations, rangeOf, remembered, rotationOf, row, who } from './shared.js';

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
    const { from, to } = rangeOf(ctx, args, { forwardDays: 14 }, { days: 366, said: 'a year' });
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

/** The schedule-reading commands, in help order. */
export const scheduleCommands: CommandDecl<any>[] = [whoCmd, scheduleCmd, meCmd];
