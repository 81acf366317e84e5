import { describe, expect, it } from 'vitest';
import { matchPeople } from '../../../../src/domain/import/people.js';

const day2 = [
  { id: 'alice', name: 'Alice Archer', email: 'alice@example.com' },
  { id: 'carol', name: 'Carol  Chen', email: 'carol@example.com' },
  { id: 'sam-1', name: 'Sam Smith' },
  { id: 'sam-2', name: 'Sam Smith' },
  { id: 'gina', name: 'Someone Else' },
];

describe('matchPeople', () => {
  it('matches by email first, ignoring case', () => {
    const m = matchPeople([{ sourceId: 'u1', name: 'A. Archer', email: 'Alice@Example.com' }], day2);
    expect(m.ids.get('u1')).toBe('alice');
    expect(m.matched[0]).toMatchObject({ id: 'alice', by: 'email' });
  });

  it('matches by name when the email differs, ignoring case and spacing', () => {
    const m = matchPeople([{ sourceId: 'u3', name: 'carol chen', email: 'carol.chen@corp.example' }], day2);
    expect(m.matched[0]).toMatchObject({ id: 'carol', by: 'name' });
  });

  it('does not match a name two Day2 people share, and proposes a new person with a free id', () => {
    const m = matchPeople([{ sourceId: 'u4', name: 'Sam Smith' }, { sourceId: 'u7', name: 'Gina Gray', email: 'gina@example.com' }], day2);
    expect(m.matched).toEqual([]);
    expect(m.unmatched.map((u) => u.entry)).toEqual([
      { id: 'sam-smith', name: 'Sam Smith' },
      { id: 'gina-2', name: 'Gina Gray', email: 'gina@example.com' },
    ]);
    expect(m.ids.get('u7')).toBe('gina-2');
  });

  it('counts a source person once however often they appear', () => {
    const gina = { sourceId: 'u7', name: 'Gina Gray', email: 'gina@example.com' };
    expect(matchPeople([gina, gina], []).unmatched).toHaveLength(1);
  });
});
