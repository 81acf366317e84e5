import { describe, expect, it } from 'vitest';
import { handoffsOf, stretchEnd } from '../../../../src/domain/oncall/handoffs.js';
import { resolveSchedule } from '../../../../src/domain/oncall/resolve.js';
import { at, input, layer, rotation } from './fixtures.js';

describe('handoffs', () => {
  it('a restricted rotation going off duty overnight is not a handoff; a new holder is', () => {
    // Weekly turns, Mon–Fri 09:00–17:00 London: a holds the whole week, b the next.
    const decl = rotation('Europe/London', [layer(['a', 'b'], '2026-03-23 09:00', { turn: { unit: 'weeks', count: 1 }, restriction: { weekdays: [1, 2, 3, 4, 5], from: { hour: 9, minute: 0 }, to: { hour: 17, minute: 0 } } })]);
    const segs = resolveSchedule(input(decl), at('2026-03-23T00:00:00Z'), at('2026-04-04T00:00:00Z'));
    const h = handoffsOf(segs);
    expect(h.map((x) => `${x.at.toISOString()} ${x.from?.person ?? '-'}->${x.to.person}`)).toEqual(['2026-03-23T09:00:00.000Z -->a', '2026-03-30T08:00:00.000Z a->b']);
  });

  it('an override in the middle of a turn makes two handoffs, and the stretch of a holder spans their segments', () => {
    const decl = rotation('UTC', [layer(['a', 'b'], '2026-03-23 09:00')]);
    const changes = { overrides: [{ id: 'o', slot: 'primary', person: 'c', from: at('2026-03-23T12:00:00Z'), to: at('2026-03-23T14:00:00Z'), createdAt: at('2026-03-01T00:00:00Z') }, { id: 'p', slot: 'primary', person: 'b', from: at('2026-03-24T06:00:00Z'), to: at('2026-03-24T09:00:00Z'), createdAt: at('2026-03-01T00:00:00Z') }] };
    const segs = resolveSchedule(input(decl, changes), at('2026-03-23T09:00:00Z'), at('2026-03-25T09:00:00Z'));
    const h = handoffsOf(segs);
    expect(h.map((x) => `${x.at.toISOString().slice(0, 16)} ${x.to.person}`)).toEqual(['2026-03-23T09:00 a', '2026-03-23T12:00 c', '2026-03-23T14:00 a', '2026-03-24T06:00 b']);
    // b's cover from 06:00 runs straight into b's own turn from 09:00 to the next day.
    expect(stretchEnd(segs, h[3]!).toISOString()).toBe('2026-03-25T09:00:00.000Z');
  });
});
