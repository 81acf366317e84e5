/**
 * The rotation model: what a rotation declares (from config, or edited from chat) and what the
 * team changes on top of it (overrides, swaps, leave, member edits). All instants are UTC Dates;
 * every declaration carries its IANA zone, and local times are read in that zone.
 */
import type { LocalDateTime } from '../../time/wall-clock.js';
import type { LocalTime } from '../../time/when.js';

export type TurnUnit = 'hours' | 'days' | 'weeks' | 'months';

export interface TurnLength {
  unit: TurnUnit;
  /** How many units one turn lasts (1 or more). */
  count: number;
}

/**
 * When a restricted rotation is active: on these local weekdays (0 = Sunday), from `from` to
 * `to` local time. `to` at or before `from` runs past midnight into the next day; `to` 00:00 with
 * `from` 00:00 is the whole day.
 */
export interface Restriction {
  weekdays: number[];
  from: LocalTime;
  to: LocalTime;
}

/** One queue of people taking turns. Several layers make primary/secondary or regional shifts. */
export interface LayerDecl {
  name: string;
  /**
   * Which duty this layer fills (`primary`, `secondary`…); defaults to the layer name. Regional
   * layers share a slot and split it between them; where they overlap, `precedence` decides.
   */
  slot?: string;
  /** Lower wins: 1 beats 2 where two layers of one slot overlap. */
  precedence: number;
  members: string[];
  /**
   * The layer's own IANA zone (follow-the-sun: a London layer and a New York layer of one slot);
   * default: the rotation's. Its anchor, turns and restriction are wall-clock times in this zone.
   */
  zone?: string;
  /** The first handoff, local time in the layer's zone. */
  anchor: LocalDateTime;
  turn: TurnLength;
  restriction?: Restriction;
}

export interface RotationDecl {
  id: string;
  team: string;
  zone: string;
  layers: LayerDecl[];
}

/**
 * A declaration and the instant it took effect. A config reload that changes a rotation starts a
 * new version from the reload on; turns before `from` keep being computed from the old one.
 */
export interface RotationVersion {
  from: Date;
  decl: RotationDecl;
}

/** Someone takes over `[from, to)` of a slot. Where overrides overlap, the later `createdAt` wins. */
export interface Override {
  id: string;
  slot: string;
  person: string;
  from: Date;
  to: Date;
  createdAt: Date;
  /** Who the override covered for, when it was taken from a gap or a cover request. */
  reason?: 'cover' | 'override';
}

/** Two whole turns of one layer change hands; their boundaries stay where they are. */
export interface Swap {
  id: string;
  layer: string;
  /** Start instants of the two turns (as planned before any swap). */
  a: Date;
  b: Date;
}

/** A period a person cannot serve (leave, or a tour of duty with another team). */
export interface Absence {
  id: string;
  person: string;
  from: Date;
  to: Date;
  kind: 'leave' | 'tour';
}

/** A chat edit to a layer's queue, effective at `at`. */
export interface MemberEdit {
  id: string;
  layer: string;
  person: string;
  kind: 'add' | 'remove';
  at: Date;
}

/**
 * Someone on a tour of duty with the rotation's team: a member of its main layer's queue for the
 * tour (see plan-layer.ts for the rules).
 */
export interface Guest {
  /** The tour. */
  id: string;
  person: string;
  /** When they join the back of the queue. */
  from: Date;
  /**
   * The tour's end as set at each instant (assignment, then each extension or early end), oldest
   * first; the last `to` is when they leave the queue. A turn is planned with the end known at its
   * start, so a later change never rewrites who held a turn that had already begun.
   */
  ends: { to: Date; at: Date }[];
  /** The tour's own absence (it keeps them out of their home rotations), which does not apply here. */
  absenceId?: string;
}

/** Everything chat has changed on top of the declaration. */
export interface RotationChanges {
  overrides: Override[];
  swaps: Swap[];
  absences: Absence[];
  memberEdits: MemberEdit[];
  /** Guests on tour with the team (none when absent). */
  guests?: Guest[];
}

export const noChanges = (): RotationChanges => ({ overrides: [], swaps: [], absences: [], memberEdits: [] });

/** Why nobody is on duty in a stretch that should be covered. */
export type GapReason = 'member-removed' | 'nobody-available' | 'empty-queue' | 'tour-ended' | 'absent';

/** A planned turn of one layer (after the queue rule, before swaps and overrides). */
export interface Turn {
  layer: string;
  slot: string;
  /** Start and end of the turn as declared (restriction pieces may be narrower). */
  start: Date;
  end: Date;
  /** The active stretches of the turn: the whole turn, or its restricted windows. */
  pieces: { start: Date; end: Date }[];
  person: string | null;
  gap?: GapReason;
  /** On an `absent` gap: the holder of the turn, away for these hours. */
  absentee?: string;
  /** Set when a swap moved this turn to `person`; `swappedFrom` had it before. */
  swappedFrom?: string;
}

/** One stretch of the final schedule: the single source for every answer, message and feed. */
export interface Segment {
  slot: string;
  start: Date;
  end: Date;
  /** null: an explicit gap (see `gap`). */
  person: string | null;
  source: 'rotation' | 'swap' | 'override' | 'gap';
  layer: string;
  /** Start of the underlying turn (so a segment cut by an override still names its turn). */
  turnStart: Date;
  turnEnd: Date;
  gap?: GapReason;
  /** On an `absent` gap: the holder of the turn, away for these hours. */
  absentee?: string;
  overrideId?: string;
  /** On override segments: who the rotation had there (null: it was a gap). */
  coveredFor?: string | null;
}
