import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DirectMessageEvent } from '../../../src/chat/port.js';
import { eventually, startHarness, type Harness } from './harness.js';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Mattermost direct messages over the WebSocket', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ adapter: { websocket: true, websocketRetry: { minMs: 50, jitterMs: 10 } } });
    await h.fake.sockets.waitForAuthenticated(1);
  });
  afterEach(async () => {
    await h.close();
  });

  it('authenticates with the bot token over the challenge', () => {
    const [conn] = h.fake.sockets.authenticated();
    expect(conn!.userId).toBe(h.fake.bot.id);
  });

  it('turns a user’s DM into a DirectMessageEvent and answers in the same channel, ignoring its own post', async () => {
    const dm = h.fake.directChannel(h.fake.bot.id, h.alice.id);
    h.handler = async (e) => (e.kind === 'dm' && e.text === 'who is on call?' ? { reply: { body: 'Bob is.', summary: 'Bob is.' } } : {});
    const post = h.fake.pushPosted({ channel_id: dm.id, user_id: h.alice.id, message: 'who is on call?' });

    const [event] = (await h.waitForEvents(1)) as DirectMessageEvent[];
    expect(event).toEqual({
      kind: 'dm',
      platform: 'mattermost',
      eventId: post.id,
      user: { platform: 'mattermost', id: h.alice.id, name: 'alice' },
      channel: { platform: 'mattermost', id: dm.id, name: dm.name },
      text: 'who is on call?',
    });
    const reply = await eventually(() => h.fake.postsIn(dm.id).find((p) => p.user_id === h.fake.bot.id), 'reply in the DM');
    expect(reply.message).toContain('Bob is.');

    // The bot's reply came back on the socket before this message; only alice's posts count.
    h.fake.pushPosted({ channel_id: dm.id, user_id: h.alice.id, message: 'thanks' });
    const events = await h.waitForEvents(2);
    expect(events.map((e) => (e as DirectMessageEvent).text)).toEqual(['who is on call?', 'thanks']);
  });

  it('ignores channel posts, system messages and other bots', async () => {
    const dm = h.fake.directChannel(h.fake.bot.id, h.bob.id);
    h.fake.pushPosted({ channel_id: h.town.id, user_id: h.alice.id, message: 'hello channel' });
    h.fake.pushPosted({ channel_id: dm.id, user_id: h.bob.id, message: 'joined', type: 'system_join_channel' });
    h.fake.pushPosted({ channel_id: dm.id, user_id: h.bob.id, message: 'beep', props: { from_bot: 'true' } });
    h.fake.pushPosted({ channel_id: dm.id, user_id: h.bob.id, message: 'real one' });
    const events = await h.waitForEvents(1);
    expect(events.map((e) => (e as DirectMessageEvent).text)).toEqual(['real one']);
  });

  it('reconnects after the connection drops, keeps receiving, and does not loop', async () => {
    const dm = h.fake.directChannel(h.fake.bot.id, h.alice.id);
    h.fake.pushPosted({ channel_id: dm.id, user_id: h.alice.id, message: 'before' });
    await h.waitForEvents(1);
    expect(h.fake.sockets.opened).toBe(1);

    h.fake.dropSockets();
    // The server starts every challenge-authenticated session at seq 0, even when asked to resume.
    await h.fake.sockets.waitForAuthenticated(1);
    h.fake.pushPosted({ channel_id: dm.id, user_id: h.alice.id, message: 'after' });
    h.fake.pushPosted({ channel_id: dm.id, user_id: h.alice.id, message: 'and again' });
    const events = await h.waitForEvents(3);
    expect(events.map((e) => (e as DirectMessageEvent).text)).toEqual(['before', 'after', 'and again']);

    // A client stuck on its old sequence number would drop and redial every ~50 ms here.
    await pause(500);
    expect(h.fake.sockets.opened).toBe(2);
    expect(h.fake.sockets.authenticated()).toHaveLength(1);
  });

  it('closes the socket on stop and does not reconnect', async () => {
    await h.adapter.stop();
    await eventually(() => h.fake.sockets.connections.length === 0, 'socket closed');
    await pause(300);
    expect(h.fake.sockets.opened).toBe(1);
    expect(h.fake.sockets.connections).toHaveLength(0);
  });
});
