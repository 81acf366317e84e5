/**
 * The fairness ledger: what each person actually served, read from the resolved schedule (so
 * covers, swaps and leave count as they happened, not as the rotation planned them).
 */
import { instantOfWallMs, wallMsAt } from '../../time/wall-clock.js';
import type { Segment } from './types.js';

export interface LedgerEntry {
  person: string;
  /** Hours on duty (any slot). */
  hours: number;
  /** Of those, hours on a Saturday or Sunday in the rotation's zone. */
  weekendHours: number;
  /** Turns held (a turn counts once however it is cut up), swaps included, covers not. */
  turns: number;
  /** Overrides this person took for someone else. */
  coversGiven: number;
  /** Overrides someone else took over this person's duty. */
  coversReceived: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Milliseconds of `[start, end)` that fall on a local Saturday or Sunday in `zone`. */
export function weekendMs(start: number, end: number, zone: string): number {
  let total = 0;
  for (let day = Math.floor(wallMsAt(start, zone) / DAY) * DAY; ; day += DAY) {
    const dayStart = instantOfWallMs(day, zone);
    if (dayStart >= end) break;
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) {
      const dayEnd = instantOfWallMs(day + DAY, zone);
      total += Math.max(0, Math.min(end, dayEnd) - Math.max(start, dayStart));
    }
  }
  return total;
}

export function buildLedger(segments: readonly Segment[], zone: string): LedgerEntry[] {
  const byPerson = new Map<string, LedgerEntry & { turnKeys: Set<string>; coverKeys: Set<string>; coveredKeys: Set<string> }>();
  const entry = (person: string) => {
    let e = byPerson.get(person);
    if (!e) byPerson.set(person, (e = { person, hours: 0, weekendHours: 0, turns: 0, coversGiven: 0, coversReceived: 0, turnKeys: new Set(), coverKeys: new Set(), coveredKeys: new Set() }));
    return e;
  };
  for (const s of segments) {
    const start = s.start.getTime();
    const end = s.end.getTime();
    if (s.person !== null) {
      const e = entry(s.person);
      e.hours += (end - start) / HOUR;
      e.weekendHours += weekendMs(start, end, zone) / HOUR;
      if (s.source === 'rotation' || s.source === 'swap') e.turnKeys.add(`${s.layer}@${s.turnStart.getTime()}`);
    }
    if (s.source === 'override' && s.overrideId && s.person !== s.coveredFor) {
      if (s.person !== null) entry(s.person).coverKeys.add(s.overrideId);
      if (s.coveredFor) entry(s.coveredFor).coveredKeys.add(s.overrideId);
    }
  }
  return [...byPerson.values()]
    .map(({ turnKeys, coverKeys, coveredKeys, ...e }) => ({ ...e, hours: round(e.hours), weekendHours: round(e.weekendHours), turns: turnKeys.size, coversGiven: coverKeys.size, coversReceived: coveredKeys.size }))
    .sort((a, b) => a.person.localeCompare(b.person));
}

const round = (h: number) => Math.round(h * 100) / 100;
