/**
 * Proposing a release: checks who may, that the time is ahead and the length positive, stores
 * it under the next `R` id with its proposer and the app's owners as participants, and checks
 * its slot.
 */
import { configDuration } from '../../../domain/release/config.js';
import { isOpen, type Release } from '../../../domain/release/release.js';
import { InputError, dated } from '../../../errors.js';
import { addDuration } from '../../../time/when.js';
import type { CoordinatorShared } from './shared.js';
import type { CoordinatorDeps, ReleaseCoordinator } from './types.js';

export function proposalOps(deps: CoordinatorDeps, shared: CoordinatorShared): Pick<ReleaseCoordinator, 'propose'> {
  const { appInfo, envInfo, mustCoordinate, releasesCfg, check, allReleases } = shared;
  return {
    async propose(actor, input, now, origin) {
      const app = appInfo(input.app);
      const { zone, env } = envInfo(input.env);
      mustCoordinate(actor, { app: app.id, env: env.id }, 'propose a release');
      if (input.start.getTime() <= now.getTime()) throw new InputError(dated`${input.start} is in the past; propose a release for a future time.`);
      // The same version into the same environment twice is a slip: show the one already there.
      const same = (await allReleases()).find((r) => isOpen(r) && r.app === app.id && r.version === input.version && r.env === env.id);
      if (same) {
        throw new InputError(dated`${app.id} ${input.version} is already proposed for ${env.id} as ${same.id} (${same.status}, ${new Date(same.start)}): see /release show ${same.id}, or move it with /release reschedule ${same.id} <when>.`);
      }
      const duration = input.duration ?? configDuration(releasesCfg().defaultDuration);
      const end = addDuration(input.start, duration, zone);
      if (end.getTime() <= input.start.getTime()) throw new InputError('The duration must be longer than zero.');
      const id = await deps.store.nextId('R');
      const participants = [...new Set([actor.ref, ...app.owners.map((o) => `person:${o}`)])];
      const release: Release = {
        id,
        app: app.id,
        version: input.version,
        env: env.id,
        start: input.start.toISOString(),
        end: end.toISOString(),
        status: 'proposed',
        proposedBy: actor.ref,
        proposedAt: now.toISOString(),
        checks: {},
        signoffs: {},
        history: [{ at: now.toISOString(), by: actor.ref, action: 'proposed', to: input.start.toISOString() }],
        origin,
        participants,
      };
      await deps.store.releases.put(id, release);
      const slotCheck = await check(env.id, { start: input.start, end }, id, duration, now);
      await deps.changed?.(release, 'proposed', now);
      return { release, check: slotCheck };
    },
  };
}
