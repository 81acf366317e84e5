/**
 * "Who is on duty now, until when, and who is next", per slot, read from the resolved schedule.
 */
import { resolveSchedule, slotsOf, versionAt, type ScheduleInput } from './resolve.js';
import type { Segment } from './types.js';

export interface SlotDuty {
  slot: string;
  /** The segment in force at the instant (a gap segment when nobody is), or none outside active windows. */
  current?: Segment;
  /** When the current holder's duty ends (consecutive segments of one person count as one stretch). */
  until?: Date;
  /** The next segment with someone else on duty (or a gap), within the look-ahead. */
  next?: Segment;
}

const DAY = 86_400_000;

/** How far ahead to look for "until" and "next": two of the longest turn and a day, at least three days. */
function horizonMs(input: ScheduleInput, at: Date): number {
  const decl = versionAt(input.versions, at);
  let longest = DAY;
  for (const l of decl?.layers ?? []) {
    const unit = l.turn.unit === 'hours' ? DAY / 24 : l.turn.unit === 'days' ? DAY : l.turn.unit === 'weeks' ? 7 * DAY : 31 * DAY;
    longest = Math.max(longest, unit * l.turn.count);
  }
  return Math.min(Math.max(2 * longest + DAY, 3 * DAY), 400 * DAY);
}

export function onDutyAt(input: ScheduleInput, at: Date): SlotDuty[] {
  const decl = versionAt(input.versions, at);
  if (!decl) return [];
  const segments = resolveSchedule(input, at, new Date(at.getTime() + horizonMs(input, at)));
  const slots = slotsOf(decl);
  for (const o of input.changes.overrides) if (!slots.includes(o.slot)) slots.push(o.slot);
  return slots.map((slot) => {
    const mine = segments.filter((s) => s.slot === slot);
    const current = mine.find((s) => s.start.getTime() <= at.getTime() && s.end.getTime() > at.getTime());
    let until: Date | undefined;
    let next: Segment | undefined;
    if (current) {
      until = current.end;
      for (const s of mine) {
        if (s.start.getTime() < current.end.getTime()) continue;
        if (s.person === current.person && s.person !== null && s.start.getTime() === until.getTime()) until = s.end;
        else if (s.person !== current.person) {
          next = s;
          break;
        }
      }
    } else {
      next = mine.find((s) => s.start.getTime() > at.getTime());
    }
    return { slot, ...(current ? { current } : {}), ...(until ? { until } : {}), ...(next ? { next } : {}) };
  });
}
