/**
 * `/day2 whoami` (how Day2 sees you: person, roles, zone), `/day2 web` (links to the web pages,
 * commands/web.ts) and `/day2 reload` (re-read the config file; admins only). Both are mounted at the root as well as under `/day2 system`.
 */
import { z } from 'zod';
import { formatProblems } from '../src/config.js';
import { defineCommand, defineFamily } from '../src/dispatch/define.js';
import { webCommands } from './web.js';
import { count } from '../src/domain/wording.js';

const whoami = defineCommand({
  name: 'whoami',
  summary: 'Show who Day2 thinks you are: person, roles and time zone',
  usage: 'whoami',
  examples: ['/day2 whoami', '/day2 system whoami'],
  args: z.object({}),
  positional: [],
  role: 'anyone',
  mutates: false,
  async handler(ctx) {
    const { caller } = ctx;
    return ctx.reply('system/whoami', {
      platform: caller.user.platform,
      userId: caller.user.id,
      person: caller.person ? { id: caller.person.id, name: caller.person.name } : undefined,
      roles: [...caller.roles].sort(),
      zone: caller.zone,
    });
  },
});

const reload = defineCommand({
  name: 'reload',
  summary: 'Re-read the configuration file (the old one stays if the new one has problems)',
  usage: 'reload',
  examples: ['/day2 reload'],
  args: z.object({}),
  positional: [],
  role: 'admin',
  mutates: true,
  async handler(ctx) {
    const reloadConfig = ctx.services.reload;
    if (!reloadConfig) return { ...ctx.ok('This Day2 process cannot reload its configuration; restart it instead.'), changed: false };
    const outcome = await reloadConfig();
    if (outcome.ok) return ctx.reply('system/reloaded', { people: outcome.people, teams: outcome.teams, environments: outcome.environments, warnings: outcome.warnings ?? [] });
    return {
      ...ctx.reply('errors/invalid-input', {
        message: `The new configuration has ${count(outcome.problems.length, 'problem')}; the current one stays in force.`,
        hint: formatProblems(outcome.problems),
      }),
      changed: false,
    };
  },
});

export const systemFamily = defineFamily({
  name: 'system',
  aliases: [],
  summary: 'Day2 itself: who you are to it, links to its web pages, and reloading its configuration',
  root: true,
  commands: [whoami, reload, ...webCommands],
});
