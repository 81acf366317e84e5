/**
 * Business-day deadlines for the intake SLA, in the platform team's zone and working days.
 * "N business days after t" is t's wall-clock time on the Nth working day after t's day; a
 * request that arrives on a day off starts counting at 00:00 of the next working day. Fractions
 * of a day are hours of that working day (0.5 = 12 h). Wall-clock arithmetic is done on local
 * dates and turned into an instant at the end, so a DST change in between moves nothing.
 */
import { addLocalDays, localPartsOf, wallClockToInstant, type LocalDate } from '../../time/when.js';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
function isoWeekday(date: LocalDate): number {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function addBusinessDays(from: Date, days: number, zone: string, workdays: readonly number[]): Date {
  if (workdays.length === 0) throw new Error('at least one working day is needed');
  const p = localPartsOf(from, zone);
  let date: LocalDate = { year: p.year, month: p.month, day: p.day };
  let minutes = p.hour * 60 + p.minute;
  let seconds = p.second;
  const working = (d: LocalDate) => workdays.includes(isoWeekday(d));
  if (!working(date)) {
    do date = addLocalDays(date, 1);
    while (!working(date));
    minutes = 0;
    seconds = 0;
  }
  const whole = Math.floor(days);
  for (let i = 0; i < whole; i++) {
    do date = addLocalDays(date, 1);
    while (!working(date));
  }
  minutes += Math.round((days - whole) * 24 * 60);
  while (minutes >= 24 * 60) {
    minutes -= 24 * 60;
    do date = addLocalDays(date, 1);
    while (!working(date));
  }
  return wallClockToInstant(date, { hour: Math.floor(minutes / 60), minute: minutes % 60 }, zone, seconds);
}
