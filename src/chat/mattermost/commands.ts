/**
 * Create or update Day2's custom slash commands on a Mattermost team and return their tokens, so
 * operators can script the setup (the tokens go into MATTERMOST_COMMAND_TOKENS). Needs a token
 * with `manage_slash_commands` on the team (a team or system admin, or a bot granted it).
 *
 * Which commands to register is the caller's to say (the app derives them from the command
 * declarations: see src/dispatch/slash-commands.ts), so this adapter knows no command family.
 */
import type { SlashCommandSpec } from '../port.js';
import { MattermostRest } from './rest.js';
import { COMMAND_PATH } from './routes.js';

export interface RegisterCommandsOptions {
  /** Server address, e.g. https://chat.example.com. */
  url: string;
  /** Access token allowed to manage slash commands on the team. */
  token: string;
  teamId: string;
  /** How Mattermost reaches Day2; commands POST to `<publicUrl>/mattermost/command`. */
  publicUrl: string;
  /** The commands to create or update (slashCommandsFor the loaded families). */
  commands: readonly SlashCommandSpec[];
  timeoutMs?: number;
}

export interface RegisteredCommand {
  trigger: string;
  id: string;
  token: string;
  created: boolean;
}

interface MmCommand {
  id: string;
  token: string;
  trigger: string;
  team_id: string;
  delete_at?: number;
  [k: string]: unknown;
}

export async function registerCommands(opts: RegisterCommandsOptions): Promise<RegisteredCommand[]> {
  const rest = new MattermostRest({ url: opts.url, token: opts.token, timeoutMs: opts.timeoutMs });
  const url = `${opts.publicUrl.replace(/\/+$/, '')}${COMMAND_PATH}`;
  const existing = await rest.request<MmCommand[]>({ method: 'GET', path: '/commands', query: { team_id: opts.teamId, custom_only: true } });
  const byTrigger = new Map(existing.filter((c) => !c.delete_at && c.team_id === opts.teamId).map((c) => [c.trigger, c]));
  const out: RegisteredCommand[] = [];
  for (const spec of opts.commands) {
    const wanted = {
      team_id: opts.teamId,
      trigger: spec.trigger,
      method: 'P',
      url,
      display_name: `Day2 /${spec.trigger}`,
      description: spec.description,
      auto_complete: true,
      auto_complete_desc: spec.description,
      auto_complete_hint: spec.hint,
    };
    const found = byTrigger.get(spec.trigger);
    if (found) {
      // PUT takes the whole command; keep server-owned fields (id, token, creator) as they are.
      const updated = await rest.request<MmCommand>({ method: 'PUT', path: `/commands/${encodeURIComponent(found.id)}`, body: { ...found, ...wanted } });
      out.push({ trigger: spec.trigger, id: updated.id, token: updated.token || found.token, created: false });
    } else {
      const created = await rest.request<MmCommand>({ method: 'POST', path: '/commands', body: wanted });
      out.push({ trigger: spec.trigger, id: created.id, token: created.token, created: true });
    }
  }
  return out;
}
