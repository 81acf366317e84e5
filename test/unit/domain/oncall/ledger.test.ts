import { describe, expect, it } from 'vitest';
import { buildLedger, weekendMs } from '../../../../src/domain/oncall/ledger.js';
import { resolveSchedule } from '../../../../src/domain/oncall/resolve.js';
import { at, input, layer, rotation } from './fixtures.js';

describe('ledger', () => {
  it('counts hours, local weekend hours, turns and covers from the resolved schedule', () => {
    // Weekly Monday 09:00 in Sydney; c covers six hours of a's Saturday.
    const decl = rotation('Australia/Sydney', [layer(['a', 'b'], '2026-11-02 09:00', { turn: { unit: 'weeks', count: 1 } })]);
    const changes = { overrides: [{ id: 'o', slot: 'primary', person: 'c', from: at('2026-11-07T00:00:00Z'), to: at('2026-11-07T06:00:00Z'), createdAt: at('2026-10-01T00:00:00Z') }] };
    const segs = resolveSchedule(input(decl, changes), at('2026-11-01T22:00:00Z'), at('2026-11-15T22:00:00Z'));
    expect(buildLedger(segs, 'Australia/Sydney')).toEqual([
      { person: 'a', hours: 162, weekendHours: 42, turns: 1, coversGiven: 0, coversReceived: 1 },
      { person: 'b', hours: 168, weekendHours: 48, turns: 1, coversGiven: 0, coversReceived: 0 },
      { person: 'c', hours: 6, weekendHours: 6, turns: 0, coversGiven: 1, coversReceived: 0 },
    ]);
  });

  it('a weekend across the New York fall back is 49 hours long', () => {
    expect(weekendMs(Date.parse('2026-10-31T04:00:00Z'), Date.parse('2026-11-03T05:00:00Z'), 'America/New_York')).toBe(49 * 3_600_000);
  });
});
