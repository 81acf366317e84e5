/**
 * Who a Mattermost click or dialog submission is from, and whether it may be what it claims:
 * identity comes from `user_id` through the API (never the body's `user_name`), a signed context
 * is bound to its channel, message key, expiry and (for one-person messages) its reader, and a
 * refused request leaves nothing in the identity cache.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/chat/message.js';
import type { ButtonEvent, FormEvent } from '../../../src/chat/port.js';
import { assertCallsMatchSpec } from '../../fakes/mattermost-spec.js';
import { FakeMattermost } from '../../fakes/mattermost.js';
import { COMMAND_TOKEN, eventually, startHarness, type Harness } from './harness.js';

const card = (n: number): OutboundMessage => ({
  body: `Swap request ${n}`,
  summary: `Swap request ${n}`,
  key: `swap-${n}`,
  buttons: [{ actionId: 'swapAccept', label: 'Accept', value: `swap-${n}` }],
});

const ephemeralText = (res: { body: unknown }) => (res.body as { ephemeral_text?: string } | undefined)?.ephemeral_text ?? '';
const userCalls = (h: Harness, userId: string) => h.fake.callsTo('GET', `/api/v4/users/${userId}`).length;

describe('Mattermost click identity and binding', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.handler = async (e) => (e.kind === 'button' ? { updateMessage: { body: `Accepted by ${e.user.name}`, summary: 'Accepted' } } : {});
  });
  afterEach(async () => {
    await h.close();
  });

  it('takes the clicker from user_id through the API, never from a forged user_name', async () => {
    const ref = await h.adapter.post(h.town.id, card(1));
    const res = await h.fake.clickButton(h.fake.posts.get(ref.messageId)!, 'swapAccept', { user_id: h.bob.id, user_name: 'alice' });
    expect(res.status).toBe(200);
    const [event] = h.events as ButtonEvent[];
    expect(event!.user).toEqual({ platform: 'mattermost', id: h.bob.id, name: 'bob' });
    expect(userCalls(h, h.bob.id)).toBe(1);
    assertCallsMatchSpec(h.fake.calls);
  });

  it('refuses a context from message A clicked as message B, and leaves B as it was', async () => {
    const a = h.fake.posts.get((await h.adapter.post(h.town.id, card(1))).messageId)!;
    const b = h.fake.posts.get((await h.adapter.post(h.town.id, card(2))).messageId)!;
    const before = b.message;
    const contextOfA = FakeMattermost.actionsOf(a)[0]!.integration.context;
    const res = await h.fake.clickButton(b, 'swapAccept', { user_id: h.alice.id, context: contextOfA });
    expect(res.status).toBe(200);
    expect(ephemeralText(res)).toMatch(/does not belong to this message/);
    expect(h.events).toHaveLength(0);
    expect(h.fake.posts.get(b.id)!.message).toBe(before);
  });

  it('refuses a replay of a click after the post lost its buttons (same key, no such action now)', async () => {
    const a = h.fake.posts.get((await h.adapter.post(h.town.id, card(1))).messageId)!;
    const context = FakeMattermost.actionsOf(a)[0]!.integration.context;
    expect((await h.fake.clickButton(a, 'swapAccept', { user_id: h.alice.id })).status).toBe(200);
    expect(h.fake.posts.get(a.id)!.props.day2_key).toBe('swap-1');
    const replay = await h.fake.clickButton({ ...a, props: { attachments: [{ actions: [{ id: 'swapAccept', name: 'Accept', integration: { url: `${h.appUrl}/mattermost/actions`, context } }] }] } }, 'swapAccept', { user_id: h.alice.id });
    expect(ephemeralText(replay)).toMatch(/does not belong to this message/);
    expect(h.events).toHaveLength(1);
  });

  it('does not rely on reading contexts back: the fake, like Mattermost, strips button integrations from posts it returns', async () => {
    const ref = await h.adapter.post(h.town.id, card(1));
    const res = await fetch(`${h.fake.url}/api/v4/posts/${ref.messageId}`, { headers: { Authorization: `Bearer ${h.fake.botToken}` } });
    const post = (await res.json()) as { props: { day2_key: string; attachments: { actions: Record<string, unknown>[] }[] } };
    expect(post.props.day2_key).toBe('swap-1');
    expect(post.props.attachments[0]!.actions[0]).toMatchObject({ id: 'swapAccept' });
    expect(post.props.attachments[0]!.actions[0]).not.toHaveProperty('integration');
    expect(FakeMattermost.actionsOf(h.fake.posts.get(ref.messageId)!)[0]!.integration.context).toHaveProperty('sig');
  });

  it('refuses a click that names a post id that does not exist', async () => {
    const a = h.fake.posts.get((await h.adapter.post(h.town.id, card(1))).messageId)!;
    const res = await h.fake.clickButton({ ...a, id: 'a'.repeat(26) }, 'swapAccept', { user_id: h.alice.id });
    expect(ephemeralText(res)).toMatch(/does not belong to this message/);
    const noPost = await h.fake.clickButton({ channel_id: a.channel_id, props: a.props }, 'swapAccept', { user_id: h.alice.id });
    expect(ephemeralText(noPost)).toMatch(/does not belong to this message/);
    expect(h.events).toHaveLength(0);
  });

  it('refuses a forged click by a user_id who is not a member of the channel', async () => {
    const carol = h.fake.addUser({ username: 'carol' });
    const post = h.fake.posts.get((await h.adapter.post(h.town.id, card(1))).messageId)!;
    const res = await h.fake.clickButton(post, 'swapAccept', { user_id: carol.id, user_name: 'alice' });
    expect(ephemeralText(res)).toMatch(/Only members of this channel/);
    expect(h.events).toHaveLength(0);
    expect(h.fake.posts.get(post.id)!.message).not.toContain('Accepted');
  });

  it('refuses a click on a one-person (ephemeral) message by anyone but its reader', async () => {
    await h.adapter.ephemeral(h.town.id, h.alice.id, card(3));
    const shown = h.fake.ephemerals.find((e) => e.user_id === h.alice.id)!;
    const byBob = await h.fake.clickButton({ channel_id: shown.channel_id, props: shown.props }, 'swapAccept', { user_id: h.bob.id });
    expect(ephemeralText(byBob)).toMatch(/meant for someone else/);
    expect(h.events).toHaveLength(0);
    const byAlice = await h.fake.clickButton({ channel_id: shown.channel_id, props: shown.props }, 'swapAccept', { user_id: h.alice.id });
    expect(byAlice.status).toBe(200);
    expect((h.events as ButtonEvent[]).map((e) => e.user.name)).toEqual(['alice']);
  });

  it('refuses an unknown or deactivated user_id', async () => {
    const post = h.fake.posts.get((await h.adapter.post(h.town.id, card(1))).messageId)!;
    h.fake.users.get(h.bob.id)!.delete_at = Date.now();
    const res = await h.fake.clickButton(post, 'swapAccept', { user_id: h.bob.id });
    expect(ephemeralText(res)).toMatch(/does not know this account/);
    expect(h.events).toHaveLength(0);
  });

  it('does not put the identity of a refused click in the cache: a later valid click looks the user up afresh', async () => {
    const a = h.fake.posts.get((await h.adapter.post(h.town.id, card(1))).messageId)!;
    const b = h.fake.posts.get((await h.adapter.post(h.town.id, card(2))).messageId)!;
    const refused = await h.fake.clickButton(b, 'swapAccept', { user_id: h.alice.id, context: FakeMattermost.actionsOf(a)[0]!.integration.context });
    expect(ephemeralText(refused)).toMatch(/does not belong/);
    expect(userCalls(h, h.alice.id)).toBe(0);
    // Renamed after the refused click: the valid click must see the new name.
    h.fake.users.get(h.alice.id)!.username = 'alice.renamed';
    await h.fake.clickButton(a, 'swapAccept', { user_id: h.alice.id });
    expect((h.events as ButtonEvent[])[0]!.user.name).toBe('alice.renamed');
    // A click that passed is cached: the next one asks Mattermost about the post, not the user.
    await h.fake.clickButton(h.fake.posts.get(a.id)!, 'swapAccept', { user_id: h.alice.id });
    expect(userCalls(h, h.alice.id)).toBe(1);
  });

  it('answers a button from before contexts were bound with a clear note, and runs nothing', async () => {
    const post = h.fake.posts.get((await h.adapter.post(h.town.id, card(1))).messageId)!;
    const { createHmac } = await import('node:crypto');
    const mac = createHmac('sha256', 'test-action-secret-0123456789').update('mm-button-v1');
    for (const p of ['swapAccept', 'swap-1', h.town.id]) mac.update(`\n${Buffer.byteLength(p)}:${p}`);
    const legacy = { a: 'swapAccept', v: 'swap-1', c: h.town.id, sig: mac.digest('base64url') };
    const res = await h.fake.clickButton(post, 'swapAccept', { user_id: h.alice.id, context: legacy });
    expect(ephemeralText(res)).toMatch(/older version of Day2/);
    expect(h.events).toHaveLength(0);
  });
});

describe('Mattermost expiry of buttons and dialogs', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ adapter: { actionTtlMs: 300 } });
    h.handler = async (e) => (e.kind === 'button' ? { updateMessage: { body: 'Accepted', summary: 'Accepted' } } : {});
  });
  afterEach(async () => {
    await h.close();
  });

  it('refuses an expired button with a clear answer and changes nothing', async () => {
    const post = h.fake.posts.get((await h.adapter.post(h.town.id, card(1))).messageId)!;
    await new Promise((r) => setTimeout(r, 350));
    const res = await h.fake.clickButton(post, 'swapAccept', { user_id: h.alice.id });
    expect(res.status).toBe(200);
    expect(ephemeralText(res)).toMatch(/expired/);
    expect(h.events).toHaveLength(0);
    expect(h.fake.posts.get(post.id)!.message).toContain('Swap request 1');
  });

  it('refuses an expired dialog submission with an error shown in the dialog', async () => {
    h.handler = async (e) => {
      if (e.kind === 'command') await h.adapter.openForm(e.triggerId!, { formId: 'swapNote', title: 'Note', submitLabel: 'Send', state: 's', fields: [{ name: 'note', label: 'Note', type: 'text', required: true }] }, { channelId: e.channel.id, userId: e.user.id });
      return {};
    };
    await h.fake.sendCommand(h.appUrl, { command: '/oncall', text: 'note', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
    await new Promise((r) => setTimeout(r, 350));
    const res = await h.fake.submitDialog(h.fake.dialogs[0]!, { submission: { note: 'late' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ error: expect.stringMatching(/expired/) });
    expect(h.events.filter((e) => e.kind === 'form')).toHaveLength(0);
  });
});

describe('Mattermost dialog submitter', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.handler = async (e) => {
      if (e.kind === 'command') await h.adapter.openForm(e.triggerId!, { formId: 'swapNote', title: 'Note', submitLabel: 'Send', state: 's', fields: [{ name: 'note', label: 'Note', type: 'text', required: true }] }, { channelId: e.channel.id, userId: e.user.id });
      return {};
    };
    await h.fake.sendCommand(h.appUrl, { command: '/oncall', text: 'note', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
  });
  afterEach(async () => {
    await h.close();
  });

  it('carries the name Mattermost gives the submitting user_id (submissions have no user_name)', async () => {
    const res = await h.fake.submitDialog(h.fake.dialogs[0]!, { submission: { note: 'hi' } });
    expect(res.status).toBe(200);
    const form = await eventually(() => h.events.find((e): e is FormEvent => e.kind === 'form'), 'the form event');
    expect(form.user).toEqual({ platform: 'mattermost', id: h.alice.id, name: 'alice' });
  });

  it('refuses a submission of alice\'s dialog that names another user_id', async () => {
    const res = await h.fake.submitDialog(h.fake.dialogs[0]!, { submission: { note: 'hi' }, user_id: h.bob.id });
    expect(res.status).toBe(403);
    expect(h.events.filter((e) => e.kind === 'form')).toHaveLength(0);
    expect(userCalls(h, h.bob.id)).toBe(0);
  });
});
