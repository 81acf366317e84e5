/**
 * check-config lists every problem of a file in one pass: schema mistakes and cross-references
 * together, each with its path and the value found, so a team fixes its config in one round.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig, quoteFound } from '../../src/config.js';

const TEN_MISTAKES = `timezone: Mars/Olympus
people:
  - { id: alice, name: Alice, timezone: Europe/Berln }
  - { id: bob, name: Bob, slack: bob }
  - { id: carol, name: 42 }
  - { id: dave, name: Dave, emial: dave@example.com }
teams:
  - { id: payments, name: Payments, members: [alice, zed] }
  - { id: Search, name: Search }
environments:
  - { id: prod, name: Prod, pres: alice }
roles:
  admin: [alice, nobody]
  wizard: [bob]
`;

function problems(text: string): { path: string; message: string }[] {
  const r = parseConfig(text);
  if (r.ok) throw new Error('expected the config to be refused');
  return r.problems;
}

describe('check-config reports every problem at once', () => {
  it('finds ten independent mistakes in one pass, schema and cross-references together', () => {
    const found = problems(TEN_MISTAKES);
    expect(found.map((p) => p.path).sort()).toEqual(
      [
        'timezone',
        'people[0].timezone',
        'people[1].slack',
        'people[2].name',
        'people[3]',
        'teams[1].id',
        'environments[0].pres',
        'roles',
        'teams[0].members[1]',
        'roles.admin[1]',
      ].sort(),
    );
  });

  it('quotes the value found in each problem', () => {
    const byPath = new Map(problems(TEN_MISTAKES).map((p) => [p.path, p.message]));
    expect(byPath.get('timezone')).toContain('"Mars/Olympus"');
    expect(byPath.get('people[1].slack')).toContain('found "bob"');
    expect(byPath.get('teams[1].id')).toContain('found "Search"');
    expect(byPath.get('people[3]')).toContain('"emial"');
    expect(byPath.get('teams[0].members[1]')).toContain('"zed"');
  });

  it('reports a wrong type as a wrong type, not as a missing field', () => {
    const byPath = new Map(problems(TEN_MISTAKES).map((p) => [p.path, p.message]));
    expect(byPath.get('people[2].name')).toBe('wrong type: expected text, found 42 (a number) — write it as text');
    expect(byPath.get('environments[0].pres')).toBe('wrong type: expected a list, found "alice" — write it as a list');
  });

  it('still says "missing" when a required field is absent', () => {
    const [p] = problems('people:\n  - { id: alice }\nroles: { admin: [alice] }\n');
    expect(p).toEqual({ path: 'people[0].name', message: 'required field is missing — add it (expected text)' });
  });

  it('does not invent cross-reference problems when a whole section has the wrong type', () => {
    const found = problems('people: alice\nteams:\n  - { id: ops, name: Ops, members: [alice] }\nroles: { admin: [alice] }\n');
    expect(found).toEqual([{ path: 'people', message: 'wrong type: expected a list, found "alice" — write it as a list' }]);
  });

  it('cuts long values to one line', () => {
    expect(quoteFound('x'.repeat(100))).toBe(`"${'x'.repeat(39)}…"`);
    expect(quoteFound([1, 2])).toBe('a list of 2 items');
    expect(quoteFound(true)).toBe('true (a boolean)');
  });
});
