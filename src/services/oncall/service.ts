/**
 * On-call service: the config declaration of each rotation, the team's chat changes from Redis,
 * and the resolver, put together. Every answer about who is on duty goes through `schedule`, so
 * it always reflects the resolved schedule (overrides, swaps, leave), never the raw rotation.
 *
 * Schedule inputs are cached per rotation under the stamp they were read at (the rotation
 * record's revision and the absence and tour write counters, see RotationStore.stamp). A query
 * with a cached copy reads the stamp first, in one round trip, and rebuilds only when it moved, so
 * an edit made through any process is seen by the next query everywhere, and an unchanged rotation
 * costs one read. A rebuild reads the records together with the stamp they match (RotationStore.load).
 */
import { randomUUID } from 'node:crypto';
import type { Platform, UserRef } from '../../chat/port.js';
import type { Config, Team } from '../../config.js';
import { toRotationDecl, type RotationEntry } from '../../domain/oncall/config.js';
import { onDutyAt, type SlotDuty } from '../../domain/oncall/on-duty.js';
import { resolveSchedule, versionAt, type ScheduleInput } from '../../domain/oncall/resolve.js';
import type { RotationDecl, Segment } from '../../domain/oncall/types.js';
import { changesOf, emptyRotationState, versionsOf, type AbsenceRecord, type OverrideRecord, type RotationStateRecord } from '../../store/oncall/records.js';
import type { RotationStore } from '../../store/oncall/rotation-store.js';
import type { Tour } from '../../store/tour/store.js';
import type { DeliveryTarget } from '../../delivery/service.js';

/** What changed, for whoever re-plans handoffs and announcements. */
export type RotationChange = { rotationId: string; kind: 'override' | 'leave' | 'swap' | 'member' | 'version' | 'tour' };

export interface OncallService {
  /** Rotations declared in the config in force. */
  entries(): RotationEntry[];
  entryForTeam(team: string): RotationEntry | undefined;
  entry(rotationId: string): RotationEntry | undefined;
  team(teamId: string): Team | undefined;
  /** Ids of the teams a person belongs to (member or manager) in the config. */
  teamsOf(personId: string): string[];
  /** Start a new declaration version for every rotation whose config changed (from `now` on). */
  sync(now: Date): Promise<void>;
  /** What the resolver needs for a rotation; shared with the cache, so treat it as read-only. */
  schedule(rotationId: string, now: Date): Promise<ScheduleInput>;
  segments(rotationId: string, from: Date, to: Date, now: Date): Promise<Segment[]>;
  duty(rotationId: string, at: Date): Promise<SlotDuty[]>;
  /** The declaration in force at `at` (after syncing with the config). */
  declAt(rotationId: string, at: Date): Promise<RotationDecl | undefined>;
  addOverride(rotationId: string, o: { slot: string; person: string; from: Date; to: Date; by?: string; reason?: 'cover' | 'override' }, now: Date): Promise<OverrideRecord>;
  addLeave(person: string, from: Date, to: Date, kind: 'leave' | 'tour', now: Date, by?: string): Promise<AbsenceRecord>;
  /** Move the end of an absence (a tour ended early or extended); `to` at or before its start removes it. */
  moveAbsenceEnd(person: string, absenceId: string, to: Date, now: Date): Promise<void>;
  /** A tour with `host` was assigned, extended or ended: re-plan the host team's rotation. */
  tourChanged(host: string, now: Date): Promise<void>;
  /** Absences of people overlapping `at`. */
  absentAt(people: readonly string[], at: Date): Promise<Set<string>>;
  state(rotationId: string): Promise<RotationStateRecord>;
  /** Change a rotation's stored chat state atomically, then re-plan (for swaps and member edits). */
  change(rotationId: string, kind: RotationChange['kind'], fn: (s: RotationStateRecord) => RotationStateRecord, now: Date): Promise<RotationStateRecord>;
  /** Note a platform user's id (Mattermost DMs need ids; the config has usernames). */
  rememberUser(user: UserRef): Promise<void>;
  /** Where to DM a configured person: their Slack id, and their Mattermost id once known. */
  addressesOf(personId: string): Promise<DeliveryTarget[]>;
  /** Called after every change (handoff re-planning hooks in here). */
  onChange(listener: (change: RotationChange, now: Date) => Promise<void>): void;
}

