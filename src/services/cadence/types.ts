/**
 * What the cadence service offers and needs: its interface, its options, the shapes of an RSVP
 * and a blocking event, and the names of its timer kinds.
 */
import type { DeliveryService } from '../../delivery/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import type { Renderer } from '../../render/renderer.js';
import type { Logger } from '../../log.js';
import type { CadenceStore } from '../../store/cadence/store.js';
import type { ActionItem, Cadence, OccurrenceState, RsvpChoice } from '../../domain/cadence/model.js';
import type { Holiday, Occurrence } from '../../domain/cadence/occurrences.js';

export const FIRE_KIND = 'cadence-fire';
export const REMIND_KIND = 'cadence-remind';
export const ACTION_KIND = 'cadence-action';
export const FOLLOWUP_KIND = 'cadence-followup';

export interface CadenceServiceOptions {
  store: CadenceStore;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  /** Holiday calendars, grace and default template lookups read the config in force now. */
  settings(): { calendars: Record<string, Holiday[]>; graceMs: number; lateAfterMs?: number; invitees?: (roles: readonly string[]) => string[] };
  clock?: () => Date;
  log: Logger;
}

export interface RsvpBy {
  key: string;
  name: string;
  roles: string[];
  /** The platform user who answered, for messages to participants afterwards. */
  user?: { platform: 'slack' | 'mattermost' | 'console'; id: string };
}

export interface CadenceService {
  readonly store: CadenceStore;
  calendars(): Record<string, Holiday[]>;
  /** The next `n` occurrences of a cadence (as it would be saved). */
  upcoming(c: Cadence, n: number, after?: Date): Occurrence[];
  /** Save a new cadence and set its timers; throws RecordConflictError for a taken name. */
  create(c: Cadence): Promise<void>;
  /** Apply `fn` to a stored cadence, then re-plan its timers. */
  change(name: string, fn: (c: Cadence) => Cadence): Promise<Cadence>;
  /** Delete a cadence and cancel its timers. */
  remove(name: string): Promise<boolean>;
  /** Set the timers for the next occurrence not handled yet (and record passed ones missed). */
  plan(name: string): Promise<void>;
  /** Plan every stored cadence (at start). */
  planAll(): Promise<void>;
  /** Record an RSVP and queue the announcement's next revision with the new counts. */
  rsvp(name: string, occurrence: string, by: RsvpBy, choice: RsvpChoice): Promise<OccurrenceState | undefined>;
  /** Latest handled occurrence of a cadence (for notes, actions, show). */
  lastOccurrence(name: string): Promise<OccurrenceState | undefined>;
  /** Render and queue the announcement's current revision to every channel. */
  publish(c: Cadence, state: OccurrenceState): Promise<void>;
  /**
   * Add an action item to an occurrence and remind its owner in the cadence's channels at `firstReminder`,
   * then daily until it is done.
   */
  addAction(name: string, occurrence: string, item: { owner: string; text: string; due?: Date; by: string }, firstReminder: Date): Promise<ActionItem>;
  /** Mark an action item done (resolves false when there is none by that id) and stop its reminders. */
  completeAction(name: string, actionId: string): Promise<ActionItem | undefined>;
  /** Occurrences of blocking cadences in [from, to), optionally only those naming `env`. */
  blockingEvents(env: string | undefined, from: Date, to: Date): Promise<BlockingEvent[]>;
}

/** Shaped like release coordination's CalendarEntry (src/domain/release/calendar-port.ts). */
export interface BlockingEvent {
  /** `<cadence>.<occurrence>` */
  id: string;
  owner: 'cadence';
  cadence: string;
  title: string;
  occurrence: string;
  start: Date;
  end: Date;
  /** Environments it blocks; empty means all. */
  environments: string[];
}
