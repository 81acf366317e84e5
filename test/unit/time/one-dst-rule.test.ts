/**
 * One rule for local times the clock skips or repeats, wherever a local time becomes an instant:
 * rotations, cadences, typed times, freezes and release hours. New York, Sunday 9 March 2025, the
 * clocks go 02:00 → 03:00: 02:30 is read with the offset before the gap (EST, −5), so 07:30Z, shown
 * as 03:30 EDT. Sunday 2 November 2025, 01:30 happens twice: the first (EDT, 05:30Z) is used.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { occurrencesBetween } from '../../../src/domain/cadence/occurrences.js';
import { resolveSchedule } from '../../../src/domain/oncall/resolve.js';
import { TurnClock } from '../../../src/domain/oncall/turn-clock.js';
import { windowOn } from '../../../src/domain/release/hours.js';
import { expandRecurringFreeze } from '../../../src/domain/release/recurring-freezes.js';
import type { RecurringFreezeConfig } from '../../../src/domain/release/config.js';
import { parseWhen } from '../../../src/dispatch/args.js';
import { withTypedTimeNotes } from '../../../src/dispatch/typed-time-notes.js';
import { toConsoleText } from '../../../src/render/console.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import { typedTimeNote, wallTimeNote } from '../../../src/time/dst-notes.js';
import { resolveWhen, type When } from '../../../src/time/when.js';
import { input, layer, rotation, show } from '../domain/oncall/fixtures.js';

const NY = 'America/New_York';
const NIGHT = { year: 2025, month: 3, day: 9 };
const GAP_TIME = { hour: 2, minute: 30 };
const EXPECTED = '2025-03-09T07:30:00.000Z';
const NOW = new Date('2025-03-01T12:00:00Z');

function typed(raw: string): When {
  const w = parseWhen(raw);
  if (!w.ok) throw new Error(`did not parse: ${raw}`);
  return w.value;
}

const freeze: RecurringFreezeConfig = { id: 'f', reason: 'night', owner: 'ops', rrule: 'FREQ=WEEKLY;BYDAY=SU', start: '02:30', duration: '2h', environments: [] };

describe('02:30 on a spring-forward night is 03:30 everywhere', () => {
  const cases: [string, () => Date][] = [
    ['a rotation handoff', () => new Date(new TurnClock({ ...NIGHT, day: 8, ...GAP_TIME }, { unit: 'days', count: 1 }, NY).boundary(1))],
    ['a typed time', () => resolveWhen(typed('2025-03-09 02:30'), NY, NOW)],
    ['a cadence occurrence', () => occurrencesBetween({ rule: 'FREQ=DAILY', time: GAP_TIME, zone: NY, start: '2025-03-08' }, new Date('2025-03-09T00:00:00Z'), new Date('2025-03-10T00:00:00Z'))[0]!.at],
    ['a release-hours window start', () => windowOn(NIGHT, { weekdays: [0], from: GAP_TIME, to: { hour: 9, minute: 0 } }, NY)!.start],
    [
      'a recurring freeze start',
      () => expandRecurringFreeze(freeze, NY, new Date('2025-03-09T00:00:00Z'), new Date('2025-03-10T00:00:00Z'))[0]!.start,
    ],
  ];
  it.each(cases)('%s', (_what, instant) => {
    expect(instant().toISOString()).toBe(EXPECTED);
  });

  it('an override typed as "2025-03-09 02:30" starts exactly at the rotation’s 02:30 handoff and takes nothing of the next turn', () => {
    const decl = rotation(NY, [layer(['a', 'b', 'c'], '2025-03-08 02:30')]);
    const from = resolveWhen(typed('2025-03-09 02:30'), NY, NOW);
    const to = resolveWhen(typed('2025-03-10 02:30'), NY, NOW);
    const overrides = [{ id: 'o', slot: 'primary', person: 'x', from, to, createdAt: NOW }];
    expect(show(resolveSchedule(input(decl, { overrides }), new Date('2025-03-09T00:00:00Z'), new Date('2025-03-11T00:00:00Z')))).toEqual([
      'primary:a@2025-03-09T00:00Z-2025-03-09T07:30Z',
      'primary:x@2025-03-09T07:30Z-2025-03-10T06:30Z override',
      'primary:c@2025-03-10T06:30Z-2025-03-11T00:00Z',
    ]);
  });
});

describe('a typed time the clock skips or repeats is noted', () => {
  it.each([
    ['2025-03-09 02:30', 'gap', '2025-03-09T07:30:00.000Z', undefined],
    ['2025-11-02 01:30', 'overlap', '2025-11-02T05:30:00.000Z', '2025-11-02T06:30:00.000Z'],
    ['2025-03-09 03:30', undefined, undefined, undefined],
    ['2025-11-02 02:30', undefined, undefined, undefined],
  ] as const)('%s in New York: %s', (raw, kind, used, other) => {
    const note = typedTimeNote(typed(raw), NY, NOW);
    expect(note?.kind).toBe(kind);
    expect(note?.used.toISOString()).toBe(used);
    expect(note?.other?.toISOString()).toBe(other);
  });

  it('relative days are noted on the date they land on', () => {
    expect(typedTimeNote(typed('tomorrow 02:30'), NY, new Date('2025-03-08T15:00:00Z'))?.used.toISOString()).toBe(EXPECTED);
    expect(typedTimeNote(typed('in 2h'), NY, new Date('2025-03-09T06:00:00Z'))).toBeUndefined();
  });

  it('a zone without DST never has a note', () => {
    expect(wallTimeNote(NIGHT, GAP_TIME, 'Asia/Tokyo')).toBeUndefined();
  });

  let renderer: Renderer;
  beforeAll(async () => {
    renderer = await createRenderer({ zone: 'UTC' });
  });
  const answer = (args: Record<string, unknown>) => {
    const reply = withTypedTimeNotes(renderer.render('system/ok', { text: 'Override saved.' }), args, NY, NOW, (t, d) => renderer.render(t, d));
    return toConsoleText({ ...reply, zone: NY }, { zone: NY, mentions: () => undefined });
  };

  it('the answer says the time does not exist and which one was used', () => {
    expect(answer({ from: typed('2025-03-09 02:30'), to: typed('2025-03-10 02:30') })).toContain('02:30 does not exist on Sun 9 Mar 2025 in New York (the clocks go forward); using 03:30 EDT.');
  });

  it('the answer says which of two occurrences was used', () => {
    expect(answer({ from: typed('2025-11-02 01:30') })).toContain('01:30 happens twice on Sun 2 Nov 2025 in New York (the clocks go back); using the first, 01:30 EDT, not 01:30 EST.');
  });

  it('an ordinary time leaves the answer as it was', () => {
    expect(answer({ from: typed('2025-03-10 02:30') })).not.toMatch(/does not exist|happens twice/);
  });
});
