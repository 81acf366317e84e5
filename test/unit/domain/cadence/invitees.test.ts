import { describe, expect, it } from 'vitest';
import { invitedPeople } from '../../../../src/domain/cadence/invitees.js';

const cfg = {
  people: [{ id: 'alice' }, { id: 'bob' }, { id: 'carol' }, { id: 'dave' }],
  roles: { rele: ['bob', 'slack:U123', 'slack-group:S1'], admin: ['dave'] },
  environments: [{ pres: ['alice'] }, { pres: ['alice', 'carol'] }],
  teams: [{ managers: ['dave'] }],
};

describe('invitedPeople', () => {
  it('lists people holding the invited roles, including environment PREs and team managers, once each', () => {
    expect(invitedPeople(cfg, ['pre', 'rele'])).toEqual(['alice', 'bob', 'carol']);
    expect(invitedPeople(cfg, ['manager'])).toEqual(['dave']);
    expect(invitedPeople(cfg, ['obe'])).toEqual([]);
  });
  it('leaves out platform-handle and group grants it cannot name', () => {
    expect(invitedPeople(cfg, ['rele'])).toEqual(['bob']);
  });
});
