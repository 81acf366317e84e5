/**
 * What the on-call (rotation) service offers and needs: its interface, the change it reports to
 * listeners, and its options.
 */
import type { Platform, UserRef } from '../../chat/port.js';
import type { Config, Team } from '../../config.js';
import type { RotationEntry } from '../../domain/oncall/config.js';
import type { SlotDuty } from '../../domain/oncall/on-duty.js';
import type { ScheduleInput } from '../../domain/oncall/resolve.js';
import type { RotationDecl, Segment } from '../../domain/oncall/types.js';
import type { AbsenceRecord, OverrideRecord, RotationStateRecord } from '../../store/oncall/records.js';
import type { MigrationReport, RotationStore, RotationView } from '../../store/oncall/rotation-store.js';
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
  /**
   * What the resolver needs for a rotation over `[from, to)` (default: from `now` on, as far as
   * `duty` and edit previews look); overrides and swaps outside it are left out. Shared with the
   * cache, so treat it as read-only.
   */
  schedule(rotationId: string, now: Date, window?: { from: Date; to: Date }): Promise<ScheduleInput>;
  segments(rotationId: string, from: Date, to: Date, now: Date): Promise<Segment[]>;
  duty(rotationId: string, at: Date): Promise<SlotDuty[]>;
  /** The declaration in force at `at` (after syncing with the config). */
  declAt(rotationId: string, at: Date): Promise<RotationDecl | undefined>;
  addOverride(rotationId: string, o: { slot: string; person: string; from: Date; to: Date; by?: string; reason?: 'cover' | 'override' }, now: Date): Promise<OverrideRecord>;
  /** Record an absence; one with the same person, kind and times already there is returned (`existed`) instead. */
  addLeave(person: string, from: Date, to: Date, kind: 'leave' | 'tour', now: Date, by?: string): Promise<AbsenceRecord & { existed?: true }>;
  /** Move the end of an absence (a tour ended early or extended); `to` at or before its start removes it. */
  moveAbsenceEnd(person: string, absenceId: string, to: Date, now: Date): Promise<void>;
  /** A tour with `host` was assigned, extended or ended: re-plan the host team's rotation. */
  tourChanged(host: string, now: Date): Promise<void>;
  /** Absences of people overlapping `at`. */
  absentAt(people: readonly string[], at: Date): Promise<Set<string>>;
  /** A rotation's record with every override and swap (reads them all: for commands and tests). */
  state(rotationId: string): Promise<RotationStateRecord>;
  /** Change a rotation's record and swaps, then re-plan (for swaps and member edits; overrides go through addOverride). */
  change(rotationId: string, kind: RotationChange['kind'], fn: (s: RotationView) => RotationView, now: Date): Promise<RotationView>;
  /** Move rotations and absences still in the single-record layout to one item each (run at start). */
  migrate(): Promise<MigrationReport>;
  /** Note a platform user's id (Mattermost DMs need ids; the config has usernames). */
  rememberUser(user: UserRef): Promise<void>;
  /** Where to DM a configured person: their Slack id, and their Mattermost id once known. */
  addressesOf(personId: string): Promise<DeliveryTarget[]>;
  /** Called after every change (handoff re-planning hooks in here). */
  onChange(listener: (change: RotationChange, now: Date) => Promise<void>): void;
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
