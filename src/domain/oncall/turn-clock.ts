/**
 * Where the turns of one layer start and end. Boundary k is the anchor plus k turn lengths on the
 * wall clock of the rotation's zone (so a daily 09:00 handoff stays at 09:00 across DST), turned
 * into an instant with the rotation DST rule (src/time/wall-clock.ts). Turn k is the half-open
 * interval [boundary(k), boundary(k+1)).
 *
 * Monthly turns count from the anchor, not from the previous turn: an anchor on the 31st hands off
 * on the last day of shorter months (29 February in a leap year) and is back on the 31st in March.
 *
 * A turn can be empty only when an hourly handoff falls in a spring-forward gap and lands on the
 * same instant as the next one (02:00 and 03:00 both become 03:00). Such a turn does not exist:
 * every handoff instant fires once, and nobody is charged a turn for it.
 */
import { daysInMonth, instantOfWallMs, localDateTimeOfWallMs, wallMsAt, wallMsOf, type LocalDateTime } from '../../time/wall-clock.js';
import type { TurnLength } from './types.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export class TurnClock {
  private readonly anchorWall: number;
  /** Wall milliseconds per turn, for the fixed-length units; 0 for months. */
  private readonly step: number;

  constructor(
    readonly anchor: LocalDateTime,
    readonly turn: TurnLength,
    readonly zone: string,
  ) {
    this.anchorWall = wallMsOf(anchor);
    const unit = turn.unit === 'hours' ? HOUR : turn.unit === 'days' ? DAY : turn.unit === 'weeks' ? 7 * DAY : 0;
    this.step = unit * turn.count;
  }

  /** The wall reading of boundary k. */
  wallOf(k: number): number {
    if (this.step > 0) return this.anchorWall + k * this.step;
    const a = this.anchor;
    const monthIndex = a.year * 12 + (a.month - 1) + k * this.turn.count;
    const year = Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    return wallMsOf({ year, month, day: Math.min(a.day, daysInMonth(year, month)), hour: a.hour, minute: a.minute });
  }

  /** The instant (ms) of boundary k. */
  boundary(k: number): number {
    return instantOfWallMs(this.wallOf(k), this.zone);
  }

  /** The local date-time of boundary k as declared (before the DST rule moved it, if it did). */
  localOf(k: number): LocalDateTime {
    return localDateTimeOfWallMs(this.wallOf(k));
  }

  /**
   * The index of the turn that contains instant `t`: the largest k with boundary(k) <= t.
   * Negative when `t` is before the anchor.
   */
  indexAt(t: number): number {
    const wall = wallMsAt(t, this.zone);
    let k: number;
    if (this.step > 0) {
      k = Math.floor((wall - this.anchorWall) / this.step);
    } else {
      const d = new Date(wall);
      const months = (d.getUTCFullYear() - this.anchor.year) * 12 + (d.getUTCMonth() + 1 - this.anchor.month);
      k = Math.floor(months / this.turn.count);
    }
    // The estimate is off by at most a turn or two (DST moves and month clamping); walk to it.
    while (this.boundary(k + 1) <= t) k++;
    while (this.boundary(k) > t) k--;
    return k;
  }
}
