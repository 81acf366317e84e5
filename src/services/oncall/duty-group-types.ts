/**
 * What the on-duty groups need and offer: their deps and interface, the timer kind and its
 * payload, and the tuning of locks, retries and remembered state.
 */
import { z } from 'zod';
import type { ChatAdapter, Platform } from '../../chat/port.js';
import type { Config } from '../../config.js';
import type { Metrics } from '../../metrics.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { DutyGroupStore } from '../../store/oncall/duty-group-store.js';
import type { OncallService } from './service.js';
import type { Scheduler } from '../../delivery/scheduler.js';

export const KIND = 'oncall-duty-sync';
/** Longest a sync may hold its rotation's lock (a few platform calls, each with its own timeout). */
export const LOCK_MS = 60_000;
/** How soon a sync that found the lock taken looks again. */
export const LOCK_WAIT_MS = 2_000;
/** Tries for rate-limited and transient failures before the failure is reported. */
export const MAX_ATTEMPTS = 6;
export const BACKOFF_MS = 5_000;
/** A remembered state expires, so a group changed by hand in the platform is put right within a day. */
export const SYNCED_TTL_MS = 24 * 3_600_000;

export const timerData = z.object({ rotationId: z.string(), at: z.number(), attempt: z.int().min(0).default(0) });
export type DutySyncTimer = z.output<typeof timerData>;

export interface DutyGroupDeps {
  oncall: OncallService;
  scheduler: Scheduler;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  renderer: Renderer;
  store: DutyGroupStore;
  config: () => Config;
  log: Logger;
  clock: () => Date;
  metrics?: Metrics;
}

export interface DutyGroupProblem {
  platform: Platform;
  target: string;
  reason: string;
}

export interface DutyGroups {
  /** Sync the rotation's groups at `at` (at once if it is past). Does nothing without `dutyGroup`. */
  request(rotationId: string, at: Date): Promise<void>;
  /** Every configured rotation, now (start-up, hourly re-plan, config reload). */
  requestAll(): Promise<void>;
  /** What went wrong on each platform's last try (empty when all is in sync), for `/oncall who`. */
  problems(rotationId: string): Promise<DutyGroupProblem[]>;
}

/** Who is on duty at an instant, in slot order, and when that next changes. */
export interface DutyNow {
  slots: { slot: string; person: string | null }[];
  people: string[];
  /** The next instant the set of people on duty changes, within the resolver's look-ahead. */
  nextChange?: Date;
}
