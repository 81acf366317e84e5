/**
 * Freezes set and lifted from chat (recurring freezes from the config are not). Open releases
 * the freeze touches are re-settled, so their status follows the new calendar.
 */
import type { Environment } from '../../../config.js';
import { isOpen, normalizeId, type Freeze } from '../../../domain/release/release.js';
import { ForbiddenError, InputError } from '../../../errors.js';
import type { CoordinatorShared } from './shared.js';
import type { Actor, CoordinatorDeps, ReleaseCoordinator } from './types.js';

/** RelEs, admins and the environment's PREs may freeze it and lift its freezes. */
const mayFreeze = (actor: Actor, env: Environment): boolean =>
  actor.roles.has('rele') || actor.roles.has('admin') || Boolean(actor.personId && env.pres.includes(actor.personId));

export function freezeOps(deps: CoordinatorDeps, shared: CoordinatorShared): Pick<ReleaseCoordinator, 'freeze' | 'unfreeze'> {
  const { envInfo, allReleases, change } = shared;
  return {
    async freeze(actor, envId, from, to, reason, now) {
      const { env } = envInfo(envId);
      if (!mayFreeze(actor, env)) throw new ForbiddenError(`Only a RelE, an admin or a PRE of ${env.id} may freeze it.`);
      if (to.getTime() <= from.getTime()) throw new InputError('The freeze must end after it starts.');
      if (to.getTime() <= now.getTime()) throw new InputError('That freeze would already be over.');
      const id = await deps.store.nextId('F');
      const freeze: Freeze = { id, env: env.id, start: from.toISOString(), end: to.toISOString(), reason, by: actor.ref, at: now.toISOString() };
      await deps.store.freezes.put(id, freeze);
      const affected = (await allReleases()).filter((r) => r.env === env.id && isOpen(r) && Date.parse(r.start) < to.getTime() && Date.parse(r.end) > from.getTime());
      for (const r of affected) await change(r, actor.ref, now, (cur) => cur, 'updated');
      return { freeze, affected };
    },

    async unfreeze(actor, raw, now) {
      const id = normalizeId(raw, 'F');
      const found = id ? await deps.store.freezes.get(id) : undefined;
      if (!found) throw new InputError(`There is no freeze "${raw}" (freeze ids look like F3; recurring freezes from the config cannot be lifted here).`);
      const f = found.value;
      const { env } = envInfo(f.env);
      if (!mayFreeze(actor, env)) throw new ForbiddenError(`Only a RelE, an admin or a PRE of ${env.id} may lift this freeze.`);
      await deps.store.freezes.delete(f.id, found.rev);
      // Releases it blocked may now be complete and conflict-free.
      for (const r of (await allReleases()).filter((x) => x.env === f.env && isOpen(x))) await change(r, actor.ref, now, (cur) => cur, 'updated');
      return f;
    },
  };
}
