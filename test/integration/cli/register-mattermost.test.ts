/** `day2 register-mattermost-commands` against the fake Mattermost. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerMattermostCommands } from '../../../src/cli/register-mattermost.js';
import { FakeMattermost, type FakeTeam } from '../../fakes/mattermost.js';

describe('register-mattermost-commands', () => {
  let fake: FakeMattermost;
  let team: FakeTeam;
  let adminToken: string;
  beforeEach(async () => {
    fake = await FakeMattermost.start();
    team = fake.addTeam('ops');
    adminToken = fake.addToken(fake.addUser({ username: 'admin', roles: 'system_user system_admin' }).id);
  });
  afterEach(async () => {
    await fake.close();
  });

  it('registers the commands and prints the env line with their tokens', async () => {
    const lines: string[] = [];
    const code = await registerMattermostCommands([team.id], { MATTERMOST_URL: fake.url, MATTERMOST_ADMIN_TOKEN: adminToken, DAY2_PUBLIC_URL: 'https://day2.example.com' }, (l) => lines.push(l));
    expect(code).toBe(0);
    expect(lines).toContain('created /day2');
    const tokens = [...fake.commands.values()].map((c) => c.token);
    expect(lines.at(-1)).toBe(`\nMATTERMOST_COMMAND_TOKENS=${tokens.join(',')}`);
  });

  it('explains every missing setting and registers nothing', async () => {
    const lines: string[] = [];
    const code = await registerMattermostCommands(['Not-A-Team'], {}, (l) => lines.push(l));
    expect(code).toBe(2);
    const text = lines.join('\n');
    expect(text).toContain('Usage: day2 register-mattermost-commands <team id>');
    expect(text).toMatch(/teamId: the team id is 26/);
    expect(text).toMatch(/url: set MATTERMOST_URL/);
    expect(text).toMatch(/token: set MATTERMOST_ADMIN_TOKEN/);
    expect(text).toMatch(/publicUrl: set DAY2_PUBLIC_URL/);
    expect(fake.commands.size).toBe(0);
  });

  it('reports a refusal from the server without a stack trace', async () => {
    const user = fake.addToken(fake.addUser({ username: 'plain' }).id);
    const lines: string[] = [];
    const code = await registerMattermostCommands([team.id], { MATTERMOST_URL: fake.url, MATTERMOST_TOKEN: user, DAY2_PUBLIC_URL: 'https://day2.example.com' }, (l) => lines.push(l));
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/^✖ could not register the commands: /);
    expect(lines.join('\n')).not.toMatch(/\n\s+at /);
  });
});
