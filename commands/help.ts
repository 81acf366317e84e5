/**
 * `/day2 help` and `/day2 help <family>`: generated from the declarations only, so help can never
 * disagree with what the commands accept. The overview lists what the caller may run; a family's
 * page lists every subcommand with the role it needs.
 */
import { z } from 'zod';
import { arg } from '../src/dispatch/args.js';
import { roleLabel } from '../src/dispatch/authorize.js';
import { defineCommand, defineFamily } from '../src/dispatch/define.js';
import { closest } from '../src/dispatch/suggest.js';
import { InputError } from '../src/errors.js';
import type { Catalog, CommandContext, FamilyDecl } from '../src/dispatch/types.js';

/** Data for `help/overview`: families with the commands this caller may run (families with none are left out). */
export function overviewData(catalog: Catalog, may: CommandContext['may'], callerRoles: Iterable<string>): Record<string, unknown> {
  const families = catalog.families
    .map((f) => ({
      name: f.name,
      aliases: f.aliases,
      summary: f.summary,
      commands: f.commands.filter((c) => may(c.role)).map((c) => ({ usage: catalog.usageOf(f, c), summary: c.summary })),
    }))
    .filter((f) => f.commands.length > 0);
  return { families, callerRoles: [...callerRoles].sort() };
}

/** Data for `help/family`: every subcommand, with usage, examples and the role it needs. */
export function familyData(catalog: Catalog, family: FamilyDecl): Record<string, unknown> {
  return {
    family: {
      name: family.name,
      aliases: family.aliases,
      summary: family.summary,
      commands: family.commands.map((c) => ({ name: c.name, usage: catalog.usageOf(family, c), summary: c.summary, examples: c.examples, role: roleLabel(c.role) })),
    },
  };
}

const help = defineCommand({
  name: 'help',
  summary: 'What you can do here, or every command of one family',
  usage: 'help [family]',
  examples: ['/day2 help', '/day2 help system'],
  args: z.object({ family: arg.text({ max: 64, hint: 'a command family name, as listed by /day2 help' }).optional() }),
  positional: ['family'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, { family: name }) {
    const { catalog } = ctx;
    if (name === undefined) return ctx.reply('help/overview', overviewData(catalog, ctx.may, ctx.caller.roles));
    // A family's own slash command names it too: `/day2 help /onboard`.
    const family = catalog.family(name.replace(/^\//, ''));
    if (family) return ctx.reply('help/family', familyData(catalog, family));
    // The command exists; the family does not: say so, with the families there are.
    const names = catalog.families.map((f) => f.name);
    // `/day2 help whoami`: a command's name where its family's belongs.
    const owners = catalog.families.filter((f) => f.commands.some((c) => c.name === name.toLowerCase())).map((f) => f.name);
    if (owners.length === 1) throw new InputError(`"${name}" is a command, not a family: see ${catalog.root} help ${owners[0]}.`);
    if (owners.length > 1) throw new InputError(`"${name}" is a command of several families (${owners.join(', ')}), not a family: see ${catalog.root} help <family>.`);
    const guess = closest(name, names);
    throw new InputError(`There is no command family "${name}"${guess ? ` (did you mean ${guess}?)` : ''}: the families are ${names.join(', ')}.`);
  },
});

export const helpFamily = defineFamily({
  name: 'help',
  aliases: [],
  summary: 'Find your way around Day2',
  root: true,
  commands: [help],
});
