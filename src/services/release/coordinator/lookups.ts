/**
 * Finding what a request names and who may act on it: an environment (with its zone and
 * release policy), an app, a stored release, the owners and PREs a release answers to, and the
 * check that an actor may coordinate it.
 */
import { envPolicy } from '../../../domain/release/config.js';
import { actorsOf, type Scope } from '../../../domain/release/readiness.js';
import { normalizeId, type Release } from '../../../domain/release/release.js';
import { ForbiddenError, InputError } from '../../../errors.js';
import type { Actor, CoordinatorDeps, EnvInfo } from './types.js';

export type ReleaseLookups = ReturnType<typeof releaseLookups>;

export function releaseLookups(deps: CoordinatorDeps) {
  const releasesCfg = () => deps.config().releases;

  const envInfo = (id: string): EnvInfo => {
    const cfg = deps.config();
    const env = cfg.environments.find((e) => e.id === id);
    if (!env) throw new InputError(`Unknown environment "${id}"; known: ${cfg.environments.map((e) => e.id).join(', ') || 'none configured'}.`);
    return { env, zone: env.timezone ?? cfg.timezone, policy: envPolicy(cfg.releases, id) };
  };

  const appInfo = (id: string) => {
    const apps = releasesCfg().apps;
    const app = apps.find((a) => a.id === id);
    if (!app) throw new InputError(`Unknown app "${id}"; known: ${apps.map((a) => a.id).join(', ') || 'none configured (add them under releases.apps)'}.`);
    return app;
  };

  /** An app as people know it: its configured name, or its id once it is gone from the config. */
  const appName = (id: string) => releasesCfg().apps.find((a) => a.id === id)?.name ?? id;

  const scopeOf = (r: Pick<Release, 'app' | 'env'>): Scope => ({
    owners: releasesCfg().apps.find((a) => a.id === r.app)?.owners ?? [],
    pres: deps.config().environments.find((e) => e.id === r.env)?.pres ?? [],
  });

  const load = async (raw: string): Promise<Release> => {
    const id = normalizeId(raw, 'R');
    const found = id ? await deps.store.releases.get(id) : undefined;
    if (!found) throw new InputError(`There is no release "${raw}" (release ids look like R7).`);
    return found.value;
  };

  /** Coordinators of a release: RelEs, admins and the app's owners. */
  const mustCoordinate = (actor: Actor, r: Pick<Release, 'app' | 'env'>, what: string) => {
    const a = actorsOf(actor, scopeOf(r));
    if (!a.has('rele') && !a.has('admin') && !a.has('owner')) throw new ForbiddenError(`Only a RelE, an admin or an owner of ${appName(r.app)} may ${what}.`);
  };

  const allReleases = async () => (await deps.store.releases.list()).map((s) => s.value);

  return { releasesCfg, envInfo, appInfo, appName, scopeOf, load, mustCoordinate, allReleases };
}
