import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapPagerdutySchedule, pagerdutyPolicies, pagerdutySchedule, pagerdutyShifts, pagerdutyUsers, type PagerdutySchedule } from '../../../../src/domain/import/pagerduty.js';

const DIR = join(import.meta.dirname, '../../../fixtures/import/pagerduty');
const json = (f: string): unknown => JSON.parse(readFileSync(join(DIR, f), 'utf8'));
const users = new Map(pagerdutyUsers.parse({ users: json('users.json') }).users.map((u) => [u.id, u]));
const policies = pagerdutyPolicies.parse({ escalation_policies: json('escalation_policies.json') }).escalation_policies;
const schedule = (id: string): PagerdutySchedule => pagerdutySchedule.parse(json(`schedule-${id}.json`)).schedule;
const now = Date.parse('2027-03-01T00:00:00Z');
const map = (s: PagerdutySchedule) => mapPagerdutySchedule({ schedule: s, overrides: [], policies, users, now });

describe('mapPagerdutySchedule', () => {
  it('maps a weekly layer with weekday restrictions, and drops the layer that ended last month, saying so', () => {
    const m = map(schedule('PSCHPAY'));
    expect(m.layers).toEqual([expect.objectContaining({ name: 'business-hours', slot: 'primary', precedence: 1, anchor: '2027-01-04 09:00', turn: '1w', restriction: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' } })]);
    expect(m.notes).toContainEqual({ kind: 'not-carried', text: expect.stringContaining('layer "Old nights" ended 2027-02-01T00:00:00-05:00') });
  });

  it('gives the last PagerDuty layer the best precedence, all in one slot', () => {
    const m = map(schedule('PSCHPLT'));
    expect(m.layers.map((l) => [l.name, l.slot, l.precedence])).toEqual([['london', 'primary', 2], ['new-york', 'primary', 1]]);
  });

  it('takes the ack timeout and the managers from the escalation policy that pages the schedule', () => {
    const m = map(schedule('PSCHPAY'));
    expect(m.ackTimeoutSeconds).toBe(900);
    expect(m.managers).toEqual(['PDAN004']);
    expect(map(schedule('PSCHDBN')).ackTimeoutSeconds).toBeUndefined();
  });

  it('names what it cannot carry exactly: hour turns, minute turns, looping policies', () => {
    const s = schedule('PSCHDBN');
    s.schedule_layers.push({ ...s.schedule_layers[0]!, id: 'P12H', name: 'Twelve', rotation_turn_length_seconds: 43_200 }, { ...s.schedule_layers[0]!, id: 'P90M', name: 'Ninety', rotation_turn_length_seconds: 5_400 });
    const looping = policies.map((p) => ({ ...p, num_loops: 2, escalation_rules: [{ escalation_delay_in_minutes: 5, targets: [{ id: s.id, type: 'schedule_reference' }] }] }));
    const m = mapPagerdutySchedule({ schedule: s, overrides: [], policies: looping, users, now });
    expect(m.layers.map((l) => l.turn)).toEqual(['1d', '12h']);
    expect(m.notes.map((n) => `${n.kind}: ${n.text}`)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^difference: layer "Twelve": 12-hour turns/),
      expect.stringMatching(/^not-carried: layer "Ninety": a turn of 5400 seconds/),
      expect.stringMatching(/^difference: policy "Payments EP" repeats 2 times/),
    ]));
  });
});

describe('pagerdutyShifts', () => {
  it('reads the final schedule as the slot "primary"', () => {
    const shifts = pagerdutyShifts(schedule('PSCHDBN'));
    // 1 March 00:00 is in the turn of 28 February 02:30, the 28th since 1 February: Frank's.
    expect(shifts[0]).toEqual({ slot: 'primary', person: 'PFRANK6', label: 'Frank Fox', from: now, to: Date.parse('2027-03-01T07:30:00Z') });
  });
});
