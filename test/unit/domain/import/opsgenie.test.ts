import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapOpsgenieSchedule, opsgenieSchedule, opsgenieShifts, opsgenieTimeline, opsgenieUsers, type OpsgenieSchedule, type OpsgenieUser } from '../../../../src/domain/import/opsgenie.js';

const DIR = join(import.meta.dirname, '../../../fixtures/import/opsgenie');
const json = (f: string): unknown => JSON.parse(readFileSync(join(DIR, f), 'utf8'));
const users = new Map<string, OpsgenieUser>(opsgenieUsers.parse({ data: json('users.json') }).data.map((u) => [u.id, u]));
const raw = (json('schedules.json') as { data: unknown[] }).data;
const schedules = raw.map((s) => opsgenieSchedule.parse(s));
const byName = (n: string) => schedules.find((s) => s.name === n)!;
const now = Date.parse('2027-03-01T00:00:00Z');
const map = (s: OpsgenieSchedule, overrides = []) => mapOpsgenieSchedule({ schedule: s, overrides, users, now });

describe('mapOpsgenieSchedule', () => {
  it('maps a weekly rotation with a weekday restriction to one restricted layer in the schedule zone', () => {
    const m = map(byName('Payments'));
    expect(m.zone).toBe('America/New_York');
    expect(m.teamName).toBe('Payments');
    expect(m.layers).toEqual([
      expect.objectContaining({ name: 'business-hours', slot: 'primary', precedence: 1, anchor: '2027-01-04 09:00', turn: '1w', restriction: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' } }),
    ]);
  });

  it('leaves out a rotation that ended before now, and says so', () => {
    const m = map(byName('Payments'));
    expect(m.layers.map((l) => l.sourceId)).not.toContain('a47dfc3f-5a25-4a2c-8b0e-0d9f3c5e0002');
    expect(m.notes).toContainEqual({ kind: 'not-carried', text: expect.stringMatching(/"Old nights" ended 2027-02-01T05:00:00Z/) });
  });

  it('puts follow-the-sun rotations (disjoint windows) in one slot, overlapping ones in slots of their own', () => {
    const fts = map(byName('Platform'));
    expect(fts.layers.map((l) => [l.name, l.slot, l.precedence])).toEqual([['london', 'primary', 1], ['new-york', 'primary', 2]]);
    const both = structuredClone(byName('Platform'));
    both.rotations[1]!.timeRestriction = undefined;
    expect(map(both).layers.map((l) => l.slot)).toEqual(['primary', 'new-york']);
  });

  it('names a participant Day2 cannot hold as a difference instead of dropping it silently', () => {
    const s = structuredClone(byName('Database nights'));
    s.rotations[0]!.participants.push({ type: 'team', id: 't1', name: 'DBA team' }, { type: 'none' });
    const m = map(s);
    expect(m.layers[0]!.members).toHaveLength(2);
    expect(m.notes.filter((n) => n.kind === 'difference').map((n) => n.text)).toEqual([
      expect.stringContaining('participant team "DBA team" is left out'),
      expect.stringContaining('participant an empty turn ("none") is left out'),
    ]);
  });

  it('makes one layer per distinct window when a restriction mixes times', () => {
    const s = structuredClone(byName('Payments'));
    s.rotations[0]!.timeRestriction = {
      type: 'weekday-and-time-of-day',
      restrictions: [
        { startDay: 'monday', startHour: 9, startMin: 0, endDay: 'monday', endHour: 17, endMin: 0 },
        { startDay: 'saturday', startHour: 10, startMin: 0, endDay: 'saturday', endHour: 14, endMin: 0 },
      ],
    };
    expect(map(s).layers.map((l) => [l.name, l.slot, l.restriction])).toEqual([
      ['business-hours-1', 'primary', { days: ['mon'], from: '09:00', to: '17:00' }],
      ['business-hours-2', 'primary', { days: ['sat'], from: '10:00', to: '14:00' }],
    ]);
  });

  it('imports overrides from now on onto the slots of the rotations they name, each under its own id', () => {
    const overrides = (json('overrides.json') as Record<string, { data: never[] }>)['d875e654-9b4e-4219-a803-0c26ca707e92']!.data;
    const m = map(byName('Payments'), overrides);
    expect(m.overrides).toEqual([
      { sourceId: 'd875e654-9b4e-4219-a803-0c26ca707e92-f4b8c2d6-1e3a-4b5c-9d7e-000000000001-primary', slot: 'primary', person: '8a1f3c52-0005-4c6e-9a57-aa0000000005', from: new Date('2027-03-15T12:00:00Z'), to: new Date('2027-03-15T16:00:00Z') },
    ]);
    expect(m.notes).toContainEqual({ kind: 'not-carried', text: expect.stringContaining('only overrides from now on') });
  });
});

describe('opsgenieShifts', () => {
  it('reads the rendered timeline by the slot each rotation was mapped to', () => {
    const s = byName('Platform');
    const timeline = opsgenieTimeline.parse(JSON.parse(readFileSync(join(DIR, `timeline-${s.id}.json`), 'utf8')));
    const shifts = opsgenieShifts(timeline, map(s));
    expect(new Set(shifts.map((x) => x.slot))).toEqual(new Set(['primary']));
    // Midnight in London is in New York's night turn that began on 28 February, Frank's (turn 55 of erin, frank).
    expect(shifts.find((x) => x.from === now)).toMatchObject({ person: '8a1f3c52-0006-4c6e-9a57-aa0000000006', label: 'frank@example.com', to: Date.parse('2027-03-01T08:00:00Z') });
  });
});
