/**
 * Recurring freezes from config ("every last week of the quarter"). Rules are RFC 5545 RRULEs
 * over *dates*, expanded as floating (zone-free) dates and only then placed on the environment's
 * wall clock, so a freeze that starts at 00:00 starts at local midnight on both sides of a DST
 * change and its length in days is calendar days.
 */
import { addDuration, localPartsOf, wallClockToInstant, type LocalDate } from '../../time/when.js';
import type { Blocker } from './blockers.js';
import { configDuration, parseClock, type RecurringFreezeConfig } from './config.js';
import { ruleOf } from './rrule.js';

/** Occurrences of `f` on an environment in `zone` that overlap [from, to). */
export function expandRecurringFreeze(f: RecurringFreezeConfig, zone: string, from: Date, to: Date): Blocker[] {
  const rule = ruleOf(f);
  const length = configDuration(f.duration);
  const startTime = parseClock(f.start);
  // Look back far enough for a long freeze that began before `from` to be found.
  const a = localPartsOf(new Date(from.getTime() - 400 * 86_400_000), zone);
  const b = localPartsOf(to, zone);
  const floating = (d: LocalDate) => new Date(Date.UTC(d.year, d.month - 1, d.day));
  const out: Blocker[] = [];
  for (const occ of rule.between(floating(a), floating(b), true)) {
    const date = { year: occ.getUTCFullYear(), month: occ.getUTCMonth() + 1, day: occ.getUTCDate() };
    const start = wallClockToInstant(date, startTime, zone);
    const end = addDuration(start, length, zone);
    if (start.getTime() < to.getTime() && end.getTime() > from.getTime()) {
      const iso = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
      out.push({ kind: 'freeze', id: `${f.id}@${iso}`, title: f.reason, owner: f.owner, start, end });
    }
  }
  return out;
}

export function recurringFreezeBlockers(list: readonly RecurringFreezeConfig[], env: string, zone: string, from: Date, to: Date): Blocker[] {
  return list.filter((f) => f.environments.length === 0 || f.environments.includes(env)).flatMap((f) => expandRecurringFreeze(f, zone, from, to));
}
