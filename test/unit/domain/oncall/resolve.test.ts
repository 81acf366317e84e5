/** Layers with precedence, overrides (later wins), swaps, reload versions, overlaps and who-is-on. */
import { describe, expect, it } from 'vitest';
import { onDutyAt } from '../../../../src/domain/oncall/on-duty.js';
import { findLayerOverlaps } from '../../../../src/domain/oncall/overlaps.js';
import { resolveSchedule } from '../../../../src/domain/oncall/resolve.js';
import { at, input, layer, rotation, show } from './fixtures.js';

describe('layers', () => {
  it('primary and secondary are separate slots, both on duty', () => {
    const decl = rotation('America/New_York', [
      layer(['a', 'b'], '2026-11-01 09:00', { name: 'primary', precedence: 1 }),
      layer(['c', 'd'], '2026-11-01 09:00', { name: 'secondary', precedence: 2 }),
    ]);
    const segs = resolveSchedule(input(decl), at('2026-11-01T14:00:00Z'), at('2026-11-02T20:00:00Z'));
    expect(show(segs)).toEqual([
      'primary:a@2026-11-01T14:00Z-2026-11-02T14:00Z',
      'primary:b@2026-11-02T14:00Z-2026-11-02T20:00Z',
      'secondary:c@2026-11-01T14:00Z-2026-11-02T14:00Z',
      'secondary:d@2026-11-02T14:00Z-2026-11-02T20:00Z',
    ]);
  });

  it('regional layers of one slot follow the sun; where they overlap the lower precedence wins', () => {
    const decl = rotation('UTC', [
      layer(['eu1', 'eu2'], '2026-11-02 00:00', { name: 'emea', slot: 'primary', precedence: 1, restriction: { weekdays: [0, 1, 2, 3, 4, 5, 6], from: { hour: 6, minute: 0 }, to: { hour: 15, minute: 0 } } }),
      layer(['us1'], '2026-11-02 00:00', { name: 'amer', slot: 'primary', precedence: 2, restriction: { weekdays: [0, 1, 2, 3, 4, 5, 6], from: { hour: 14, minute: 0 }, to: { hour: 6, minute: 0 } } }),
    ]);
    const segs = resolveSchedule(input(decl), at('2026-11-02T00:00:00Z'), at('2026-11-03T00:00:00Z'));
    expect(show(segs)).toEqual(['primary:us1@2026-11-02T00:00Z-2026-11-02T06:00Z', 'primary:eu1@2026-11-02T06:00Z-2026-11-02T15:00Z', 'primary:us1@2026-11-02T15:00Z-2026-11-03T00:00Z']);
    const overlaps = findLayerOverlaps(decl, at('2026-11-02T00:00:00Z'), at('2026-11-03T00:00:00Z'));
    expect(overlaps).toEqual([{ kind: 'same-slot', layers: ['emea', 'amer'], start: at('2026-11-02T14:00:00Z'), end: at('2026-11-02T15:00:00Z') }]);
  });

  it('a gap in the winning layer is filled by another layer of the slot', () => {
    const decl = rotation('UTC', [layer(['a'], '2026-11-02 00:00', { name: 'x', slot: 'primary', precedence: 1 }), layer(['b'], '2026-11-02 00:00', { name: 'y', slot: 'primary', precedence: 2 })]);
    const changes = { absences: [{ id: 'l', person: 'a', from: at('2026-11-02T00:00:00Z'), to: at('2026-11-03T00:00:00Z'), kind: 'leave' as const }] };
    expect(show(resolveSchedule(input(decl, changes), at('2026-11-02T00:00:00Z'), at('2026-11-02T12:00:00Z')))).toEqual(['primary:b@2026-11-02T00:00Z-2026-11-02T12:00Z']);
  });

  it('the same person on two slots at once is reported', () => {
    const decl = rotation('UTC', [layer(['a'], '2026-11-02 00:00', { name: 'primary', precedence: 1 }), layer(['a'], '2026-11-02 00:00', { name: 'secondary', precedence: 2 })]);
    const overlaps = findLayerOverlaps(decl, at('2026-11-02T00:00:00Z'), at('2026-11-02T12:00:00Z'));
    expect(overlaps).toEqual([{ kind: 'same-person', layers: ['primary', 'secondary'], start: at('2026-11-02T00:00:00Z'), end: at('2026-11-02T12:00:00Z'), person: 'a' }]);
  });
});

