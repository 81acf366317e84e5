/**
 * Role checks. Fail closed: anything that is not a well-formed requirement allows no one, so a
 * declaration that slipped past the load-time check still cannot open a door. A role grants
 * exactly itself; "admin" does not imply the others (grant both in the config, or declare the
 * command for `['pre', 'admin']`).
 */
import { ROLES, type Role } from '../config.js';
import type { RoleRequirement } from './types.js';

function isRole(r: unknown): r is Role {
  return typeof r === 'string' && (ROLES as readonly string[]).includes(r);
}

/** Whether `r` is a requirement a declaration may carry. */
export function isValidRequirement(r: unknown): r is RoleRequirement {
  if (r === 'anyone' || isRole(r)) return true;
  return Array.isArray(r) && r.length > 0 && r.every(isRole);
}

export function allows(requirement: RoleRequirement | undefined, roles: ReadonlySet<Role>): boolean {
  if (!isValidRequirement(requirement)) return false;
  if (requirement === 'anyone') return true;
  if (typeof requirement === 'string') return roles.has(requirement);
  return requirement.some((r) => roles.has(r));
}

/** What the team calls each role (the config's `roles:` keys are the ids). */
const ROLE_NAMES: Record<Role, string> = { pre: 'PRE', rele: 'RelE', obe: 'ObE', manager: 'manager', admin: 'admin' };

const either = (words: readonly string[]) => (words.length <= 1 ? (words[0] ?? 'nobody') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`);
const asList = (requirement: RoleRequirement): readonly Role[] => (requirement === 'anyone' ? [] : typeof requirement === 'string' ? [requirement] : requirement);

/** "anyone", "admin", "PRE or manager" — for help and refusals. */
export function roleLabel(requirement: RoleRequirement): string {
  if (requirement === 'anyone') return 'anyone';
  return either(asList(requirement).map((r) => ROLE_NAMES[r] ?? r));
}

/** The `roles:` keys that grant a requirement ("pre or admin"), for the refusal's how-to. */
export function roleKeys(requirement: RoleRequirement): string {
  return either(asList(requirement));
}
