/**
 * Changing a whole cadence: `/cadence pause`, `resume`, `delete` and `edit`. Every change goes
 * through the service, which re-plans the cadence's timers.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import { parseEditSpec } from './spec.js';
import { applyOptions, formatIn, load, MANAGERS, name, requireOccurs, rules, service } from './shared.js';

function toggle(nameOf: 'pause' | 'resume') {
  return defineCommand({
    name: nameOf,
    summary: nameOf === 'pause' ? 'Pause a cadence: nothing is posted until it is resumed' : 'Resume a paused cadence',
    usage: `${nameOf} <name>`,
    examples: [`/cadence ${nameOf} platform-sync`],
    args: z.object({ name }),
    positional: ['name'],
    role: MANAGERS,
    mutates: true,
    async handler(ctx, args) {
      const c = await load(ctx, args.name);
      const paused = nameOf === 'pause';
      if (c.paused === paused) return { ...ctx.info(`${c.name} is already ${paused ? 'paused' : 'running'}.`), changed: false };
      await service(ctx).change(c.name, (cur) => ({ ...cur, paused }));
      return ctx.ok(paused ? `Paused ${c.name}.` : `Resumed ${c.name}.`);
    },
  });
}

const remove = defineCommand({
  name: 'delete',
  summary: 'Delete a cadence created in chat (config cadences are removed from the file)',
  usage: 'delete <name>',
  examples: ['/cadence delete platform-sync'],
  args: z.object({ name }),
  positional: ['name'],
  role: MANAGERS,
  mutates: true,
  async handler(ctx, args) {
    const c = await load(ctx, args.name);
    if (c.source === 'config') throw new InputError(`${c.name} is declared in the configuration file; remove it there (or /cadence pause it)`);
    await service(ctx).remove(c.name);
    return ctx.ok(`Deleted ${c.name}; its pending reminders and announcement are cancelled.`);
  },
});

const edit = defineCommand({
  name: 'edit',
  summary: 'Change a cadence: schedule, time, zone, channels, reminders, holidays, …',
  usage: 'edit <name> key=value… (schedule, time, zone, channels, kind, title, template, holidays, reminders, blocking, env, invite, duration)',
  examples: ['/cadence edit platform-sync time=11:00 reminders=1d', '/cadence edit platform-sync schedule="monthly last thu"'],
  args: z.object({ name, spec: arg.rest({ hint: 'key=value options' }) }),
  positional: ['name', 'spec'],
  role: MANAGERS,
  mutates: true,
  async handler(ctx, args) {
    const c = await load(ctx, args.name);
    if (c.source === 'config') throw new InputError(`${c.name} is declared in the configuration file; change it there`);
    const spec = parseEditSpec(args.spec, rules(ctx));
    if (!spec.ok) throw new InputError(spec.problem);
    const edited = applyOptions(c, spec.value);
    const [next] = requireOccurs(ctx, edited);
    await service(ctx).change(c.name, (cur) => applyOptions(cur, spec.value));
    // Say what changed and what it means: the next occurrence, in the reader's zone.
    const what = Object.keys(spec.value).map((k) => (k === 'environments' ? 'env' : k === 'rule' ? 'schedule' : k));
    const then = c.paused ? 'it is paused (/cadence resume starts it again)' : `it next happens ${formatIn(next!.at, ctx.caller.zone)}`;
    return ctx.ok(`Updated ${[...new Set(what)].join(', ')} of ${c.name}; ${then}.`);
  },
});

export const manageCommands: CommandDecl<any>[] = [toggle('pause'), toggle('resume'), remove, edit];
