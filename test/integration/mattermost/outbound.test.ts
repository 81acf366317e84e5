import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/chat/message.js';
import { assertCallsMatchSpec } from '../../fakes/mattermost-spec.js';
import { startHarness, type Harness } from './harness.js';

const notice: OutboundMessage = {
  title: 'Maintenance',
  body: 'Database upgrade on **prod-east**.',
  summary: 'Database upgrade on prod-east',
  fields: [{ label: 'Window', value: '09:00–10:00', short: true }],
  key: 'notice-42',
};

describe('Mattermost outbound', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    // Every call the adapter made must exist in the spec with its required fields.
    assertCallsMatchSpec(h.fake.calls);
    await h.close();
  });

  it('declares its capabilities', () => {
    expect(h.adapter.platform).toBe('mattermost');
    expect(h.adapter.capabilities).toEqual({ threads: true, forms: true, ephemeral: true, dateTokens: false, buttons: true, maxTextLength: 16383, dutyGroup: 'channel-header' });
  });

  it('posts with attachments and the delivery key in props', async () => {
    const ref = await h.adapter.post(h.town.id, notice);
    expect(ref).toEqual({ platform: 'mattermost', channelId: h.town.id, messageId: expect.stringMatching(/^[a-z0-9]{26}$/) });
    const post = h.fake.posts.get(ref.messageId)!;
    expect(post.user_id).toBe(h.fake.bot.id);
    expect(post.message).toContain('#### Maintenance');
    expect(post.message).toContain('Database upgrade on **prod-east**.');
    expect(post.props.day2_key).toBe('notice-42');
    expect(post.props.attachments).toEqual([expect.objectContaining({ fields: [expect.objectContaining({ title: 'Window', short: true })] })]);
    const [call] = h.fake.callsTo('POST', '/api/v4/posts');
    expect(call!.headers.authorization).toBe(`BEARER ${h.fake.botToken}`);
  });

  it('replies in the thread of the root, also when replying to a reply', async () => {
    const root = await h.adapter.post(h.town.id, notice);
    const first = await h.adapter.reply(root, { body: 'Started.', summary: 'Started.' });
    const second = await h.adapter.reply(first, { body: 'Done.', summary: 'Done.' });
    expect(first.threadId).toBe(root.messageId);
    expect(second.threadId).toBe(root.messageId);
    expect(h.fake.posts.get(second.messageId)!.root_id).toBe(root.messageId);
  });

  it('updates a post with the whole message and keeps the key', async () => {
    const ref = await h.adapter.post(h.town.id, { ...notice, buttons: [{ actionId: 'noticeAck', label: 'Ack', value: '42' }] });
    await h.adapter.update(ref, { ...notice, body: 'Upgrade **finished**.', buttons: [] });
    const post = h.fake.posts.get(ref.messageId)!;
    expect(post.message).toContain('Upgrade **finished**.');
    expect(post.message).toContain('#### Maintenance');
    expect(post.props.day2_key).toBe('notice-42');
    expect(JSON.stringify(post.props.attachments)).not.toContain('noticeAck');
    expect(post.edit_at).toBeGreaterThan(0);
  });

  it('clamps a message to the post limit instead of having it rejected', async () => {
    const ref = await h.adapter.post(h.town.id, { body: 'x'.repeat(20_000), summary: 'long' });
    expect([...h.fake.posts.get(ref.messageId)!.message].length).toBeLessThanOrEqual(16_383);
  });

  it('sends ephemeral posts to one user', async () => {
    await h.adapter.ephemeral(h.town.id, h.bob.id, { body: 'Only you can see this.', summary: 'psst' });
    expect(h.fake.ephemerals).toEqual([expect.objectContaining({ via: 'api', user_id: h.bob.id, channel_id: h.town.id, message: expect.stringContaining('Only you can see this.') })]);
  });

  it('shows dates in the reader’s profile zone in messages to one person, named', async () => {
    const at: OutboundMessage = { body: 'Starts <!date:2026-12-01T09:00:00.000Z|time>.', summary: 'Starts soon' };
    await h.adapter.ephemeral(h.town.id, h.alice.id, at);
    await h.adapter.ephemeral(h.town.id, h.bob.id, at);
    await h.adapter.ephemeral(h.town.id, h.bob.id, at, { readerZone: 'America/New_York' });
    const ref = await h.adapter.dm(h.alice.id, at);
    const channelPost = await h.adapter.post(h.town.id, at);
    expect(h.fake.ephemerals.map((e) => e.message)).toEqual([
      expect.stringContaining('10:00 CET'),
      expect.stringContaining('18:00 GMT+9 (Tokyo)'),
      expect.stringContaining('04:00 EST'),
    ]);
    expect(h.fake.posts.get(ref.messageId)!.message).toContain('10:00 CET');
    expect(h.fake.posts.get(channelPost.messageId)!.message).toContain('09:00 UTC');
    // Profile zones are cached: one lookup per user.
    expect(h.fake.callsTo('GET', `/api/v4/users/${h.alice.id}`)).toHaveLength(1);
  });

  it('opens the direct channel once and posts into it', async () => {
    const a = await h.adapter.dm(h.alice.id, { body: 'Your shift starts soon.', summary: 'shift' });
    const b = await h.adapter.dm(h.alice.id, { body: 'Reminder.', summary: 'reminder' });
    const dm = h.fake.directChannel(h.fake.bot.id, h.alice.id);
    expect(a.channelId).toBe(dm.id);
    expect(b.channelId).toBe(dm.id);
    expect(h.fake.postsIn(dm.id).map((p) => p.message)).toEqual([expect.stringContaining('Your shift starts soon.'), expect.stringContaining('Reminder.')]);
    const opened = h.fake.callsTo('POST', '/api/v4/channels/direct');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.body).toEqual([h.fake.bot.id, h.alice.id]);
  });

  it('reads users with the zone their profile shows', async () => {
    const alice = await h.adapter.getUser(h.alice.id);
    const bob = await h.adapter.getUser(h.bob.id);
    const odd = h.fake.addUser({ username: 'odd', timezone: { useAutomaticTimezone: 'false', manualTimezone: 'Mars/Olympus' } });
    expect(alice).toEqual({ platform: 'mattermost', id: h.alice.id, name: 'alice', displayName: 'Alice Liddell', timeZone: 'Europe/Berlin', isBot: false });
    expect(bob).toMatchObject({ name: 'bob', timeZone: 'Asia/Tokyo' });
    expect(bob).not.toHaveProperty('displayName');
    expect(await h.adapter.getUser(odd.id)).not.toHaveProperty('timeZone');
    expect(await h.adapter.getUser(h.fake.bot.id)).toMatchObject({ isBot: true });
  });

  it('lists a user’s teams as role principals, cached', async () => {
    const other = h.fake.addTeam('data', [h.alice.id]);
    expect(await h.adapter.groupsOf(h.alice.id)).toEqual([`mattermost-team:${h.team.id}`, `mattermost-team:${other.id}`]);
    expect(await h.adapter.groupsOf(h.alice.id)).toHaveLength(2);
    expect(h.fake.callsTo('GET', `/api/v4/users/${h.alice.id}/teams`)).toHaveLength(1);
  });

  it('finds a post it made under a delivery key, and only its own', async () => {
    const mine = await h.adapter.post(h.town.id, notice);
    await h.adapter.post(h.town.id, { ...notice, key: 'notice-43' });
    h.fake.pushPosted({ channel_id: h.town.id, user_id: h.alice.id, message: 'copycat', props: { day2_key: 'notice-44' } });

    expect(await h.adapter.findPosted(h.town.id, 'notice-42', 60_000)).toEqual({ platform: 'mattermost', channelId: h.town.id, messageId: mine.messageId });
    expect(await h.adapter.findPosted(h.town.id, 'notice-44', 60_000)).toBeUndefined();
    expect(await h.adapter.findPosted(h.town.id, 'notice-99', 60_000)).toBeUndefined();
    const [call] = h.fake.callsTo('GET', `/api/v4/channels/${h.town.id}/posts`);
    expect(Number(call!.query.since)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('finds a thread reply by key, and with a thread id only under that root', async () => {
    const root = await h.adapter.post(h.town.id, { ...notice, key: 'rel-7' });
    const other = await h.adapter.post(h.town.id, { ...notice, key: 'rel-8' });
    const reply = await h.adapter.reply(root, { ...notice, key: 'rel-7-step-1' });
    // The same key under another root (a stray copy) must not be taken for this thread's reply.
    await h.adapter.reply(other, { ...notice, key: 'rel-7-step-2' });

    const inThread = { platform: 'mattermost', channelId: h.town.id, messageId: reply.messageId, threadId: root.messageId };
    expect(await h.adapter.findPosted(h.town.id, 'rel-7-step-1', 60_000, root.messageId)).toEqual(inThread);
    expect(await h.adapter.findPosted(h.town.id, 'rel-7-step-1', 60_000)).toEqual(inThread);
    expect(await h.adapter.findPosted(h.town.id, 'rel-7-step-2', 60_000, root.messageId)).toBeUndefined();
    expect(await h.adapter.findPosted(h.town.id, 'rel-7', 60_000, root.messageId)).toBeUndefined();
  });

  it('pings with its own credentials', async () => {
    await expect(h.adapter.ping()).resolves.toBeUndefined();
    expect(h.fake.callsTo('GET', '/api/v4/users/me').length).toBeGreaterThan(0);
  });
});
