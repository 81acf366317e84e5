/**
 * The roles a person can hold. Commands, readiness sign-offs and cadence invitations all name
 * them, so the list lives in the domain; the config schema and the dispatcher read it from here.
 */
export const ROLES = ['pre', 'rele', 'obe', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];
