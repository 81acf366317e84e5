/**
 * What can stand in a release's way on an environment's calendar. Every interval is half-open,
 * [start, end): a window that ends at 14:00 and a release that starts at 14:00 do not touch.
 */
export type BlockerKind = 'maintenance' | 'freeze' | 'release' | 'cadence';

export interface Blocker {
  kind: BlockerKind;
  /** Id in its own system (`F3`, `R12`, a notice id, a cadence occurrence id). */
  id: string;
  /** What it is, as its owner calls it ("Kubernetes 1.31 upgrade", "Quarter close"). */
  title: string;
  /** Who owns it: a person id, team id or free text from the owning system. */
  owner: string;
  start: Date;
  end: Date;
}

export interface Interval {
  start: Date;
  end: Date;
}

/** Half-open overlap: touching ends are not an overlap. */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}