/** JSON with sorted keys, so two equal declarations compare equal whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

export interface OncallServiceOptions {
  store: RotationStore;
  config: () => Config;
  /**
   * The platform user id behind a configured handle (ChatAdapter.userIdOf), so a Mattermost
   * person can be sent a DM before they have ever used a command there.
   */
  userIdOf?: (platform: Platform, handle: string) => Promise<string | undefined>;
}

export function createOncallService(opts: OncallServiceOptions): OncallService {
  const { store, config } = opts;
  const listeners: ((c: RotationChange, now: Date) => Promise<void>)[] = [];
  const entries = () => config().rotations;
  const entry = (id: string) => entries().find((r) => r.id === id);
  const declOf = (e: RotationEntry) => toRotationDecl(e, config().timezone);
  const cache = new Map<string, { stamp: string; decl: string | undefined; people: string[]; input: ScheduleInput }>();
  // Each config entry's declaration, its canonical form and its members, computed once per loaded config.
  const declKeys = new WeakMap<RotationEntry, { zone: string; key: string; members: string[] }>();
  const declInfo = (e: RotationEntry) => {
    const zone = config().timezone;
    let k = declKeys.get(e);
    if (!k || k.zone !== zone) {
      const decl = declOf(e);
      declKeys.set(e, (k = { zone, key: canonical(decl), members: decl.layers.flatMap((l) => l.members) }));
    }
    return k;
  };
  const declKeyOf = (e: RotationEntry | undefined): string | undefined => (e ? declInfo(e).key : undefined);
  const emit = async (c: RotationChange, now: Date) => {
    for (const l of listeners) await l(c, now);
  };

  /** Whether a stored record lacks the config's current declaration as its last version. */
  const needsVersion = (s: RotationStateRecord, key: string | undefined) => {
    const last = s.versions[s.versions.length - 1];
    return !last || canonical(last.decl) !== key;
  };

  /**
   * The stored record (`read`, or read now), with the config's declaration added as a new version
   * if it changed.
   */
  async function synced(rotationId: string, now: Date, read?: RotationStateRecord): Promise<{ state: RotationStateRecord; changed: boolean }> {
    const e = entry(rotationId);
    const state = read ?? (await store.state(rotationId));
    if (!e) return { state, changed: false };
    const decl = declOf(e);
    const key = declKeyOf(e);
    if (!needsVersion(state, key)) return { state, changed: false };
    // The first declaration applies from the beginning of time; a changed one from now on, so
    // turns before the reload keep the declaration they were served under.
    const next = await store.updateState(rotationId, (cur) =>
      needsVersion(cur, key) ? { ...cur, versions: [...cur.versions, { from: new Date(cur.versions.length === 0 ? 0 : now.getTime()).toISOString(), decl }] } : cur,
    );
    return { state: next, changed: true };
  }

  /** The host team's tours, for a rotation whose record is `state`. */
  const guestsOf = (rotationId: string, state: RotationStateRecord, tours: readonly Tour[]) => {
    const team = entry(rotationId)?.team ?? state.versions[state.versions.length - 1]?.decl.team;
    return team ? tours.filter((t) => t.host === team) : [];
  };

  /**
   * Whose absences a rotation's schedule needs: everyone in any of its versions or queue edits,
   * its guests, and the members of the config's declaration (the version a sync may be about to
   * add, so its absences are read before it is written).
   */
  const peopleOf = (rotationId: string, state: RotationStateRecord, guests: readonly Tour[]) => {
    const people = new Set<string>();
    for (const v of state.versions) for (const l of v.decl.layers) for (const m of l.members) people.add(m);
    for (const e of state.memberEdits) people.add(e.person);
    for (const g of guests) people.add(g.person);
    const e = entry(rotationId);
    if (e) for (const m of declInfo(e).members) people.add(m);
    return people;
  };

  async function schedule(rotationId: string, now: Date): Promise<ScheduleInput> {
    const decl = declKeyOf(entry(rotationId));
    const hit = cache.get(rotationId);
    // A cached copy costs one stamp read; without one there is nothing to compare, so the stamp
    // comes with the records instead (see RotationStore.load).
    if (hit && hit.decl === decl && hit.stamp === (await store.stamp(rotationId))) return hit.input;
    // Whose absences to ask for with the record: the people of the last build, or on a first
    // build the config's members; anyone else the record names costs a second read.
    const likely = hit?.people ?? [...peopleOf(rotationId, emptyRotationState(), [])];
    const source = await store.load(rotationId, likely, (s, tours) => peopleOf(rotationId, s, guestsOf(rotationId, s, tours)));
    const { state, changed } = await synced(rotationId, now, source.state);
    const guests = guestsOf(rotationId, state, source.tours);
    const input = { versions: versionsOf(state), changes: changesOf(state, source.absences, guests) };
    // A sync that wrote a new version moved the stamp; the next query caches the new one.
    if (changed) cache.delete(rotationId);
    else cache.set(rotationId, { stamp: source.stamp, decl, people: [...peopleOf(rotationId, state, guests)], input });
    return input;
  }

  return {
    entries,
    entry,
    entryForTeam: (team) => entries().find((r) => r.team === team),
    team: (teamId) => config().teams.find((t) => t.id === teamId),
    teamsOf: (personId) => config().teams.filter((t) => t.members.includes(personId) || t.managers.includes(personId)).map((t) => t.id),
    async sync(now) {
      for (const e of entries()) {
        const { changed } = await synced(e.id, now);
        if (changed) await emit({ rotationId: e.id, kind: 'version' }, now);
      }
    },
    schedule,
    async segments(rotationId, from, to, now) {
      return resolveSchedule(await schedule(rotationId, now), from, to);
    },
    async duty(rotationId, at) {
      return onDutyAt(await schedule(rotationId, at), at);
    },
    async declAt(rotationId, at) {
      return versionAt((await schedule(rotationId, at)).versions, at);
    },
    async addOverride(rotationId, o, now) {
      const record: OverrideRecord = { id: randomUUID().slice(0, 8), slot: o.slot, person: o.person, from: o.from.toISOString(), to: o.to.toISOString(), createdAt: now.toISOString(), reason: o.reason ?? 'override', ...(o.by ? { by: o.by } : {}) };
      await synced(rotationId, now);
      await store.updateState(rotationId, (s) => ({ ...s, overrides: [...s.overrides, record] }));
      await emit({ rotationId, kind: 'override' }, now);
      return record;
    },
    async addLeave(person, from, to, kind, now, by) {
      const record: AbsenceRecord = { id: randomUUID().slice(0, 8), person, from: from.toISOString(), to: to.toISOString(), kind, createdAt: now.toISOString(), ...(by ? { by } : {}) };
      await store.updateAbsences(person, (items) => [...items, record]);
      for (const e of entries()) {
        const decl = declOf(e);
        if (decl.layers.some((l) => l.members.includes(person))) await emit({ rotationId: e.id, kind: 'leave' }, now);
      }
      return record;
    },
    state: (rotationId) => store.state(rotationId),
    async moveAbsenceEnd(person, absenceId, to, now) {
      await store.updateAbsences(person, (items) => items.flatMap((a) => (a.id !== absenceId ? [a] : Date.parse(a.from) >= to.getTime() ? [] : [{ ...a, to: to.toISOString() }])));
      for (const e of entries()) if (declOf(e).layers.some((l) => l.members.includes(person))) await emit({ rotationId: e.id, kind: 'leave' }, now);
    },
    async tourChanged(host, now) {
      const e = entries().find((r) => r.team === host);
      if (e) await emit({ rotationId: e.id, kind: 'tour' }, now);
    },
    async absentAt(people, at) {
      const t = at.getTime();
      return new Set((await store.absencesOf(people)).filter((a) => Date.parse(a.from) <= t && Date.parse(a.to) > t).map((a) => a.person));
    },
    async change(rotationId, kind, fn, now) {
      await synced(rotationId, now);
      const next = await store.updateState(rotationId, fn);
      await emit({ rotationId, kind }, now);
      return next;
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
      return out;
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}

