import { describe, expect, it } from 'vitest';
import { compareTimelines, type Holding } from '../../../../src/domain/import/compare.js';

const H = 3_600_000;
const at = (h: number) => h * H;
const hold = (who: string, from: number, to: number, slot = 'primary'): Holding => ({ slot, who, from: at(from), to: at(to) });

describe('compareTimelines', () => {
  it('finds nothing when the same people hold the same stretches, however they are cut', () => {
    const source = [hold('alice', 0, 12), hold('alice', 12, 24), hold('bob', 24, 48)];
    const day2 = [hold('alice', 0, 24), hold('bob', 24, 48)];
    expect(compareTimelines(source, day2, at(0), at(48))).toEqual([]);
  });

  it('names each stretch where they differ, with who holds it on each side', () => {
    const source = [hold('alice', 0, 24), hold('bob', 24, 48)];
    const day2 = [hold('alice', 0, 25), hold('bob', 25, 48)];
    expect(compareTimelines(source, day2, at(0), at(48))).toEqual([{ slot: 'primary', from: at(24), to: at(25), source: ['bob'], day2: ['alice'] }]);
  });

  it('reports a gap on one side, and merges neighbouring stretches with the same disagreement', () => {
    const source = [hold('alice', 0, 10), hold('alice', 10, 20)];
    const day2 = [hold('alice', 0, 5)];
    expect(compareTimelines(source, day2, at(0), at(20))).toEqual([{ slot: 'primary', from: at(5), to: at(20), source: ['alice'], day2: [] }]);
  });

  it('compares slot by slot and only inside the window', () => {
    const source = [hold('alice', -5, 5, 'primary'), hold('bob', 0, 5, 'secondary')];
    const day2 = [hold('alice', 0, 5, 'primary'), hold('bob', 0, 5, 'primary')];
    expect(compareTimelines(source, day2, at(0), at(5))).toEqual([
      { slot: 'primary', from: at(0), to: at(5), source: ['alice'], day2: ['alice', 'bob'] },
      { slot: 'secondary', from: at(0), to: at(5), source: ['bob'], day2: [] },
    ]);
  });
});
