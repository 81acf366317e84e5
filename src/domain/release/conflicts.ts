/**
 * Conflict checking for a proposed release slot. Maintenance windows, freezes and blocking cadence
 * events conflict when they overlap the slot; another release conflicts when it is closer than the
 * configured spacing (the gap between one ending and the other starting), so with a spacing of 0
 * back-to-back releases are fine and only overlaps conflict. All intervals are half-open.
 */
import { overlaps, type Blocker, type Interval } from './blockers.js';

export interface ConflictRules {
  /** Minimum gap between two releases on the same environment, in ms. */
  spacingMs: number;
  /** Ignore this release (the one being rescheduled). */
  self?: string;
}

export function findConflicts(slot: Interval, blockers: readonly Blocker[], rules: ConflictRules): Blocker[] {
  const hits = blockers.filter((b) => {
    if (b.kind === 'release') {
      if (b.id === rules.self) return false;
      const padded = { start: new Date(b.start.getTime() - rules.spacingMs), end: new Date(b.end.getTime() + rules.spacingMs) };
      return overlaps(slot, padded);
    }
    return overlaps(slot, b);
  });
  return hits.sort((a, b) => a.start.getTime() - b.start.getTime() || a.kind.localeCompare(b.kind));
}

/** The earliest instant at or after which `slot`'s start stops conflicting with `b` (for skipping ahead). */
export function clearedAfter(b: Blocker, rules: ConflictRules): number {
  return b.end.getTime() + (b.kind === 'release' ? rules.spacingMs : 0);
}
