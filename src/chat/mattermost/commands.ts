/**
 * Create or update Day2's custom slash commands on a Mattermost team and return their tokens, so
 * operators can script the setup (the tokens go into MATTERMOST_COMMAND_TOKENS). Needs a token
 * with `manage_slash_commands` on the team (a team or system admin, or a bot granted it).
 *
 * The commands come from the declarations in commands/: the root `/day2` plus every family
 * alias, so nobody is offered a slash command that does nothing.
 */
import { allFamilies } from '../../../commands/index.js';
import { ROOT_COMMAND } from '../../dispatch/registry.js';
import type { FamilyDecl } from '../../dispatch/types.js';
import { MattermostRest } from './rest.js';
import { COMMAND_PATH } from './routes.js';

export interface SlashCommandSpec {
  trigger: string;
  description: string;
  /** Autocomplete hint; every Day2 command answers `help` with its subcommands. */
  hint: string;
}

/** Mattermost refuses a command whose description is over 128 bytes (model.Command.IsValid). */
const MAX_DESCRIPTION_BYTES = 128;
const ROOT_DESCRIPTION = 'Day2: help, who you are, and every command family';

/** `text` cut to Mattermost's description limit, on a character boundary, with an ellipsis. */
function fitDescription(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  if (Buffer.byteLength(oneLine) <= MAX_DESCRIPTION_BYTES) return oneLine;
  let out = '';
  for (const ch of oneLine) {
    if (Buffer.byteLength(`${out}${ch}…`) > MAX_DESCRIPTION_BYTES) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

/** The root command, then each family alias with its family's summary as description. */
export function slashCommandsFor(families: readonly FamilyDecl[], root: string = ROOT_COMMAND): SlashCommandSpec[] {
  const specs: SlashCommandSpec[] = [{ trigger: root.replace(/^\//, ''), description: fitDescription(ROOT_DESCRIPTION), hint: 'help' }];
  for (const family of families) {
    for (const alias of family.aliases) specs.push({ trigger: alias.replace(/^\//, ''), description: fitDescription(family.summary), hint: 'help' });
  }
  return specs;
}

/** What Day2 registers by default: derived from the families it loads (commands/index.ts). */
export const DAY2_SLASH_COMMANDS: readonly SlashCommandSpec[] = slashCommandsFor(allFamilies);

export interface RegisterCommandsOptions {
  /** Server address, e.g. https://chat.example.com. */
  url: string;
  /** Access token allowed to manage slash commands on the team. */
  token: string;
  teamId: string;
  /** How Mattermost reaches Day2; commands POST to `<publicUrl>/mattermost/command`. */
  publicUrl: string;
  /** Defaults to DAY2_SLASH_COMMANDS. */
  commands?: readonly SlashCommandSpec[];
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
  for (const spec of opts.commands ?? DAY2_SLASH_COMMANDS) {
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
