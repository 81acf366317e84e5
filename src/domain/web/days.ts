/**
 * Local calendar days as the web pages draw them: midnight-to-midnight in the viewer's zone
 * (a DST day is 23 or 25 hours long), named by their ISO date.
 */
import { instantOfWallMs, wallMsAt, wallMsOf } from '../../time/wall-clock.js';
import { isRealDate } from '../../time/when.js';

const DAY = 86_400_000;

export interface LocalDay {
  /** YYYY-MM-DD in the zone. */
  date: string;
  start: Date;
  end: Date;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** The wall-midnight (as wall ms) of the local day holding `instant`. */
export function wallMidnight(instant: number, zone: string): number {
  return Math.floor(wallMsAt(instant, zone) / DAY) * DAY;
}

/** The local day starting at wall midnight `wall` (wall ms). */
export function dayAtWall(wall: number, zone: string): LocalDay {
  return {
    date: new Date(wall).toISOString().slice(0, 10),
    start: new Date(instantOfWallMs(wall, zone)),
    end: new Date(instantOfWallMs(wall + DAY, zone)),
    weekday: new Date(wall).getUTCDay(),
  };
}

/** `count` consecutive local days, the first holding `instant`. */
export function daysFrom(instant: number, count: number, zone: string): LocalDay[] {
  const first = wallMidnight(instant, zone);
  return Array.from({ length: count }, (_, i) => dayAtWall(first + i * DAY, zone));
}

/** The wall midnight of an ISO date (YYYY-MM-DD), or undefined when it is not a real date. */
export function wallOfIsoDate(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isRealDate(day) ? wallMsOf({ ...day, hour: 0, minute: 0 }) : undefined;
}
