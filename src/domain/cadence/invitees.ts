/**
 * Who an exercise invites: the people holding the invited roles in the config — listed under
 * `roles`, environment PREs (`pre`) and team managers (`manager`). Platform-handle and group
 * grants cannot be listed ahead of time, so they are not named (they still see the channel post).
 */
interface RoleSource {
  people: { id: string }[];
  roles: Partial<Record<string, string[] | undefined>>;
  environments: { pres: string[] }[];
  teams: { managers: string[] }[];
}

export function invitedPeople(cfg: RoleSource, roles: readonly string[]): string[] {
  const known = new Set(cfg.people.map((p) => p.id));
  const out = new Set<string>();
  for (const role of roles) {
    for (const principal of cfg.roles[role] ?? []) if (known.has(principal)) out.add(principal);
    if (role === 'pre') for (const e of cfg.environments) for (const p of e.pres) out.add(p);
    if (role === 'manager') for (const t of cfg.teams) for (const p of t.managers) out.add(p);
  }
  return [...out].sort();
}
