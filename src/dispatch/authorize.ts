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

/** "anyone", "admin", "pre or manager" — for help and refusals. */
export function roleLabel(requirement: RoleRequirement): string {
  if (typeof requirement === 'string') return requirement;
  if (requirement.length <= 1) return requirement[0] ?? 'nobody';
  return `${requirement.slice(0, -1).join(', ')} or ${requirement[requirement.length - 1]}`;
}
