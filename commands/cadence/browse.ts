/**
 * Reading cadences: `/cadence list` (every cadence and when it next happens) and `/cadence show`
 * (one cadence in full: next occurrences, last run, channels, open action items).
 */
import { z } from 'zod';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandDecl } from '../../src/dispatch/types.js';
import { formatTime } from '../../src/domain/cadence/model.js';
import { channelLabels, creatorRef, load, name, noteOf, service } from './shared.js';

const list = defineCommand({
  name: 'list',
  summary: 'List cadences and when each next happens',
  usage: 'list',
  examples: ['/cadence list'],
  args: z.object({}),
  positional: [],
  role: 'anyone',
  mutates: false,
  async handler(ctx) {
    const svc = service(ctx);
    const cadences = (await svc.store.cadences.list()).map(({ value: c }) => ({
      name: c.name,
      kind: c.kind,
      schedule: c.schedule,
      time: formatTime(c.time),
      zone: c.zone,
      paused: c.paused,
      blocking: c.blocking,
      next: c.paused ? undefined : svc.upcoming(c, 1, ctx.now())[0]?.at,
    }));
    return ctx.reply('cadence/list', { cadences });
  },
});

const show = defineCommand({
  name: 'show',
  summary: 'Show a cadence: next occurrences, last run, channels',
  usage: 'show <name>',
  examples: ['/cadence show platform-sync'],
  args: z.object({ name }),
  positional: ['name'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, args) {
    const svc = service(ctx);
    const c = await load(ctx, args.name);
    const last = await svc.lastOccurrence(c.name);
    return ctx.reply('cadence/show', {
      cadence: { name: c.name, title: c.title ?? c.name, kind: c.kind, schedule: c.schedule, time: formatTime(c.time), zone: c.zone, paused: c.paused, blocking: c.blocking },
      next: c.paused ? [] : svc.upcoming(c, 5, ctx.now()).map((o) => ({ at: o.at, note: noteOf(o, c) })),
      last: last ? { at: new Date(last.at), status: last.status, late: last.late } : undefined,
      channels: await channelLabels(ctx, c.channels),
      reminders: c.reminders,
      holidays: c.holidays,
      environments: c.environments.map((id) => ctx.services.config().environments.find((e) => e.id === id)?.name ?? id),
      agendaCount: String(c.agenda.length),
      actions: (last?.actions ?? []).filter((a) => !a.done).map((a) => ({ id: a.id, owner: a.owner, text: a.text })),
      source: c.source === 'config' ? 'configuration file' : `created in chat by ${c.createdBy}`,
      ...(c.source === 'config' ? {} : { creator: creatorRef(c.createdBy) }),
    });
  },
});

export const browseCommands: CommandDecl<any>[] = [list, show];
