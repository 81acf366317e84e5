/**
 * The slash commands a platform should offer for a set of command families: the root `/day2`
 * plus every family alias, so nobody is offered a slash command that does nothing.
 */
import type { SlashCommandSpec } from '../chat/port.js';
import { ROOT_COMMAND } from './registry.js';
import type { FamilyDecl } from './types.js';

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
