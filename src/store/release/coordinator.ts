/**
 * Release coordination over the store: gathers an environment's platform calendar (own freezes,
 * recurring freezes from config, other releases, and the PlatformCalendar port for maintenance
 * windows and blocking cadence events), checks conflicts, suggests free slots, and applies every
 * change to a release with a CAS update so concurrent ticks and sign-offs never overwrite each
 * other. Errors are the framework's coded errors, so handlers can let them through.
 */
import type { Platform } from '../../chat/port.js';
import type { Config, Environment, Role } from '../../config.js';
import type { Blocker, Interval } from '../../domain/release/blockers.js';
import { calendarBlockers, type PlatformCalendar } from '../../domain/release/calendar-port.js';
import { configDuration, envPolicy, type EnvPolicy, type ReleaseActor } from '../../domain/release/config.js';
import { findConflicts } from '../../domain/release/conflicts.js';
import { withinReleaseHours } from '../../domain/release/hours.js';
import { actorsOf, missing, ReadinessError, settle, signOff, tick, type Missing, type Scope, type Who } from '../../domain/release/readiness.js';
import { recurringFreezeBlockers } from '../../domain/release/recurring-freezes.js';
import { isOpen, normalizeId, type Freeze, type Outcome, type Release } from '../../domain/release/release.js';
import { DEFAULT_HORIZON_DAYS, nextFreeSlots } from '../../domain/release/slots.js';
import { releaseStats, type ReleaseStats } from '../../domain/release/stats.js';
import { ForbiddenError, InputError } from '../../errors.js';
import { addDuration, type Duration } from '../../time/when.js';
import type { ReleaseStore } from './store.js';

export interface Actor extends Who {
  platform: Platform;
  userId: string;
}

export type ChangeKind = 'proposed' | 'rescheduled' | 'cancelled' | 'confirmed' | 'updated' | 'outcome';

export interface CoordinatorDeps {
  store: ReleaseStore;
  config(): Config;
  /** Maintenance windows and blocking events; read at each use (other features may come and go). */
  calendar(): PlatformCalendar;
  /** Called after each stored change (countdown timers, announcements). */
  changed?(release: Release, kind: ChangeKind, now: Date): Promise<void>;
}

export interface SlotCheck {
  conflicts: Blocker[];
  inHours: boolean;
  /** Next free slots within release hours (empty when the slot is fine). */
  suggestions: Interval[];
}

export interface EnvInfo {
  env: Environment;
  zone: string;
  policy: EnvPolicy;
}

const DAY = 86_400_000;

