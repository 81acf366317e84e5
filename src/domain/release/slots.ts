/**
 * The "next free slots" search: walk the environment's release windows day by day (local days in
 * the environment's zone), trying starts on a grid from the window's opening, and skip straight
 * past whatever blocks a candidate instead of testing every grid step.
 */
import { addDuration, addLocalDays, localPartsOf, type Duration } from '../../time/when.js';
import type { Blocker, Interval } from './blockers.js';
import { clearedAfter, findConflicts, type ConflictRules } from './conflicts.js';
import { windowOn, type ReleaseHours } from './hours.js';

export interface SlotSearch {
  /** Earliest allowed start. */
  after: Date;
  duration: Duration;
  zone: string;
  hours: ReleaseHours;
  blockers: readonly Blocker[];
  rules: ConflictRules;
  /** How many slots; default 3. Suggested slots do not overlap one another. */
  count?: number;
  /** Start times are on this grid from the window's opening; default 30 min. */
  stepMs?: number;
  /** How many local days to look ahead; default 90. */
  horizonDays?: number;
}

export const DEFAULT_STEP_MS = 30 * 60_000;
export const DEFAULT_HORIZON_DAYS = 90;

export function nextFreeSlots(s: SlotSearch): Interval[] {
  const count = s.count ?? 3;
  const step = s.stepMs ?? DEFAULT_STEP_MS;
  const found: Interval[] = [];
  const first = localPartsOf(s.after, s.zone);
  for (let i = 0; i <= (s.horizonDays ?? DEFAULT_HORIZON_DAYS) && found.length < count; i++) {
    const window = windowOn(addLocalDays(first, i), s.hours, s.zone);
    if (!window) continue;
    const open = window.start.getTime();
    const onGrid = (t: number) => (t <= open ? open : open + Math.ceil((t - open) / step) * step);
    let t = onGrid(s.after.getTime());
    while (found.length < count) {
      const slot = { start: new Date(t), end: addDuration(new Date(t), s.duration, s.zone) };
      if (slot.end.getTime() > window.end.getTime()) break;
      const hits = findConflicts(slot, s.blockers, s.rules);
      if (hits.length === 0) {
        found.push(slot);
        t = onGrid(slot.end.getTime());
      } else {
        t = onGrid(Math.max(...hits.map((b) => clearedAfter(b, s.rules))));
      }
    }
  }
  return found;
}
