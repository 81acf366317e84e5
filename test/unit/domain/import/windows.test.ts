import { describe, expect, it } from 'vitest';
import { overlapsWeekly, restrictionsOf, spanMinutes, weekIntervals } from '../../../../src/domain/import/windows.js';

const h = (n: number) => n * 60;

describe('restrictionsOf', () => {
  it('keeps weekday 09:00–17:00 windows as one restriction', () => {
    const windows = [1, 2, 3, 4, 5].map((day) => ({ day, start: h(9), length: h(8) }));
    expect(restrictionsOf(windows)).toEqual([{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }]);
  });

  it('keeps a nightly window past midnight whole', () => {
    expect(restrictionsOf([{ day: 0, start: h(20), length: h(12) }])).toEqual([{ days: ['sun'], from: '20:00', to: '08:00' }]);
  });

  it('cuts a weekend window (Friday 17:00 → Monday 09:00) at each midnight, one restriction per distinct span', () => {
    const length = spanMinutes(5, h(17), 1, h(9));
    expect(length).toBe(h(64));
    expect(restrictionsOf([{ day: 5, start: h(17), length }])).toEqual([
      { days: ['fri'], from: '17:00', to: '00:00' },
      { days: ['sun', 'sat'], from: '00:00', to: '00:00' },
      { days: ['mon'], from: '00:00', to: '09:00' },
    ]);
  });
});

describe('weekIntervals and overlapsWeekly', () => {
  it('tells follow-the-sun windows apart from overlapping ones', () => {
    const days = [0, 1, 2, 3, 4, 5, 6];
    const london = weekIntervals(days.map((day) => ({ day, start: h(8), length: h(12) })));
    const newYork = weekIntervals(days.map((day) => ({ day, start: h(20), length: h(12) })));
    const office = weekIntervals([1, 2, 3, 4, 5].map((day) => ({ day, start: h(9), length: h(8) })));
    expect(overlapsWeekly(london, newYork)).toBe(false);
    expect(overlapsWeekly(london, office)).toBe(true);
    expect(overlapsWeekly(weekIntervals(undefined), newYork)).toBe(true);
  });

  it('wraps a Saturday night window into Sunday morning', () => {
    expect(weekIntervals([{ day: 6, start: h(22), length: h(4) }])).toEqual([[0, h(2)], [6 * 1440 + h(22), 7 * 1440]]);
  });
});
