import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { parseEnv } from '../../src/env.js';

describe('config file', () => {
  it('accepts the shipped example', async () => {
    const result = parseConfig(await readFile(new URL('../../day2.example.yaml', import.meta.url), 'utf8'));
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it('reports every problem with its path, not just the first', () => {
    const result = parseConfig(`
timezone: Europe/Berln
people:
  - id: alice
    name: Alice
    slack: not-an-id
  - id: alice
    name: Alice again
teams:
  - id: Payments
    name: Payments
    members: [alice, zed]
environments:
  - id: prod
    name: Prod
    pres: [nobody]
    colour: blue
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.problems.map((p) => [p.path, p.message]));
    expect(byPath['timezone']).toMatch(/"Europe\/Berln" is not an IANA time zone/);
    expect(byPath['people[0].slack']).toMatch(/Slack user ids look like/);
    expect(byPath['teams[0].id']).toMatch(/lowercase/);
    expect(byPath['environments[0]']).toMatch(/unknown field "colour"/);
    // Cross-reference checks run even when other fields are wrong.
    expect(result.problems.length).toBeGreaterThanOrEqual(4);
  });

  it('reports cross-references: unknown people, duplicate ids and shared handles', () => {
    const result = parseConfig(`
people:
  - { id: alice, name: Alice, mattermost: alice }
  - { id: alice, name: Alice 2 }
  - { id: bob, name: Bob, mattermost: alice }
teams:
  - { id: ops, name: Ops, members: [alice, zed] }
roles:
  admin: [ghost, "slack:U0ABC123"]
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = result.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(text).toContain('people[1].id: duplicate id "alice"');
    expect(text).toContain('people[2].mattermost: mattermost handle "alice" already belongs to "alice"');
    expect(text).toContain('teams[0].members[1]: unknown person "zed"');
    expect(text).toContain('roles.admin[0]: unknown person "ghost"');
  });

  it('reports YAML syntax errors with a line number', () => {
    const result = parseConfig('people:\n  - id: a\n   name: broken');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.path).toMatch(/^line \d+/);
  });

  it('applies defaults for a minimal file', () => {
    const result = parseConfig('people: []');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config).toMatchObject({ timezone: 'UTC', redisPrefix: 'day2', people: [], delivery: { perChannelIntervalMs: 1000 } });
  });
});

describe('environment', () => {
  it('requires a platform to be configured completely', () => {
    const result = parseEnv({ SLACK_BOT_TOKEN: 'xoxb-1', MATTERMOST_URL: 'https://chat.example.com' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['env SLACK_SIGNING_SECRET', 'env MATTERMOST_TOKEN', 'env MATTERMOST_COMMAND_TOKENS']));
  });

  it('rejects a user token where a bot token belongs', () => {
    const result = parseEnv({ SLACK_BOT_TOKEN: 'xoxp-123', SLACK_SIGNING_SECRET: 's' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/xoxb-/);
  });

  it('splits Mattermost command tokens and defaults the port', () => {
    const result = parseEnv({ MATTERMOST_URL: 'http://mm', MATTERMOST_TOKEN: 't', MATTERMOST_COMMAND_TOKENS: 'a, b,,c' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.env).toMatchObject({ MATTERMOST_COMMAND_TOKENS: ['a', 'b', 'c'], PORT: 3000 });
  });
});