export function createReleaseCoordinator(deps: CoordinatorDeps) {
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
    if (!a.has('rele') && !a.has('admin') && !a.has('owner')) throw new ForbiddenError(`Only a RelE, an admin or an owner of ${r.app} may ${what}.`);
  };

  const allReleases = async () => (await deps.store.releases.list()).map((s) => s.value);

  /** Owners as people read them: a configured person's name, anything else as it is. */
  const ownerName = (ref: string): string => {
    if (!ref.startsWith('person:')) return ref;
    const id = ref.slice('person:'.length);
    return deps.config().people.find((p) => p.id === id)?.name ?? id;
  };

  const blockers = async (envId: string, from: Date, to: Date): Promise<Blocker[]> => {
    const { zone } = envInfo(envId);
    const [freezes, releases, external] = await Promise.all([deps.store.freezes.list(), allReleases(), calendarBlockers(deps.calendar(), envId, from, to)]);
    const own: Blocker[] = freezes
      .map((f) => f.value)
      .filter((f) => f.env === envId)
      .map((f) => ({ kind: 'freeze', id: f.id, title: f.reason, owner: ownerName(f.by), start: new Date(f.start), end: new Date(f.end) }));
    const others: Blocker[] = releases
      // Done releases stay on the calendar (and count for spacing); cancelled ones are gone.
      .filter((r) => r.env === envId && r.status !== 'cancelled')
      .map((r) => ({ kind: 'release', id: r.id, title: `${r.app} ${r.version}`, owner: ownerName(r.proposedBy), start: new Date(r.start), end: new Date(r.end) }));
    return [...own, ...recurringFreezeBlockers(releasesCfg().recurringFreezes, envId, zone, from, to), ...others, ...external];
  };

  const check = async (envId: string, slot: Interval, self: string | undefined, duration: Duration, now: Date): Promise<SlotCheck> => {
    const { zone, policy } = envInfo(envId);
    const rules = { spacingMs: policy.spacingMs, ...(self ? { self } : {}) };
    const horizonEnd = new Date(Math.max(slot.end.getTime(), now.getTime()) + (DEFAULT_HORIZON_DAYS + 2) * DAY + policy.spacingMs);
    const all = await blockers(envId, new Date(Math.min(slot.start.getTime(), now.getTime()) - policy.spacingMs - DAY), horizonEnd);
    const conflicts = findConflicts(slot, all, rules);
    const inHours = withinReleaseHours(slot, policy.hours, zone);
    const suggestions = conflicts.length || !inHours ? nextFreeSlots({ after: now, duration, zone, hours: policy.hours, blockers: all, rules }) : [];
    return { conflicts, inHours, suggestions };
  };

  const durationOf = (r: Release): Duration => ({ ms: Date.parse(r.end) - Date.parse(r.start) });

  /** Apply `fn` under CAS, then settle the status (confirmed iff complete and conflict-free). */
  const change = async (r: Release, by: string, now: Date, fn: (cur: Release) => Release, kind: ChangeKind): Promise<{ release: Release; check: SlotCheck }> => {
    const stored = await deps.store.releases.update(r.id, (cur) => fn(cur));
    let release = stored.value;
    const slotCheck = await check(release.env, { start: new Date(release.start), end: new Date(release.end) }, release.id, durationOf(release), now);
    const m = missing(release, releasesCfg().checklist, releasesCfg().signoffs);
    const settled = settle(release, m.items.length === 0 && m.signoffs.length === 0, slotCheck.conflicts.length === 0 && slotCheck.inHours, by, now);
    let effective = kind;
    if (settled !== release) {
      release = (await deps.store.releases.update(release.id, (cur) => settle(cur, m.items.length === 0 && m.signoffs.length === 0, slotCheck.conflicts.length === 0 && slotCheck.inHours, by, now))).value;
      if (release.status === 'confirmed' && kind === 'updated') effective = 'confirmed';
    }
    await deps.changed?.(release, effective, now);
    return { release, check: slotCheck };
  };

  const readinessError = (e: unknown): never => {
    if (e instanceof ReadinessError) throw e.kind === 'forbidden' ? new ForbiddenError(e.message) : new InputError(e.message);
    throw e;
  };

  return {
    envInfo,
    appInfo,
    load,
    blockers,
    scopeOf,

    missing(r: Release): Missing {
      return missing(r, releasesCfg().checklist, releasesCfg().signoffs);
    },

    async propose(actor: Actor, input: { app: string; version: string; env: string; start: Date; duration?: Duration }, now: Date, origin: Release['origin']) {
      const app = appInfo(input.app);
      const { zone, env } = envInfo(input.env);
      mustCoordinate(actor, { app: app.id, env: env.id }, 'propose a release');
      if (input.start.getTime() <= now.getTime()) throw new InputError('That time is in the past; propose a release for a future time.');
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

    async reschedule(actor: Actor, raw: string, start: Date, now: Date) {
      const r = await load(raw);
      mustCoordinate(actor, r, 'reschedule it');
      if (!isOpen(r)) throw new InputError(`${r.id} is ${r.status}; only proposed or confirmed releases can be rescheduled.`);
      if (start.getTime() <= now.getTime()) throw new InputError('That time is in the past; pick a future time.');
      if (start.toISOString() === r.start) throw new InputError(`${r.id} is already at that time.`);
      const length = Date.parse(r.end) - Date.parse(r.start);
      return change(
        r,
        actor.ref,
        now,
        (cur) => ({
          ...cur,
          start: start.toISOString(),
          end: new Date(start.getTime() + length).toISOString(),
          // Sign-offs were given for the old date; the checklist is about the release itself and stays.
          signoffs: {},
          history: [...cur.history, { at: now.toISOString(), by: actor.ref, action: 'rescheduled', from: cur.start, to: start.toISOString() }],
        }),
        'rescheduled',
      );
    },

    async cancel(actor: Actor, raw: string, reason: string, now: Date) {
      const r = await load(raw);
      mustCoordinate(actor, r, 'cancel it');
      if (!isOpen(r)) throw new InputError(`${r.id} is already ${r.status}.`);
      const stored = await deps.store.releases.update(r.id, (cur) => ({
        ...cur,
        status: 'cancelled',
        cancelled: { reason, by: actor.ref, at: now.toISOString() },
        history: [...cur.history, { at: now.toISOString(), by: actor.ref, action: 'cancelled', note: reason }],
      }));
      await deps.changed?.(stored.value, 'cancelled', now);
      return stored.value;
    },

    async tick(actor: Actor, raw: string, item: string, now: Date) {
      const r = await load(raw);
      // Checked on the fresh value inside the CAS update; a refusal there changes nothing.
      return change(r, actor.ref, now, (cur) => {
        try {
          return tick(cur, releasesCfg().checklist, item, actor, scopeOf(cur), now);
        } catch (e) {
          return readinessError(e);
        }
      }, 'updated');
    },

    async sign(actor: Actor, raw: string, as: ReleaseActor | undefined, now: Date) {
      const r = await load(raw);
      let role: ReleaseActor | undefined;
      const result = await change(r, actor.ref, now, (cur) => {
        try {
          const s = signOff(cur, releasesCfg().signoffs, actor, scopeOf(cur), now, as);
          role = s.role;
          return s.release;
        } catch (e) {
          return readinessError(e);
        }
      }, 'updated');
      return { ...result, role: role as ReleaseActor };
    },

    async outcome(actor: Actor & { roles: ReadonlySet<Role> }, raw: string, result: Outcome, openBugs: number, notes: string | undefined, now: Date) {
      const r = await load(raw);
      const a = actorsOf(actor, scopeOf(r));
      if (!a.has('rele') && !a.has('admin')) throw new ForbiddenError('Only a RelE or an admin may record an outcome.');
      if (r.status === 'cancelled') throw new InputError(`${r.id} was cancelled; there is no outcome to record.`);
      if (r.outcome) throw new InputError(`${r.id} already has an outcome (${r.outcome.result}).`);
      if (now.getTime() < Date.parse(r.start)) throw new InputError(`${r.id} has not started yet; record the outcome after its release time.`);
      const stored = await deps.store.releases.update(r.id, (cur) => {
        if (cur.outcome) throw new InputError(`${r.id} already has an outcome (${cur.outcome.result}).`);
        return {
          ...cur,
          status: 'done',
          outcome: { result, openBugs, ...(notes ? { notes } : {}), by: actor.ref, at: now.toISOString() },
          history: [...cur.history, { at: now.toISOString(), by: actor.ref, action: 'outcome', note: result }],
        };
      });
      await deps.changed?.(stored.value, 'outcome', now);
      return stored.value;
    },

    async freeze(actor: Actor, envId: string, from: Date, to: Date, reason: string, now: Date): Promise<{ freeze: Freeze; affected: Release[] }> {
      const { env } = envInfo(envId);
      if (!actor.roles.has('rele') && !actor.roles.has('admin') && !(actor.personId && env.pres.includes(actor.personId))) {
        throw new ForbiddenError(`Only a RelE, an admin or a PRE of ${env.id} may freeze it.`);
      }
      if (to.getTime() <= from.getTime()) throw new InputError('The freeze must end after it starts.');
      if (to.getTime() <= now.getTime()) throw new InputError('That freeze would already be over.');
      const id = await deps.store.nextId('F');
      const freeze: Freeze = { id, env: env.id, start: from.toISOString(), end: to.toISOString(), reason, by: actor.ref, at: now.toISOString() };
      await deps.store.freezes.put(id, freeze);
      const affected = (await allReleases()).filter((r) => r.env === env.id && isOpen(r) && Date.parse(r.start) < to.getTime() && Date.parse(r.end) > from.getTime());
      for (const r of affected) await change(r, actor.ref, now, (cur) => cur, 'updated');
      return { freeze, affected };
    },

    async unfreeze(actor: Actor, raw: string, now: Date): Promise<Freeze> {
      const id = normalizeId(raw, 'F');
      const found = id ? await deps.store.freezes.get(id) : undefined;
      if (!found) throw new InputError(`There is no freeze "${raw}" (freeze ids look like F3; recurring freezes from the config cannot be lifted here).`);
      const f = found.value;
      const { env } = envInfo(f.env);
      if (!actor.roles.has('rele') && !actor.roles.has('admin') && !(actor.personId && env.pres.includes(actor.personId))) {
        throw new ForbiddenError(`Only a RelE, an admin or a PRE of ${env.id} may lift this freeze.`);
      }
      await deps.store.freezes.delete(f.id, found.rev);
      // Releases it blocked may now be complete and conflict-free.
      for (const r of (await allReleases()).filter((x) => x.env === f.env && isOpen(x))) await change(r, actor.ref, now, (cur) => cur, 'updated');
      return f;
    },

    /** Releases, freezes, maintenance and blocking events on the given environments in [from, to). */
    async calendar(envIds: string[], from: Date, to: Date) {
      const lists = await Promise.all(
        envIds.map(async (envId) => {
          const all = await blockers(envId, from, to);
          return all.filter((b) => b.start.getTime() < to.getTime() && b.end.getTime() > from.getTime()).map((b) => ({ ...b, env: envId }));
        }),
      );
      return lists.flat().sort((a, b) => a.start.getTime() - b.start.getTime() || a.env.localeCompare(b.env));
    },

    async list(filter: (r: Release) => boolean = () => true): Promise<Release[]> {
      return (await allReleases()).filter(filter).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
    },

    async stats(filter: { app?: string; env?: string }): Promise<ReleaseStats> {
      return releaseStats((await allReleases()).filter((r) => (!filter.app || r.app === filter.app) && (!filter.env || r.env === filter.env)));
    },
  };
}

export type ReleaseCoordinator = ReturnType<typeof createReleaseCoordinator>;