describe('overrides and swaps', () => {
  const decl = rotation('Europe/London', [layer(['a', 'b', 'c'], '2026-10-24 09:00')]);
  const day = (d: string) => at(`2026-10-${d}Z`);

  it('an override replaces only the part it overlaps; the later of two overlapping overrides wins', () => {
    const changes = {
      overrides: [
        { id: 'o1', slot: 'primary', person: 'x', from: day('24T12:00:00'), to: day('24T18:00:00'), createdAt: day('01T00:00:00') },
        { id: 'o2', slot: 'primary', person: 'y', from: day('24T16:00:00'), to: day('24T20:00:00'), createdAt: day('02T00:00:00') },
      ],
    };
    expect(show(resolveSchedule(input(decl, changes), day('24T08:00:00'), day('25T08:00:00')))).toEqual([
      'primary:a@2026-10-24T08:00Z-2026-10-24T12:00Z',
      'primary:x@2026-10-24T12:00Z-2026-10-24T16:00Z override',
      'primary:y@2026-10-24T16:00Z-2026-10-24T20:00Z override',
      'primary:a@2026-10-24T20:00Z-2026-10-25T08:00Z',
    ]);
  });

  it('an earlier-created override under a later one shows only where the later does not reach', () => {
    const changes = {
      overrides: [
        { id: 'late', slot: 'primary', person: 'y', from: day('24T12:00:00'), to: day('24T14:00:00'), createdAt: day('05T00:00:00') },
        { id: 'early', slot: 'primary', person: 'x', from: day('24T10:00:00'), to: day('24T18:00:00'), createdAt: day('01T00:00:00') },
      ],
    };
    expect(show(resolveSchedule(input(decl, changes), day('24T10:00:00'), day('24T18:00:00')))).toEqual([
      'primary:x@2026-10-24T10:00Z-2026-10-24T12:00Z override',
      'primary:y@2026-10-24T12:00Z-2026-10-24T14:00Z override',
      'primary:x@2026-10-24T14:00Z-2026-10-24T18:00Z override',
    ]);
  });

  it('a swap exchanges two whole turns across the fall-back night; boundaries stay', () => {
    // Turns: a 24th 08:00Z → 25th 09:00Z (25 h: the clocks went back that night), b 25th, c 26th 09:00Z.
    const changes = { swaps: [{ id: 's', layer: 'primary', a: day('24T08:00:00'), b: day('26T09:00:00') }] };
    expect(show(resolveSchedule(input(decl, changes), day('24T08:00:00'), day('27T09:00:00')))).toEqual([
      'primary:c@2026-10-24T08:00Z-2026-10-25T09:00Z swap',
      'primary:b@2026-10-25T09:00Z-2026-10-26T09:00Z',
      'primary:a@2026-10-26T09:00Z-2026-10-27T09:00Z swap',
    ]);
  });

  it('a swap with a turn outside the asked range still gives the right holder', () => {
    const changes = { swaps: [{ id: 's', layer: 'primary', a: day('24T08:00:00'), b: day('26T09:00:00') }] };
    expect(show(resolveSchedule(input(decl, changes), day('26T12:00:00'), day('26T13:00:00')))).toEqual(['primary:a@2026-10-26T12:00Z-2026-10-26T13:00Z swap']);
  });

  it('a swap naming a turn that does not exist is void', () => {
    const changes = { swaps: [{ id: 's', layer: 'primary', a: day('24T08:00:00'), b: day('26T11:00:00') }] };
    expect(show(resolveSchedule(input(decl, changes), day('24T08:00:00'), day('24T09:00:00')))).toEqual(['primary:a@2026-10-24T08:00Z-2026-10-24T09:00Z']);
  });
});

describe('versions (config reloads)', () => {
  it('a changed declaration applies from the reload on and leaves earlier turns alone', () => {
    const v1 = rotation('UTC', [layer(['a', 'b'], '2026-11-02 09:00')]);
    const v2 = rotation('UTC', [layer(['x', 'y'], '2026-11-02 09:00')]);
    const sched = { versions: [{ from: new Date(0), decl: v1 }, { from: at('2026-11-03T12:00:00Z'), decl: v2 }], changes: { overrides: [], swaps: [], absences: [], memberEdits: [] } };
    expect(show(resolveSchedule(sched, at('2026-11-02T09:00:00Z'), at('2026-11-05T09:00:00Z')))).toEqual([
      'primary:a@2026-11-02T09:00Z-2026-11-03T09:00Z',
      'primary:b@2026-11-03T09:00Z-2026-11-03T12:00Z',
      'primary:y@2026-11-03T12:00Z-2026-11-04T09:00Z',
      'primary:x@2026-11-04T09:00Z-2026-11-05T09:00Z',
    ]);
  });
});

describe('who is on duty', () => {
  it('names the holder per slot, until when (across their merged stretch) and who is next', () => {
    const decl = rotation('America/New_York', [layer(['a', 'b'], '2026-03-07 09:00', { turn: { unit: 'days', count: 1 } }), layer(['c'], '2026-03-07 09:00', { name: 'secondary', precedence: 2 })]);
    const changes = { overrides: [{ id: 'o', slot: 'primary', person: 'a', from: at('2026-03-08T13:00:00Z'), to: at('2026-03-08T15:00:00Z'), createdAt: at('2026-03-01T00:00:00Z') }] };
    const duty = onDutyAt(input(decl, changes), at('2026-03-08T12:00:00Z'));
    const [primary, secondary] = duty;
    expect(primary?.slot).toBe('primary');
    expect(primary?.current?.person).toBe('a');
    // a's turn (to 13:00Z, the 09:00 EDT handoff) runs straight into a's override to 15:00Z.
    expect(primary?.until?.toISOString()).toBe('2026-03-08T15:00:00.000Z');
    expect(primary?.next?.person).toBe('b');
    expect(secondary?.slot).toBe('secondary');
    expect(secondary?.current?.person).toBe('c');
    expect(secondary?.next).toBeUndefined();
  });
});
