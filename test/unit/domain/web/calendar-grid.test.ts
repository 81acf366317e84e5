import { describe, expect, it } from 'vitest';
import { calendarGrid, gridRange, markConflicts, type CalendarItem } from '../../../../src/domain/web/calendar-grid.js';

const item = (over: Partial<CalendarItem> & Pick<CalendarItem, 'kind' | 'id'>): CalendarItem => ({ title: over.id, start: new Date('2026-12-10T10:00:00Z'), end: new Date('2026-12-10T11:00:00Z'), ...over });

describe('calendar grid', () => {
  it('a month view is whole Monday-to-Sunday weeks around the month, in the viewer zone', () => {
    const r = gridRange('month', '2026-12-15', 'Europe/Berlin');
    expect(r.days).toBe(35);
    expect(r.from.toISOString()).toBe('2026-11-29T23:00:00.000Z'); // Mon 30 Nov, 00:00 Berlin
    expect(r.to.toISOString()).toBe('2027-01-03T23:00:00.000Z'); // after Sun 3 Jan
  });

  it('a week view starts on the Monday of the week asked for, and a DST week has a 25-hour day', () => {
    const g = calendarGrid('week', '2026-10-28', [], new Date('2026-10-28T12:00:00Z'), 'Europe/Berlin');
    expect(g.weeks).toHaveLength(1);
    expect(g.weeks[0]!.map((d) => d.date)).toEqual(['2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30', '2026-10-31', '2026-11-01']);
    const octWeek = calendarGrid('week', '2026-10-20', [], new Date('2026-10-20T12:00:00Z'), 'Europe/Berlin').weeks[0]!;
    const sunday = octWeek[6]!;
    expect(sunday.date).toBe('2026-10-25');
    expect(sunday.end.getTime() - sunday.start.getTime()).toBe(25 * 3_600_000);
    expect(g.prev).toBe('2026-10-19');
    expect(g.next).toBe('2026-11-02');
  });

  it('marks a release overlapping a freeze (both ways) and not one that only touches it', () => {
    const freeze = item({ kind: 'freeze', id: 'F1', title: 'Freeze', start: new Date('2026-12-10T08:00:00Z'), end: new Date('2026-12-10T10:00:00Z') });
    const touching = item({ kind: 'release', id: 'R1', status: 'proposed', start: new Date('2026-12-10T10:00:00Z') });
    const inside = item({ kind: 'release', id: 'R2', status: 'proposed', start: new Date('2026-12-10T09:00:00Z'), end: new Date('2026-12-10T09:30:00Z') });
    const cancelled = item({ kind: 'release', id: 'R3', status: 'cancelled', start: new Date('2026-12-10T09:00:00Z') });
    const m = markConflicts([freeze, touching, inside, cancelled]);
    expect([...m.keys()].sort()).toEqual(['F1', 'R2']);
    expect(m.get('R2')).toEqual(['Freeze (F1)']);
  });

  it('places an entry on every day it touches, flagged as continuing after the first', () => {
    const long = item({ kind: 'maintenance', id: '7', start: new Date('2026-12-10T20:00:00Z'), end: new Date('2026-12-12T02:00:00Z') });
    const g = calendarGrid('month', '2026-12-01', [long], new Date('2026-12-01T00:00:00Z'), 'UTC');
    const days = g.weeks.flat().filter((d) => d.items.length > 0);
    expect(days.map((d) => [d.date, d.items[0]!.begins])).toEqual([['2026-12-10', true], ['2026-12-11', false], ['2026-12-12', false]]);
    expect(g.conflicts).toEqual([]);
  });
});
