/**
 * The platform calendar as release coordination needs it: maintenance/upgrade windows (owned by
 * the notices feature) and blocking cadence events (owned by the cadence feature). This is a
 * port: release code depends on it, adapters from those features' services implement it, and a
 * Day2 without them simply has nothing there (see `emptyCalendar`).
 */
import type { Blocker } from './blockers.js';

/** An event on someone else's calendar: what it is and who owns it. */
export interface CalendarEntry {
  id: string;
  title: string;
  owner: string;
  start: Date;
  end: Date;
}

export interface PlatformCalendar {
  /** Maintenance and upgrade windows on `env` that overlap [from, to). */
  maintenanceWindows(env: string, from: Date, to: Date): Promise<CalendarEntry[]>;
  /** Cadence occurrences marked as blocking releases on `env` that overlap [from, to). */
  blockingEvents(env: string, from: Date, to: Date): Promise<CalendarEntry[]>;
}

export const emptyCalendar: PlatformCalendar = {
  maintenanceWindows: async () => [],
  blockingEvents: async () => [],
};

/** Several calendars read as one (e.g. notices' and cadence's adapters side by side). */
export function combineCalendars(parts: PlatformCalendar[]): PlatformCalendar {
  return {
    maintenanceWindows: async (env, from, to) => (await Promise.all(parts.map((p) => p.maintenanceWindows(env, from, to)))).flat(),
    blockingEvents: async (env, from, to) => (await Promise.all(parts.map((p) => p.blockingEvents(env, from, to)))).flat(),
  };
}

/** The calendar's entries for [from, to) as blockers. */
export async function calendarBlockers(cal: PlatformCalendar, env: string, from: Date, to: Date): Promise<Blocker[]> {
  const [maint, cadence] = await Promise.all([cal.maintenanceWindows(env, from, to), cal.blockingEvents(env, from, to)]);
  return [
    ...maint.map((e): Blocker => ({ kind: 'maintenance', ...e })),
    ...cadence.map((e): Blocker => ({ kind: 'cadence', ...e })),
  ];
}

/**
 * Where a release-day announcement also goes as a `deploy` notice, when the notices feature is
 * present (its adapter implements this). Must be idempotent per `key`.
 */
export interface DeployNoticePort {
  announceDeploy(input: { key: string; env: string; title: string; body: string; start: Date; end: Date; owner: string }): Promise<void>;
}
