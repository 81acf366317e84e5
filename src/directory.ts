/**
 * The people directory: who a platform user is, which roles they hold and which zone they read
 * times in. Built from the config once per (re)load; lookups are in-memory.
 *
 * One person is one identity across platforms: `slack: U123` and `mattermost: alice` on the same
 * person entry make a role grant, a mention or a rotation slot follow them to either platform.
 */
import type { UserRef } from './chat/port.js';
import { ROLES, type Config, type Person, type Role } from './config.js';

/** How a mention resolves on each platform; see src/render/serialize-options.ts. */
export interface ResolvedMention {
  slack?: string;
  mattermost?: string;
  name: string;
}

export class Directory {
  private readonly byId = new Map<string, Person>();
  private readonly bySlack = new Map<string, Person>();
  private readonly byMattermost = new Map<string, Person>();
  /** principal (person id, `slack:U1`, `mattermost:bob`, `slack-group:S1`, `mattermost-team:t`) -> roles */
  private readonly grants = new Map<string, Set<Role>>();

  constructor(readonly config: Config) {
    for (const p of config.people) {
      this.byId.set(p.id, p);
      if (p.slack) this.bySlack.set(p.slack, p);
      if (p.mattermost) this.byMattermost.set(p.mattermost, p);
    }
    for (const role of ROLES) {
      for (const principal of config.roles[role] ?? []) this.grant(principal, role);
    }
    // Environment PREs and team managers hold those roles without being listed twice.
    for (const env of config.environments) for (const p of env.pres) this.grant(p, 'pre');
    for (const team of config.teams) for (const p of team.managers) this.grant(p, 'manager');
  }

  private grant(principal: string, role: Role): void {
    let set = this.grants.get(principal);
    if (!set) this.grants.set(principal, (set = new Set()));
    set.add(role);
  }

  person(id: string): Person | undefined {
    return this.byId.get(id);
  }

  /** The configured person behind a platform user, if any. Mattermost is matched by username. */
  personOf(user: UserRef): Person | undefined {
    if (user.platform === 'slack') return this.bySlack.get(user.id);
    if (user.platform === 'mattermost') return user.name ? this.byMattermost.get(user.name) : undefined;
    // The console adapter speaks as a configured person directly.
    return this.byId.get(user.id);
  }

  /**
   * Roles held by a user: grants to their person id, to their platform handle and to any of the
   * groups (`slack-group:…`, `mattermost-team:…`) the adapter says they belong to.
   */
  rolesOf(user: UserRef, groups: readonly string[] = []): Set<Role> {
    const roles = new Set<Role>();
    const add = (principal: string | undefined) => {
      if (!principal) return;
      for (const r of this.grants.get(principal) ?? []) roles.add(r);
    };
    const person = this.personOf(user);
    add(person?.id);
    if (user.platform === 'slack') add(`slack:${user.id}`);
    if (user.platform === 'mattermost' && user.name) add(`mattermost:${user.name}`);
    if (person?.slack) add(`slack:${person.slack}`);
    if (person?.mattermost) add(`mattermost:${person.mattermost}`);
    for (const g of groups) add(g);
    return roles;
  }

  /** Whether any role is granted to a group principal, i.e. whether group lookups are worth doing. */
  get usesGroups(): boolean {
    for (const p of this.grants.keys()) if (p.startsWith('slack-group:') || p.startsWith('mattermost-team:')) return true;
    return false;
  }

  /** The zone to show times in for this user: their configured zone, else the default. */
  zoneOf(user: UserRef): string {
    return this.personOf(user)?.timezone ?? this.config.timezone;
  }

  /**
   * Resolve a mention ref from neutral markup (`person:alice`, `slack:U123`, `mattermost:alice`)
   * to each platform's handle, so one message can mention the same person on both platforms.
   */
  resolveMention = (ref: string): ResolvedMention | undefined => {
    const [kind, ...rest] = ref.split(':');
    const value = rest.join(':');
    let person: Person | undefined;
    if (kind === 'person') person = this.byId.get(value);
    else if (kind === 'slack') person = this.bySlack.get(value) ?? undefined;
    else if (kind === 'mattermost') person = this.byMattermost.get(value) ?? undefined;
    if (person) return { slack: person.slack, mattermost: person.mattermost, name: person.name };
    if (kind === 'slack' && value) return { slack: value, name: value };
    if (kind === 'mattermost' && value) return { mattermost: value, name: value };
    return undefined;
  };
}
