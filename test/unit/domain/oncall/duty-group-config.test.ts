/**
 * `rotations[].dutyGroup`: defaults (handle <team>-tribute, the team's first Mattermost channel)
 * and a specific problem, with its path, for each mistake.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config.js';
import { dutyGroupTargets } from '../../../../src/domain/oncall/duty-group-config.js';

const MM = 'abcdefghijklmnopqrstuvwxyz';
const base = (teamChannels: string) => `
people:
  - { id: alice, name: Alice }
teams:
  - { id: payments, name: Payments, members: [alice]${teamChannels} }
`;
const rotation = (dutyGroup: string) => `
rotations:
  - { id: pay, team: payments, anchor: "2026-11-02 09:00", turn: 1w, members: [alice], dutyGroup: ${dutyGroup} }
`;

function parse(teamChannels: string, dutyGroup: string) {
  return parseConfig(`${base(teamChannels)}${rotation(dutyGroup)}`);
}

describe('rotations[].dutyGroup', () => {
  it('defaults to the <team>-tribute handle and the team channel', () => {
    const r = parse(`, channels: { mattermost: [${MM}] }`, '{ slack: {}, mattermost: {} }');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const team = r.config.teams[0]!;
    expect(dutyGroupTargets(r.config.rotations[0]!.dutyGroup, team)).toEqual({ slack: { target: 'payments-tribute' }, mattermost: { target: MM } });
  });

  it('takes a named group to create, and another channel', () => {
    const other = 'zyxwvutsrqponmlkjihgfedcba';
    const r = parse('', `{ slack: { usergroup: pay-oncall, create: true }, mattermost: { channel: ${other} } }`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(dutyGroupTargets(r.config.rotations[0]!.dutyGroup, r.config.teams[0]!)).toEqual({ slack: { target: 'pay-oncall', create: { name: 'Payments tribute' } }, mattermost: { target: other } });
  });

  it('is off without dutyGroup', () => {
    const r = parseConfig(`${base('')}
rotations:
  - { id: pay, team: payments, anchor: "2026-11-02 09:00", turn: 1w, members: [alice] }
`);
    expect(r.ok && dutyGroupTargets(r.config.rotations[0]!.dutyGroup, r.config.teams[0]!)).toEqual({});
  });

  // [case, dutyGroup YAML, path, message]
  const bad: [string, string, string, RegExp][] = [
    ['no platform', '{}', 'rotations[0].dutyGroup', /name at least one platform/],
    ['a handle with @ or capitals', '{ slack: { usergroup: "@Pay" } }', 'rotations[0].dutyGroup.slack.usergroup', /handle without the @/],
    ['create with a group id', '{ slack: { usergroup: S0123ABCD, create: true } }', 'rotations[0].dutyGroup.slack.create', /created under a handle, not an id/],
    ['no Mattermost channel anywhere', '{ mattermost: {} }', 'rotations[0].dutyGroup.mattermost.channel', /team has no Mattermost channel/],
    ['a malformed channel id', '{ mattermost: { channel: town-square } }', 'rotations[0].dutyGroup.mattermost.channel', /26 lowercase letters/],
    ['an unknown field', '{ slack: { group: x } }', 'rotations[0].dutyGroup.slack', /unknown field "group"/],
  ];
  it.each(bad)('refuses %s with its path', (_name, dutyGroup, path, message) => {
    const r = parse('', dutyGroup);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]));
  });
});
