/**
 * The platform calendar's grid: a month (whole Monday-to-Sunday weeks around it) or one week of
 * local days in the viewer's zone, each day holding the entries that touch it, and the entries
 * that conflict (a release overlapping a maintenance window, a freeze, a blocking meeting or
 * another release) marked so the page can highlight them.
 */
import type { BlockerKind } from '../release/blockers.js';
import { dayAtWall, wallMidnight, wallOfIsoDate, type LocalDay } from './days.js';

const DAY = 86_400_000;

export interface CalendarItem {
  kind: BlockerKind;
  id: string;
  title: string;
  start: Date;
  end: Date;
  /** Releases: their status and checklist progress. */
  status?: string;
  done?: number;
  total?: number;
}

export interface PlacedItem extends CalendarItem {
  conflict: boolean;
  /** What it conflicts with: "Quarter-end freeze (F1)". */
  conflictsWith: string[];
  /** Whether the entry began on this day (else it continues from an earlier day). */
  begins: boolean;
}

export interface GridDay extends LocalDay {
  inPeriod: boolean;
  today: boolean;
  items: PlacedItem[];
}

export interface CalendarGrid {
  view: 'month' | 'week';
  /** The anchor of this, the previous and the next period (ISO dates). */
  anchor: string;
  /** The day asked for (or today): the other view opens on it. */
  focus: string;
  prev: string;
  next: string;
  /** The first instant of the month or week itself (for its heading). */
  periodStart: Date;
  /** First instant shown and the instant after the last. */
  from: Date;
  to: Date;
  weeks: GridDay[][];
  conflicts: PlacedItem[];
}

/** The instants a view of `anchor` covers, for fetching entries before placing them. */
export function gridRange(view: 'month' | 'week', anchor: string, zone: string): { from: Date; to: Date; first: number; days: number } {
  const wall = wallOfIsoDate(anchor);
  if (wall === undefined) throw new Error(`not a date: ${anchor}`);
  const d = new Date(wall);
  const periodStart = view === 'month' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) : mondayOf(wall);
  const periodEnd = view === 'month' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : periodStart + 7 * DAY;
  // Weeks start on Monday.
  const first = periodStart - ((new Date(periodStart).getUTCDay() + 6) % 7) * DAY;
  const lastDay = periodEnd - DAY;
  const last = lastDay + (6 - ((new Date(lastDay).getUTCDay() + 6) % 7)) * DAY;
  const days = Math.round((last - first) / DAY) + 1;
  return { from: dayAtWall(first, zone).start, to: dayAtWall(last, zone).end, first, days };
}

/** Wall midnight of the Monday on or before wall midnight `wall`. */
const mondayOf = (wall: number) => wall - ((new Date(wall).getUTCDay() + 6) % 7) * DAY;

const overlap = (a: CalendarItem, b: CalendarItem) => a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();

/** Releases that overlap anything else on the environment, and what they overlap (either way round). */
export function markConflicts(items: readonly CalendarItem[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (a: CalendarItem, b: CalendarItem) => out.set(a.id, [...(out.get(a.id) ?? []), `${b.title} (${b.id})`]);
  const live = items.filter((i) => i.kind !== 'release' || i.status === undefined || i.status === 'proposed' || i.status === 'confirmed');
  for (const r of live.filter((i) => i.kind === 'release')) {
    for (const o of live) {
      if (o === r || !overlap(r, o)) continue;
      add(r, o);
      if (o.kind !== 'release') add(o, r);
    }
  }
  return out;
}

export function calendarGrid(view: 'month' | 'week', anchor: string, items: readonly CalendarItem[], now: Date, zone: string): CalendarGrid {
  const range = gridRange(view, anchor, zone);
  const wall = view === 'week' ? mondayOf(wallOfIsoDate(anchor)!) : wallOfIsoDate(anchor)!;
  const d = new Date(wall);
  const month = d.getUTCMonth();
  const conflicts = markConflicts(items);
  const todayWall = wallMidnight(now.getTime(), zone);
  const placedOf = (i: CalendarItem, day: LocalDay): PlacedItem => ({ ...i, conflict: conflicts.has(i.id), conflictsWith: conflicts.get(i.id) ?? [], begins: i.start.getTime() >= day.start.getTime() });
  const days: GridDay[] = Array.from({ length: range.days }, (_, k) => {
    const day = dayAtWall(range.first + k * DAY, zone);
    const inPeriod = view === 'week' || new Date(range.first + k * DAY).getUTCMonth() === month;
    const touching = items.filter((i) => i.start.getTime() < day.end.getTime() && i.end.getTime() > day.start.getTime()).sort((a, b) => a.start.getTime() - b.start.getTime() || a.id.localeCompare(b.id));
    return { ...day, inPeriod, today: range.first + k * DAY === todayWall, items: touching.map((i) => placedOf(i, day)) };
  });
  const weeks: GridDay[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  const shift = (months: number, daysBy: number) => (view === 'month' ? new Date(Date.UTC(d.getUTCFullYear(), month + months, 1)) : new Date(wall + daysBy * DAY)).toISOString().slice(0, 10);
  const seen = new Set<string>();
  const conflicting = items.filter((i) => i.kind === 'release' && conflicts.has(i.id) && !seen.has(i.id) && seen.add(i.id)).map((i) => ({ ...i, conflict: true, conflictsWith: conflicts.get(i.id)!, begins: true }));
  const periodStart = dayAtWall(view === 'month' ? Date.UTC(d.getUTCFullYear(), month, 1) : wall, zone).start;
  return { view, periodStart, focus: anchor, anchor: view === 'month' ? new Date(Date.UTC(d.getUTCFullYear(), month, 1)).toISOString().slice(0, 10) : d.toISOString().slice(0, 10), prev: shift(-1, -7), next: shift(1, 7), from: range.from, to: range.to, weeks, conflicts: conflicting };
}
