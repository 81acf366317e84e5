/**
 * Reading releases without changing them: the combined calendar of several environments, a
 * filtered list in start order, and outcome statistics.
 */
import { releaseStats } from '../../../domain/release/stats.js';
import type { CoordinatorShared } from './shared.js';
import type { ReleaseCoordinator } from './types.js';

export function queryOps(shared: CoordinatorShared): Pick<ReleaseCoordinator, 'calendar' | 'list' | 'stats'> {
  const { blockers, allReleases } = shared;
  return {
    /** Releases, freezes, maintenance and blocking events on the given environments in [from, to). */
    async calendar(envIds, from, to) {
      const lists = await Promise.all(
        envIds.map(async (envId) => {
          const all = await blockers(envId, from, to);
          return all.filter((b) => b.start.getTime() < to.getTime() && b.end.getTime() > from.getTime()).map((b) => ({ ...b, env: envId }));
        }),
      );
      return lists.flat().sort((a, b) => a.start.getTime() - b.start.getTime() || a.env.localeCompare(b.env));
    },

    async list(filter = () => true) {
      return (await allReleases()).filter(filter).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    },

    async stats(filter) {
      return releaseStats((await allReleases()).filter((r) => (!filter.app || r.app === filter.app) && (!filter.env || r.env === filter.env)));
    },
  };
}
