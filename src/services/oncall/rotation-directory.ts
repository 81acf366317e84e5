/**
 * Who and what the config declares, and where to reach people: rotation entries, teams and a
 * team's members, who is away, and a person's DM addresses (with Mattermost ids learnt from their
 * own commands or looked up on the platform).
 */
import type { DeliveryTarget } from '../../delivery/service.js';
import type { RotationShared } from './rotation-shared.js';
import type { OncallService, OncallServiceOptions } from './rotation-types.js';

type DirectoryOps = Pick<OncallService, 'entries' | 'entry' | 'entryForTeam' | 'team' | 'teamsOf' | 'absentAt' | 'rememberUser' | 'addressesOf'>;

export function directoryOps(opts: OncallServiceOptions, shared: RotationShared): DirectoryOps {
  const { store, config } = opts;
  const { entries, entry } = shared;
  return {
    entries,
    entry,
    entryForTeam: (team) => entries().find((r) => r.team === team),
    team: (teamId) => config().teams.find((t) => t.id === teamId),
    teamsOf: (personId) => config().teams.filter((t) => t.members.includes(personId) || t.managers.includes(personId)).map((t) => t.id),
    async absentAt(people, at) {
      const t = at.getTime();
      return new Set((await store.absencesOf(people)).filter((a) => Date.parse(a.from) <= t && Date.parse(a.to) > t).map((a) => a.person));
    },
    async rememberUser(user) {
      if (user.platform === 'mattermost' && user.name) await store.rememberMattermostUser(user.name, user.id);
    },
    async addressesOf(personId) {
      const p = config().people.find((x) => x.id === personId);
      if (!p) return [];
      const out: DeliveryTarget[] = [];
      if (p.slack) out.push({ platform: 'slack', userId: p.slack });
      // An id learnt from their own commands first; else ask the platform (a lookup, cached by the adapter).
      const mm = p.mattermost ? ((await store.mattermostUserId(p.mattermost)) ?? (await opts.userIdOf?.('mattermost', p.mattermost).catch(() => undefined))) : undefined;
      if (mm) out.push({ platform: 'mattermost', userId: mm });
      // In the console a person's user id is their person id.
      out.push({ platform: 'console', userId: p.id });
      return out;
    },
  };
}
