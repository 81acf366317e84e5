import { describe, expect, it } from 'vitest';
import type { Segment } from '../../../../src/domain/oncall/types.js';
import { daysFrom } from '../../../../src/domain/web/days.js';
import { LABEL_WIDTH, VIEW_WIDTH, ledgerChart, nextHandoffs, onDutyNow, timeline } from '../../../../src/domain/web/oncall-timeline.js';

const H = 3_600_000;
const T0 = Date.parse('2026-12-07T00:00:00Z');
const seg = (person: string | null, fromH: number, toH: number, source: Segment['source'] = 'rotation', slot = 'primary'): Segment => ({
  slot,
  layer: slot,
  person,
  source,
  start: new Date(T0 + fromH * H),
  end: new Date(T0 + toH * H),
  turnStart: new Date(T0 + fromH * H),
  turnEnd: new Date(T0 + toH * H),
  ...(person === null ? { gap: 'nobody-available' as const } : {}),
});
const name = (id: string) => id.toUpperCase();

describe('on-call timeline geometry', () => {
  const days = daysFrom(T0, 14, 'UTC');

  it('scales bars over the chart width and puts a tick at each local midnight', () => {
    const t = timeline([seg('alice', 0, 24), seg('bob', 24, 48, 'override')], [], days, new Date(T0 + 12 * H), name);
    const [a, b] = t.rows[0]!.bars;
    const dayWidth = (VIEW_WIDTH - LABEL_WIDTH) / 14;
    expect(a!.x).toBe(LABEL_WIDTH);
    expect(a!.w).toBeCloseTo(dayWidth, 0);
    expect(b!.kind).toBe('override');
    expect(t.ticks).toHaveLength(14);
    expect(t.nowX).toBeCloseTo(LABEL_WIDTH + dayWidth / 2, 0);
  });

  it('draws gaps as gaps and absences on their own row', () => {
    const t = timeline([seg(null, 0, 24)], [{ person: 'alice', kind: 'leave', start: new Date(T0), end: new Date(T0 + 24 * H) }], days, new Date(T0), name);
    expect(t.rows.map((r) => r.label)).toEqual(['primary', 'away']);
    expect(t.rows[0]!.bars[0]).toMatchObject({ kind: 'gap', note: 'nobody-available' });
    expect(t.rows[1]!.bars[0]).toMatchObject({ kind: 'leave', who: 'ALICE' });
  });

  it('"until" joins the same person across stretches; handoffs skip a person continuing', () => {
    const segs = [seg('alice', 0, 10), seg('alice', 10, 24, 'swap'), seg('bob', 24, 48), seg('bob', 48, 72), seg(null, 72, 80)];
    const now = onDutyNow(segs, new Date(T0 + H), name);
    expect(now).toEqual([{ slot: 'primary', layer: 'primary', who: 'ALICE', kind: 'rotation', until: new Date(T0 + 24 * H) }]);
    expect(nextHandoffs(segs, new Date(T0 + H), name).map((h) => [h.from, h.to, h.kind])).toEqual([['ALICE', 'BOB', 'rotation'], ['BOB', undefined, 'gap']]);
  });

  it('the ledger chart scales to the busiest person', () => {
    const c = ledgerChart([{ person: 'a', hours: 100, weekendHours: 20, turns: 4, coversGiven: 1, coversReceived: 0 }, { person: 'b', hours: 50, weekendHours: 0, turns: 2, coversGiven: 0, coversReceived: 1 }], name);
    expect(c.bars[0]!.who).toBe('A');
    expect(c.bars[1]!.hoursW).toBeCloseTo(c.bars[0]!.hoursW / 2, 1);
    expect(c.bars[0]!.weekendW).toBeCloseTo(c.bars[0]!.hoursW / 5, 1);
  });
});
