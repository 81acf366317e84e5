/**
 * `day2 register-mattermost-commands <team id>`: create or update Day2's slash commands on a
 * Mattermost team and print the line to put in the environment. Needs a token allowed to manage
 * slash commands on that team (MATTERMOST_ADMIN_TOKEN, else MATTERMOST_TOKEN).
 */
import { z } from 'zod';
import { DAY2_SLASH_COMMANDS } from '../../commands/index.js';
import { registerCommands } from '../chat/mattermost/commands.js';

const TOKEN_HINT = 'set MATTERMOST_ADMIN_TOKEN (or MATTERMOST_TOKEN) to a token that may manage slash commands';

const argsSchema = z.object({
  teamId: z.string().regex(/^[a-z0-9]{26}$/, { error: 'the team id is 26 lowercase letters/digits (System Console → Teams, or GET /api/v4/teams/name/<name>)' }),
  url: z.url({ error: 'set MATTERMOST_URL to your server, e.g. https://chat.example.com' }),
  token: z.string({ error: TOKEN_HINT }).min(1, { error: TOKEN_HINT }),
  publicUrl: z.url({ error: 'set DAY2_PUBLIC_URL to the address Mattermost uses to reach Day2, e.g. https://day2.example.com' }),
});

export async function registerMattermostCommands(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void = console.log): Promise<number> {
  const parsed = argsSchema.safeParse({
    teamId: argv[0],
    url: env.MATTERMOST_URL,
    token: env.MATTERMOST_ADMIN_TOKEN || env.MATTERMOST_TOKEN,
    publicUrl: env.DAY2_PUBLIC_URL,
  });
  if (!parsed.success) {
    out('Usage: day2 register-mattermost-commands <team id>');
    for (const issue of parsed.error.issues) out(`  ✖ ${issue.path.join('.') || 'arguments'}: ${issue.message}`);
    return 2;
  }
  try {
    const registered = await registerCommands({ ...parsed.data, commands: DAY2_SLASH_COMMANDS });
    for (const c of registered) out(`${c.created ? 'created' : 'updated'} /${c.trigger}`);
    out(`\nMATTERMOST_COMMAND_TOKENS=${registered.map((c) => c.token).join(',')}`);
    return 0;
  } catch (err) {
    out(`✖ could not register the commands: ${(err as Error).message}`);
    return 1;
  }
}
