import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grafanaSchedule, grafanaShifts, grafanaUsers, mapGrafanaSchedule, type GrafanaShift } from '../../../../src/domain/import/grafana-oncall.js';

const DIR = join(import.meta.dirname, '../../../fixtures/import/grafana-oncall');
const json = (f: string): unknown => JSON.parse(readFileSync(join(DIR, f), 'utf8'));
const users = new Map(grafanaUsers.parse({ results: json('users.json') }).results.map((u) => [u.id, u]));
const schedules = (json('schedules.json') as unknown[]).map((s) => grafanaSchedule.parse(s));
const shiftsOf = (id: string): GrafanaShift[] => grafanaShifts.parse({ results: (json('shifts.json') as Record<string, unknown[]>)[id] }).results;
const now = Date.parse('2027-03-01T00:00:00Z');
const until = now + 8 * 7 * 86_400_000;
const map = (id: string, shifts = shiftsOf(id)) => mapGrafanaSchedule({ schedule: schedules.find((s) => s.id === id)!, shifts, users, now, until });

describe('mapGrafanaSchedule', () => {
  it('keeps each shift in its own zone (follow-the-sun), the higher level first', () => {
    const m = map('SPLATFORM02');
    expect(m.zone).toBe('Europe/London');
    expect(m.layers.map((l) => [l.name, l.precedence, l.zone, l.anchor, l.turn, l.restriction])).toEqual([
      ['london', 1, 'Europe/London', '2027-01-04 08:00', '1d', { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '08:00', to: '20:00' }],
      ['new-york', 2, 'America/New_York', '2027-01-04 15:00', '1d', { days: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '15:00', to: '03:00' }],
    ]);
  });

  it('maps a weekly rolling shift masked to weekdays to a weekly turn with a weekday restriction', () => {
    const m = map('SPAYMENTS01');
    expect(m.layers).toEqual([expect.objectContaining({ turn: '1w', members: ['UALICE00001', 'UBOB0000002', 'UGINA000007'], restriction: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' } })]);
    expect(m.notes).toContainEqual({ kind: 'not-carried', text: expect.stringContaining('shift "Old nights" ended 2027-02-01T00:00:00') });
    expect(m.overrides).toEqual([{ sourceId: 'SPAYMENTS01-OOVERRIDE01', slot: 'primary', person: 'UERIN000005', from: new Date('2027-03-15T12:00:00Z'), to: new Date('2027-03-15T16:00:00Z') }]);
  });

  it('names the DST night where Grafana OnCall’s real-second durations and Day2’s wall clock part, and only there', () => {
    const texts = map('SPLATFORM02').notes.filter((n) => n.kind === 'difference').map((n) => n.text);
    expect(texts).toEqual([expect.stringMatching(/^shift "New York": .* DST change of 2027-03-14 /)]);
    expect(map('SPAYMENTS01').notes.filter((n) => n.kind === 'difference')).toEqual([]);
  });

  it('starts the queue at start_rotation_from_user_index and carries only the first of a group', () => {
    const [daily] = shiftsOf('SDATABASE03');
    const m = map('SDATABASE03', [{ ...daily!, start_rotation_from_user_index: 1, rolling_users: [['UBOB0000002', 'UALICE00001'], ['UFRANK00006']] }]);
    expect(m.layers[0]!.members).toEqual(['UFRANK00006', 'UBOB0000002']);
    expect(m.notes).toContainEqual({ kind: 'difference', text: expect.stringContaining('2 people on call together') });
  });

  it('turns a single event into an override, exact only when its level is above every shift', () => {
    const shifts = shiftsOf('SDATABASE03');
    expect(map('SDATABASE03').notes).toContainEqual({ kind: 'exact', text: expect.stringContaining('single event (level 2) "Alice takes the weekend"') });
    const low = shifts.map((x) => (x.type === 'single_event' ? { ...x, level: 0 } : x));
    expect(map('SDATABASE03', low).notes).toContainEqual({ kind: 'difference', text: expect.stringContaining('wins over every layer, whatever its level') });
  });
});
