import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config.js';
import { toRotationDecl } from '../../../../src/domain/oncall/config.js';

const base = `
people:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
  - { id: carol, name: Carol }
teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [carol] }
`;

describe('rotations config', () => {
  it('parses a declaration into the domain model, layers inheriting anchor, turn and restriction', () => {
    const r = parseConfig(`${base}
timezone: America/New_York
rotations:
  - id: pay
    team: payments
    anchor: "2026-11-02 09:00"
    turn: 1w
    restriction: { days: [mon, fri], from: "09:00", to: "17:00" }
    layers:
      - { name: primary, precedence: 1, members: [alice, bob] }
      - { name: secondary, precedence: 2, members: [bob], turn: 2w }
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const decl = toRotationDecl(r.config.rotations[0]!, r.config.timezone);
    expect(decl.zone).toBe('America/New_York');
    expect(decl.layers[1]).toEqual({ name: 'secondary', precedence: 2, members: ['bob'], anchor: { year: 2026, month: 11, day: 2, hour: 9, minute: 0 }, turn: { unit: 'weeks', count: 2 }, restriction: { weekdays: [1, 5], from: { hour: 9, minute: 0 }, to: { hour: 17, minute: 0 } } });
  });

  it('lists every problem with its path', () => {
    const r = parseConfig(`${base}
rotations:
  - { id: pay, team: nope, anchor: "2026-02-30 09:00", turn: 3x, members: [alice], timezone: Mars/Base }
  - id: pay2
    team: payments
    anchor: "2026-11-02 09:00"
    turn: 1d
    members: [alice, dave, alice]
    layers:
      - { name: a, slot: primary, precedence: 1, members: [bob] }
      - { name: b, slot: primary, precedence: 1, members: [] }
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^rotations\[0\]\.timezone: "Mars\/Base" is not an IANA/),
      expect.stringMatching(/^rotations\[0\]\.anchor: is not a real calendar date/),
      expect.stringMatching(/^rotations\[0\]\.turn: a turn length/),
    ]));
    const r2 = parseConfig(`${base}
rotations:
  - { id: pay, team: nope, anchor: "2026-11-02 09:00", turn: 1d, members: [alice] }
  - id: pay2
    team: payments
    anchor: "2026-11-02 09:00"
    turn: 1d
    members: [alice, dave, alice]
    layers:
      - { name: a, slot: primary, precedence: 1, members: [bob] }
      - { name: b, slot: primary, precedence: 1, members: [] }
`);
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    expect(r2.problems.map((p) => `${p.path}: ${p.message}`)).toEqual(expect.arrayContaining([
      'rotations[0].team: unknown team "nope": add it under teams: or fix the spelling',
      'rotations[1].members[1]: unknown person "dave": add them under people: or fix the spelling',
      'rotations[1].members[2]: "alice" is in the queue twice',
      'rotations[1].members: with layers, list members under each layer instead',
      'rotations[1].layers[1].precedence: two layers of slot "primary" have precedence 1: precedence decides overlaps, so it must differ',
    ]));
  });

  it('refuses a queue member outside the team', () => {
    const r = parseConfig(`${base}
  - { id: infra, name: Infra, members: [carol] }
rotations:
  - { id: pay, team: infra, anchor: "2026-11-02 09:00", turn: 1d, members: [alice] }
`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.message).toBe('"alice" is not a member of team "infra": add them to the team\'s members first');
  });
});
