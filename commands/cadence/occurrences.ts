/**
 * Changing single occurrences: `/cadence skip` and `/cadence move`, and how a date a user gives
 * is read as one occurrence of the cadence.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import type { Cadence } from '../../src/domain/cadence/model.js';
import { occurrenceOnDate, type Occurrence } from '../../src/domain/cadence/occurrences.js';
import { parseLocalDate } from '../../src/time/relative.js';
import { resolveWhen } from '../../src/time/when.js';
import { formatIn, load, MANAGERS, name, service } from './shared.js';

/** The occurrence a user means by a date (local to the cadence), or the next one. */
function pickOccurrence(ctx: CommandContext, c: Cadence, date: string | undefined): Occurrence {
  const svc = service(ctx);
  if (date === undefined || date.trim().toLowerCase() === 'next') {
    const next = svc.upcoming(c, 1, ctx.now())[0];
    if (!next) throw new InputError(`${c.name} has no upcoming occurrence`);
    return next;
  }
  // "2026-12-08", or relative ("tomorrow", "next tue", "in 3d") on the cadence's calendar.
  const d = parseLocalDate(date, c.zone, ctx.now());
  if (!d) throw new InputError(`"${date}" is not a date (YYYY-MM-DD, tomorrow, next tue, in 3d or next, in the cadence's zone ${c.zone})`);
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
    return ctx.ok(`Skipped ${c.name} on ${formatIn(o.at, ctx.caller.zone)}.`);
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
    return ctx.ok(`Moved ${c.name} from ${formatIn(o.at, ctx.caller.zone)} to ${formatIn(to, ctx.caller.zone)}.`);
  },
});

export const occurrenceCommands: CommandDecl<any>[] = [skip, move];
