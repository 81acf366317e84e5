import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMattermostAdapter } from '../../../src/chat/mattermost/adapter.js';
import { allFamilies, DAY2_SLASH_COMMANDS } from '../../../commands/index.js';
import { registerCommands } from '../../../src/chat/mattermost/commands.js';
import { slashCommandsFor } from '../../../src/dispatch/slash-commands.js';
import { defineCommand, defineFamily } from '../../../src/dispatch/define.js';
import { silentLogger } from '../../../src/log.js';
import { assertCallsMatchSpec } from '../../fakes/mattermost-spec.js';
import { startHarness, type Harness } from './harness.js';

describe('registerCommands', () => {
  let h: Harness;
  let adminToken: string;
  beforeEach(async () => {
    h = await startHarness();
    const admin = h.fake.addUser({ username: 'admin', roles: 'system_user system_admin' });
    adminToken = h.fake.addToken(admin.id);
  });
  afterEach(async () => {
    await h.close();
  });

  it('creates the slash commands, then updates them in place keeping their tokens', async () => {
    const first = await registerCommands({ url: h.fake.url, token: adminToken, teamId: h.team.id, publicUrl: 'http://day2:3000/', commands: DAY2_SLASH_COMMANDS });
    // Only what the declarations provide: /day2 and each family alias, nothing that does nothing.
    expect(first.map((c) => `/${c.trigger}`).sort()).toEqual(['/day2', ...allFamilies.flatMap((f) => f.aliases)].sort());
    expect(first.every((c) => c.created && /^[a-z0-9]{26}$/.test(c.token))).toBe(true);
    const stored = [...h.fake.commands.values()];
    expect(stored).toHaveLength(DAY2_SLASH_COMMANDS.length);
    expect(stored.every((c) => c.url === 'http://day2:3000/mattermost/command' && c.method === 'P' && c.team_id === h.team.id && c.auto_complete)).toBe(true);

    const second = await registerCommands({ url: h.fake.url, token: adminToken, teamId: h.team.id, publicUrl: 'https://day2.example.com', commands: DAY2_SLASH_COMMANDS });
    expect(second.every((c) => !c.created)).toBe(true);
    expect(second.map((c) => c.token)).toEqual(first.map((c) => c.token));
    expect(h.fake.commands.size).toBe(DAY2_SLASH_COMMANDS.length);
    expect([...h.fake.commands.values()].every((c) => c.url === 'https://day2.example.com/mattermost/command')).toBe(true);
    assertCallsMatchSpec(h.fake.calls);
  });

  it('returns tokens the adapter accepts', async () => {
    const registered = await registerCommands({ url: h.fake.url, token: adminToken, teamId: h.team.id, publicUrl: h.appUrl, commands: DAY2_SLASH_COMMANDS });
    await h.adapter.stop();
    // A second adapter configured with the registered tokens, served through `adapter.router`.
    const adapter = await createMattermostAdapter({
      url: h.fake.url,
      token: h.fake.botToken,
      actionSecret: 'another-long-secret-value',
      publicUrl: h.appUrl,
      commandTokens: registered.map((c) => c.token),
      websocket: false,
      mentions: () => () => undefined,
      zone: () => 'UTC',
      log: silentLogger,
      metrics: h.metrics,
    });
    const seen: string[] = [];
    await adapter.start(async (e) => {
      seen.push(e.kind === 'command' ? e.command : e.kind);
      return {};
    });
    const app = express();
    app.use(adapter.router);
    const server = createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const day2 = registered.find((c) => c.trigger === 'day2')!;
      const ok = await h.fake.sendCommand(url, { command: '/day2', token: day2.token, user_id: h.alice.id, channel_id: h.town.id });
      const bad = await h.fake.sendCommand(url, { command: '/day2', token: h.fake.botToken, user_id: h.alice.id, channel_id: h.town.id });
      expect([ok.status, bad.status]).toEqual([200, 401]);
      expect(seen).toEqual(['/day2']);
    } finally {
      await adapter.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('registers a family alias with the family summary, cut to what Mattermost accepts', async () => {
    const family = defineFamily({
      name: 'longwinded',
      aliases: ['/longwinded'],
      summary: `Who is on call for each environment, handoffs, cover requests and swaps between PREs, ${'and much more besides '.repeat(5)}`,
      commands: [defineCommand({ name: 'who', summary: 'Who is on call', usage: 'who', examples: ['/longwinded who'], args: z.object({}), positional: [], role: 'anyone', mutates: false, handler: async (ctx) => ctx.ok('x') })],
    });
    const specs = slashCommandsFor([family]);
    expect(specs.map((c) => c.trigger)).toEqual(['day2', 'longwinded']);
    const oncall = specs[1]!;
    expect(oncall.description.startsWith('Who is on call for each environment')).toBe(true);
    expect(Buffer.byteLength(oncall.description)).toBeLessThanOrEqual(128);
    expect(oncall.description.endsWith('…')).toBe(true);
    // The real declarations: /day2 plus each family's aliases.
    expect(slashCommandsFor(allFamilies).map((c) => `/${c.trigger}`)).toEqual(['/day2', ...allFamilies.flatMap((f) => f.aliases)]);

    const registered = await registerCommands({ url: h.fake.url, token: adminToken, teamId: h.team.id, publicUrl: h.appUrl, commands: specs });
    expect(registered.map((c) => c.trigger)).toEqual(['day2', 'longwinded']);
    expect([...h.fake.commands.values()].find((c) => c.trigger === 'longwinded')).toMatchObject({ description: oncall.description, auto_complete_desc: oncall.description });
  });

  it('the fake refuses a description over 128 bytes, as the server does', async () => {
    const res = await registerCommands({ url: h.fake.url, token: adminToken, teamId: h.team.id, publicUrl: h.appUrl, commands: [{ trigger: 'long', description: 'é'.repeat(65), hint: 'help' }] }).catch((e: unknown) => e);
    expect(res).toMatchObject({ code: 'permanent', message: expect.stringContaining('model.command.is_valid.description.app_error') });
  });

  it('fails with a permanent error without permission to manage commands', async () => {
    h.fake.bot.roles = 'system_user';
    await expect(registerCommands({ url: h.fake.url, token: h.fake.botToken, teamId: h.team.id, publicUrl: h.appUrl, commands: DAY2_SLASH_COMMANDS })).rejects.toMatchObject({ code: 'permanent' });
  });
});
