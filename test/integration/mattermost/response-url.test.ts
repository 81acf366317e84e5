/**
 * A slash command's response_url: the fake serves it like the server (web/webhook.go and
 * app HandleCommandWebhook), and the adapter uses it for late answers without trusting its host.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandHookId } from '../../../src/chat/mattermost/command-hook.js';
import { COMMAND_TOKEN, startHarness, type Harness } from './harness.js';

describe('Mattermost response_url', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ fake: { botRoles: 'system_user' } });
  });
  afterEach(async () => {
    await h.close();
  });

  const runCommand = async () => (await h.fake.sendCommand(h.appUrl, { command: '/day2', text: 'help', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id })).responseUrl;
  const postTo = (url: string, body: string, contentType = 'application/json') => fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });

  it('the fake takes a JSON or plain-text CommandResponse without credentials, five times at most', async () => {
    const url = await runCommand();
    expect(url).toMatch(/\/hooks\/commands\/[a-z0-9]{26}$/);
    const ok = await postTo(url, JSON.stringify({ response_type: 'ephemeral', text: 'first', props: { day2_key: 'k' } }));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('ok');
    // Without application/json the body is the text itself.
    expect((await postTo(url, '{"text":"not parsed"}', 'text/plain')).status).toBe(200);
    // in_channel posts into the command's channel as the user who ran it.
    expect((await postTo(url, JSON.stringify({ response_type: 'in_channel', text: 'for everyone' }))).status).toBe(200);
    expect(h.fake.ephemerals.filter((e) => e.via === 'hook').map((e) => [e.user_id, e.message])).toEqual([
      [h.alice.id, 'first'],
      [h.alice.id, '{"text":"not parsed"}'],
    ]);
    expect(h.fake.postsIn(h.town.id).at(-1)).toMatchObject({ user_id: h.alice.id, message: 'for everyone', props: { from_webhook: 'true' } });

    expect((await postTo(url, '{not json')).status).toBe(400);
    expect((await postTo(url, JSON.stringify({ text: 'fourth' }))).status).toBe(200);
    expect((await postTo(url, JSON.stringify({ text: 'fifth' }))).status).toBe(200);
    const sixth = await postTo(url, JSON.stringify({ text: 'sixth' }));
    expect(sixth.status).toBe(400);
    expect(await sixth.json()).toMatchObject({ id: 'app.command_webhook.try_use.invalid' });
    expect((await fetch(url)).status).toBe(405);
    const unknown = await postTo(url.replace(/[a-z0-9]{26}$/, 'a'.repeat(26)), JSON.stringify({ text: 'x' }));
    expect(unknown.status).toBe(404);
  });

  it('commandReply posts to the configured server, taking only the hook id from the response_url', async () => {
    const url = await runCommand();
    const id = commandHookId(url)!;
    // SiteURL may be a public name Day2 cannot reach (or, in a forged request, anything at all).
    await h.adapter.commandReply(`https://chat.example.invalid/hooks/commands/${id}`, h.town.id, h.alice.id, { body: 'Later.', summary: 'Later.' });
    expect(h.fake.ephemerals.find((e) => e.via === 'hook')).toMatchObject({ user_id: h.alice.id, channel_id: h.town.id, message: 'Later.' });
    expect(h.fake.calls.find((c) => c.path === `/hooks/commands/${id}`)).toMatchObject({ status: 200 });
  });

  it('without a usable response_url the answer goes through POST /posts/ephemeral', async () => {
    // The bot here is no admin, so the fallback is refused: the error says which permission is missing.
    await expect(h.adapter.commandReply(undefined, h.town.id, h.alice.id, { body: 'x', summary: 'x' })).rejects.toMatchObject({ message: expect.stringContaining('create_post_ephemeral') });
    await expect(h.adapter.commandReply('https://chat.example.invalid/api/v4/posts', h.town.id, h.alice.id, { body: 'x', summary: 'x' })).rejects.toMatchObject({ code: 'permanent' });
    expect(h.fake.calls.filter((c) => c.path.startsWith('/hooks/'))).toHaveLength(0);
    expect(h.fake.callsTo('POST', '/api/v4/posts/ephemeral')).toHaveLength(2);
  });

  it('reads the hook id only from a /hooks/commands/<id> path', () => {
    expect(commandHookId('https://chat.example.com/hooks/commands/abc123')).toBe('abc123');
    expect(commandHookId('https://chat.example.com/mm/hooks/commands/abc123')).toBe('abc123');
    expect(commandHookId('https://chat.example.com/hooks/commands/abc123/../../api/v4/users')).toBeUndefined();
    expect(commandHookId('https://chat.example.com/hooks/commands/abc-123')).toBeUndefined();
    expect(commandHookId('https://chat.example.com/hooks/abc123')).toBeUndefined();
    expect(commandHookId('not a url')).toBeUndefined();
    expect(commandHookId(undefined)).toBeUndefined();
    expect(commandHookId('')).toBeUndefined();
  });
});
