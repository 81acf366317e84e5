import { describe, expect, it } from 'vitest';
import { buildFragment } from '../../../../src/domain/import/fragment.js';
import type { ImportedSchedule } from '../../../../src/domain/import/model.js';
import { matchPeople } from '../../../../src/domain/import/people.js';

const schedule = (over: Partial<ImportedSchedule>): ImportedSchedule => ({
  sourceId: 'S1',
  name: 'Payments',
  id: 'payments',
  teamName: 'Payments',
  zone: 'America/New_York',
  layers: [{ sourceId: 'L1', name: 'primary', slot: 'primary', precedence: 1, zone: 'America/New_York', anchor: '2027-01-04 09:00', turn: '1w', members: ['u1', 'u2'] }],
  overrides: [],
  notes: [],
  people: [{ sourceId: 'u1', name: 'Alice Archer', email: 'alice@example.com' }, { sourceId: 'u2', name: 'Gina Gray', email: 'gina@example.com' }],
  ...over,
});
const day2 = [{ id: 'alice', name: 'Alice Archer', email: 'alice@example.com' }, { id: 'dan', name: 'Dan Diaz' }];

describe('buildFragment', () => {
  it('adds the people Day2 lacks, names members by Day2 id, and keeps a layer zone only where it differs', () => {
    const s = schedule({ layers: [...schedule({}).layers, { sourceId: 'L2', name: 'amer', slot: 'primary', precedence: 2, zone: 'Europe/London', anchor: '2027-01-04 20:00', turn: '1d', members: ['u2'] }] });
    const f = buildFragment([s], matchPeople(s.people, day2), { teams: [], rotations: [] });
    expect(f.people).toEqual([{ id: 'gina', name: 'Gina Gray', email: 'gina@example.com' }]);
    expect(f.teams).toEqual([{ id: 'payments', name: 'Payments', members: ['alice', 'gina'] }]);
    expect(f.rotations[0]!.layers.map((l) => [l.name, l.slot, l.timezone, l.members])).toEqual([['primary', undefined, undefined, ['alice', 'gina']], ['amer', 'primary', 'Europe/London', ['gina']]]);
  });

  it('joins an existing team by name, keeping its members and managers, and adds the escalation managers', () => {
    const s = schedule({ managers: ['u3'], people: [...schedule({}).people, { sourceId: 'u3', name: 'Dan Diaz' }], ackTimeoutSeconds: 900 });
    const f = buildFragment([s], matchPeople(s.people, day2), { teams: [{ id: 'pay', name: 'payments', members: ['bob'], managers: ['carol'] }], rotations: [] });
    expect(f.teams).toEqual([{ id: 'pay', name: 'payments', members: ['bob', 'alice', 'gina'], managers: ['carol', 'dan'] }]);
    expect(f.rotations[0]!.team).toBe('pay');
    expect(f.alerts).toEqual({ ackTimeoutSeconds: { high: 900 } });
  });

  it('gives a second schedule of one team a team of its own, and names a second ack timeout Day2 cannot keep', () => {
    const a = schedule({ ackTimeoutSeconds: 900 });
    const b = schedule({ sourceId: 'S2', name: 'Payments nights', id: 'payments-nights', ackTimeoutSeconds: 300 });
    const f = buildFragment([a, b], matchPeople(a.people, day2), { teams: [], rotations: [] });
    expect(f.rotations.map((r) => r.team)).toEqual(['payments', 'payments-nights']);
    expect(b.notes.map((n) => n.text)).toEqual([
      'team "payments" already has rotation "payments": this schedule goes in a team of its own, "payments-nights"',
      'waits 300s before escalating, but Day2 has one timeout for every team: 900s, from an earlier schedule',
    ]);
    expect(f.alerts).toEqual({ ackTimeoutSeconds: { high: 900 } });
  });
});
