/**
 * From a typed user (`arg.user()`) to a configured person. Kept apart from the argument types
 * because it needs the directory in force, which changes on reload.
 */
import type { Platform } from '../chat/port.js';
import type { Person } from '../config.js';
import type { Directory } from '../directory.js';
import type { UserArg } from './args.js';

/**
 * The person a typed user names, or undefined. `platform` is where the command was typed: a
 * bare `@name` there is a Mattermost username, or, on Slack (where handles are not in the
 * config), a person id typed with an `@`.
 */
export function resolvePerson(ref: UserArg, directory: Directory, platform: Platform): Person | undefined {
  if (ref.platform && ref.id) return directory.personOf({ platform: ref.platform, id: ref.id, name: ref.name });
  if (ref.id) return directory.person(ref.id);
  if (!ref.name) return undefined;
  if (platform === 'mattermost') return directory.personOf({ platform, id: '', name: ref.name.toLowerCase() }) ?? directory.person(ref.name.toLowerCase());
  return directory.person(ref.name.toLowerCase());
}
