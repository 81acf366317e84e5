/**
 * `/cadence agenda`: view the agenda of the next occurrence, add to it, and (for managers) mark
 * items of the last occurrence covered or carry its uncovered items over to the next one.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandContext, CommandDecl, CommandResult } from '../../src/dispatch/types.js';
import { roleLabel } from '../../src/dispatch/authorize.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { CADENCE_NAME } from '../../src/domain/cadence/config.js';
import type { Cadence, OccurrenceState } from '../../src/domain/cadence/model.js';
import { callerId, load, MANAGERS, service } from './shared.js';
import { count } from '../../src/domain/wording.js';

async function viewAgenda(ctx: CommandContext, c: Cadence, extra: string | undefined): Promise<CommandResult> {
  const svc = service(ctx);
  if (extra !== undefined) throw new InputError(`unexpected "${extra}"`);
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

async function addAgendaItem(ctx: CommandContext, c: Cadence, item: string | undefined): Promise<CommandResult> {
  if (!item) throw new InputError('write the agenda item after the cadence name');
  if (c.agenda.length >= 50) throw new InputError('the agenda already has 50 items');
  const by = callerId(ctx);
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  await service(ctx).store.cadences.update(c.name, (cur) => ({ ...cur, agenda: [...cur.agenda, { id, text: item, by, at: ctx.now().toISOString() }] }));
  return ctx.ok(`Added to the agenda of ${c.name} (${c.agenda.length + 1} item${c.agenda.length === 0 ? '' : 's'}).`);
}

async function markCovered(ctx: CommandContext, c: Cadence, last: OccurrenceState, item: string | undefined): Promise<CommandResult> {
  const n = Number(item);
  if (!Number.isInteger(n) || n < 1 || n > last.agenda.length) throw new InputError(`give the item number, 1 to ${last.agenda.length}`);
  await service(ctx).store.occurrences.update(`${c.name}.${last.occurrence}`, (s) => ({ ...s, agenda: s.agenda.map((a, i) => (i === n - 1 ? { ...a, covered: true } : a)) }));
  return ctx.ok(`Marked item ${n} covered.`);
}

async function carryOver(ctx: CommandContext, c: Cadence, last: OccurrenceState): Promise<CommandResult> {
  const carry = last.agenda.filter((a) => !a.covered);
  if (carry.length === 0) return { ...ctx.info('Every item of the last occurrence was covered; nothing to carry over.'), changed: false };
  let added = 0;
  await service(ctx).store.cadences.update(c.name, (cur) => {
    const have = new Set(cur.agenda.map((a) => a.id));
    const fresh = carry.filter((a) => !have.has(a.id)).map(({ covered: _c, ...a }) => a);
    added = fresh.length;
    return { ...cur, agenda: [...fresh, ...cur.agenda] };
  });
  if (added === 0) return { ...ctx.info(`The uncovered items are already on the next ${c.name} agenda.`), changed: false };
  return ctx.ok(`Carried ${count(added, 'item')} over to the next ${c.name}.`);
}

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
    const action = ['add', 'covered', 'carry'].includes(args.first) ? args.first : 'view';
    const cadenceName = action === 'view' ? args.first : args.second;
    if (!cadenceName || !CADENCE_NAME.test(cadenceName)) throw new InputError('name the cadence');
    const c = await load(ctx, cadenceName);
    if (action === 'view') return viewAgenda(ctx, c, args.second);
    if (action === 'add') return addAgendaItem(ctx, c, args.item);
    if (!ctx.may(MANAGERS)) throw new ForbiddenError(`You need the ${roleLabel(MANAGERS)} role to change an archived agenda.`);
    const last = await service(ctx).lastOccurrence(c.name);
    if (!last) throw new InputError(`${c.name} has no past occurrence yet`);
    if (action === 'covered') return markCovered(ctx, c, last, args.item);
    return carryOver(ctx, c, last);
  },
});

export const agendaCommands: CommandDecl<any>[] = [agenda];
