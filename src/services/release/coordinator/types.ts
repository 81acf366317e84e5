/**
 * What release coordination offers and needs: the coordinator's interface, its deps, who acts,
 * the kinds of change it reports, and the answers of a slot check and an environment lookup.
 */
import type { Platform } from '../../../chat/port.js';
import type { Config, Environment, Role } from '../../../config.js';
import type { Blocker, Interval } from '../../../domain/release/blockers.js';
import type { PlatformCalendar } from '../../../domain/release/calendar-port.js';
import type { EnvPolicy, ReleaseActor } from '../../../domain/release/config.js';
import type { Missing, Scope, Who } from '../../../domain/release/readiness.js';
import type { Freeze, Outcome, Release } from '../../../domain/release/release.js';
import type { ReleaseStats } from '../../../domain/release/stats.js';
import type { ReleaseStore } from '../../../store/release/store.js';
import type { Duration } from '../../../time/when.js';

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

/** A release as stored after a change, with the check of its slot. */
export interface ChangeResult {
  release: Release;
  check: SlotCheck;
}

export interface ReleaseCoordinator {
  envInfo(id: string): EnvInfo;
  appInfo(id: string): Config['releases']['apps'][number];
  load(raw: string): Promise<Release>;
  blockers(envId: string, from: Date, to: Date): Promise<Blocker[]>;
  scopeOf(r: Pick<Release, 'app' | 'env'>): Scope;
  missing(r: Release): Missing;
  propose(actor: Actor, input: { app: string; version: string; env: string; start: Date; duration?: Duration }, now: Date, origin: Release['origin']): Promise<ChangeResult>;
  reschedule(actor: Actor, raw: string, start: Date, now: Date): Promise<ChangeResult>;
  cancel(actor: Actor, raw: string, reason: string, now: Date): Promise<Release>;
  tick(actor: Actor, raw: string, item: string, now: Date): Promise<ChangeResult>;
  sign(actor: Actor, raw: string, as: ReleaseActor | undefined, now: Date): Promise<ChangeResult & { role: ReleaseActor }>;
  outcome(actor: Actor & { roles: ReadonlySet<Role> }, raw: string, result: Outcome, openBugs: number, notes: string | undefined, now: Date): Promise<Release>;
  freeze(actor: Actor, envId: string, from: Date, to: Date, reason: string, now: Date): Promise<{ freeze: Freeze; affected: Release[] }>;
  unfreeze(actor: Actor, raw: string, now: Date): Promise<Freeze>;
  /** Releases, freezes, maintenance and blocking events on the given environments in [from, to). */
  calendar(envIds: string[], from: Date, to: Date): Promise<(Blocker & { env: string })[]>;
  list(filter?: (r: Release) => boolean): Promise<Release[]>;
  stats(filter: { app?: string; env?: string }): Promise<ReleaseStats>;
}
