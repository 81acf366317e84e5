import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/chat/message.js';
import type { ButtonEvent, CommandEvent } from '../../../src/chat/port.js';
import { FakeMattermost } from '../../fakes/mattermost.js';
import { assertCallsMatchSpec } from '../../fakes/mattermost-spec.js';
import { COMMAND_TOKEN, deferred, eventually, startHarness, type Harness } from './harness.js';

const withButtons: OutboundMessage = {
  title: 'Handoff',
  body: 'Alice is on call for **prod-east**.',
  summary: 'Alice is on call for prod-east',
  buttons: [
    { actionId: 'oncallAck', label: 'Acknowledge', value: 'rot-1|2026-11-23', style: 'primary' },
    { actionId: 'oncallCover', label: 'Cover', value: 'rot-1' },
  ],
};

describe('Mattermost slash commands', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ adapter: { ackBudgetMs: 1500 } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('turns a command with the right token into a CommandEvent and answers with JSON', async () => {
    h.handler = async () => ({ reply: withButtons });
    const res = await h.fake.sendCommand(h.appUrl, { command: '/oncall', text: ' who  prod-east ', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });

    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json');
    const body = res.body as { response_type: string; text: string; props: { attachments: { actions: { id: string }[] }[] } };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('Alice is on call for **prod-east**');
    expect(body.props.attachments[0]!.actions.map((a) => a.id)).toEqual(['oncallAck', 'oncallCover']);

    const [event] = h.events as CommandEvent[];
    expect(event).toMatchObject({
      kind: 'command',
      platform: 'mattermost',
      eventId: res.triggerId,
      triggerId: res.triggerId,
      command: '/oncall',
      text: 'who  prod-east',
      user: { id: h.alice.id, name: 'alice' },
      channel: { id: h.town.id, name: 'town-square', teamId: h.team.id },
    });
    expect(h.fake.ephemerals).toEqual([expect.objectContaining({ via: 'command', user_id: h.alice.id })]);

    // The buttons on that ephemeral answer work too (signed for the command's channel).
    const eph = h.fake.ephemerals[0]!;
    const click = await h.fake.clickButton({ channel_id: eph.channel_id, props: eph.props }, 'oncallCover', { user_id: h.alice.id });
    expect(click.status).toBe(200);
    expect(h.events[1]).toMatchObject({ kind: 'button', actionId: 'oncallCover', value: 'rot-1', message: undefined });
  });

  it('renders a command reply in the caller’s zone', async () => {
    h.handler = async () => ({ reply: { body: 'Your shift starts <!date:2026-12-01T09:00:00.000Z|time>.', summary: 'shift' } });
    const res = await h.fake.sendCommand(h.appUrl, { command: '/oncall', text: 'me', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
    expect((res.body as { text: string }).text).toContain('10:00 CET');
  });

  it('accepts the token from a GET query (commands registered with method G)', async () => {
    const res = await h.fake.sendCommand(h.appUrl, { command: '/day2', text: 'help', token: COMMAND_TOKEN, user_id: h.bob.id, channel_id: h.town.id, method: 'G', authHeader: false });
    expect(res.status).toBe(200);
    expect(h.events).toHaveLength(1);
  });

  it('rejects a wrong or missing token with 401 and dispatches nothing', async () => {
    const wrong = await h.fake.sendCommand(h.appUrl, { command: '/day2', text: 'help', token: 'not-the-token', user_id: h.alice.id, channel_id: h.town.id });
    const missing = await h.fake.sendCommand(h.appUrl, { command: '/day2', text: 'help', token: '', user_id: h.alice.id, channel_id: h.town.id, authHeader: false });
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    expect(h.events).toHaveLength(0);
  });

  it('acknowledges a slow command in time and sends the reply later through its response_url, no admin rights needed', async () => {
    await h.close();
    // A bot that is not a system admin may not call POST /posts/ephemeral.
    h = await startHarness({ adapter: { ackBudgetMs: 100 }, fake: { botRoles: 'system_user' } });
    const release = deferred();
    h.handler = async () => {
      await release.promise;
      return { reply: { ...withButtons, body: 'Rotation **created**.', summary: 'Rotation created.' } };
    };
    const res = await h.fake.sendCommand(h.appUrl, { command: '/oncall', text: 'create', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ response_type: 'ephemeral', text: 'Working on it…' });
    expect(h.fake.ephemerals.filter((e) => e.via !== 'command')).toHaveLength(0);

    release.resolve();
    const late = await eventually(() => h.fake.ephemerals.find((e) => e.via === 'hook'), 'late reply on the response_url');
    expect(late).toMatchObject({ user_id: h.alice.id, channel_id: h.town.id });
    expect(late.message).toContain('Rotation **created**.');
    // Buttons survive the trip, signed for the command's channel.
    expect(FakeMattermost.actionsOf(late).map((a) => a.id)).toEqual(['oncallAck', 'oncallCover']);
    const hookCall = h.fake.calls.find((c) => c.path === new URL(res.responseUrl).pathname)!;
    expect(hookCall).toMatchObject({ method: 'POST', status: 200, headers: expect.objectContaining({ 'content-type': 'application/json' }) });
    expect(hookCall.headers.authorization).toBeUndefined();
    expect(hookCall.body).toMatchObject({ response_type: 'ephemeral', skip_slack_parsing: true });
    expect(h.fake.callsTo('POST', '/api/v4/posts/ephemeral')).toHaveLength(0);
    assertCallsMatchSpec(h.fake.calls);
  });

  it('falls back to an ephemeral post when the response_url no longer takes answers', async () => {
    await h.close();
    h = await startHarness({ adapter: { ackBudgetMs: 100 }, fake: { commandHookTtlMs: 150 } });
    const release = deferred();
    h.handler = async () => {
      await release.promise;
      return { reply: { body: 'Done at last.', summary: 'Done at last.' } };
    };
    const res = await h.fake.sendCommand(h.appUrl, { command: '/day2', text: 'slow', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
    expect(res.body).toEqual({ response_type: 'ephemeral', text: 'Working on it…' });
    await new Promise((r) => setTimeout(r, 250));
    release.resolve();
    const late = await eventually(() => h.fake.ephemerals.find((e) => e.via === 'api'), 'fallback ephemeral');
    expect(late).toMatchObject({ user_id: h.alice.id, channel_id: h.town.id, message: expect.stringContaining('Done at last.') });
    expect(h.fake.calls.find((c) => c.path.startsWith('/hooks/commands/'))).toMatchObject({ status: 404 });
  });

  it('a command that fails after the ack gets the apology through its response_url', async () => {
    await h.close();
    h = await startHarness({ adapter: { ackBudgetMs: 100 }, fake: { botRoles: 'system_user' } });
    h.handler = async () => {
      await new Promise((r) => setTimeout(r, 300));
      throw new Error('secret internals');
    };
    await h.fake.sendCommand(h.appUrl, { command: '/day2', text: 'boom', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
    const late = await eventually(() => h.fake.ephemerals.find((e) => e.via === 'hook'), 'apology');
    expect(late.message).toContain('did not work');
    expect(late.message).not.toContain('secret internals');
  });

  it('answers a failing dispatch with a generic apology, not the error', async () => {
    h.handler = async () => {
      throw new Error('secret internals');
    };
    const res = await h.fake.sendCommand(h.appUrl, { command: '/day2', text: 'x', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
    expect(res.status).toBe(200);
    expect((res.body as { text: string }).text).toMatch(/did not work/);
    expect(res.text).not.toContain('secret internals');
  });
});

describe('Mattermost buttons', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('turns a signed click into a ButtonEvent and replaces the post with the full message', async () => {
    const ref = await h.adapter.post(h.town.id, { ...withButtons, key: 'handoff-7' });
    const post = h.fake.posts.get(ref.messageId)!;
    h.handler = async () => ({ updateMessage: { body: 'Acknowledged by alice.', summary: 'Acknowledged', key: 'handoff-7' } });

    const res = await h.fake.clickButton(post, 'oncallAck', { user_id: h.alice.id });
    expect(res.status).toBe(200);
    const [event] = h.events as ButtonEvent[];
    expect(event).toMatchObject({
      kind: 'button',
      actionId: 'oncallAck',
      value: 'rot-1|2026-11-23',
      eventId: res.triggerId,
      triggerId: res.triggerId,
      user: { id: h.alice.id, name: 'alice' },
      channel: { id: h.town.id, teamId: h.team.id },
      message: { platform: 'mattermost', channelId: h.town.id, messageId: post.id },
    });
    // The answer carries the whole message, so Mattermost does not blank the post.
    expect((res.body as { update: { message: string } }).update.message).toContain('Acknowledged by alice.');
    expect(h.fake.posts.get(post.id)!.message).toContain('Acknowledged by alice.');
    expect(h.fake.posts.get(post.id)!.props.day2_key).toBe('handoff-7');
  });

  it('sends a text reply as ephemeral_text', async () => {
    const ref = await h.adapter.post(h.town.id, withButtons);
    h.handler = async () => ({ reply: { body: 'You are now covering.', summary: 'Covering' } });
    const res = await h.fake.clickButton(h.fake.posts.get(ref.messageId)!, 'oncallCover', { user_id: h.bob.id });
    expect(res.status).toBe(200);
    expect((res.body as { ephemeral_text: string }).ephemeral_text).toContain('You are now covering.');
    expect(h.fake.posts.get(ref.messageId)!.message).toContain('Alice is on call');
  });

  it('rejects a click whose context was tampered with, and dispatches nothing', async () => {
    const ref = await h.adapter.post(h.town.id, withButtons);
    const post = h.fake.posts.get(ref.messageId)!;
    const original = FakeMattermost.actionsOf(post).find((a) => a.id === 'oncallAck')!.integration.context;

    const forgedValue = await h.fake.clickButton(post, 'oncallAck', { user_id: h.bob.id, context: { ...original, v: 'rot-2' } });
    const forgedAction = await h.fake.clickButton(post, 'oncallAck', { user_id: h.bob.id, context: { ...original, a: 'oncallCover' } });
    const unsigned = await h.fake.clickButton(post, 'oncallAck', { user_id: h.bob.id, context: { a: 'oncallAck', v: 'rot-1' } });
    expect([forgedValue.status, forgedAction.status, unsigned.status]).toEqual([403, 403, 403]);
    expect(h.events).toHaveLength(0);
  });

  it('refuses a valid context replayed from another channel, saying so to the clicker', async () => {
    const ref = await h.adapter.post(h.town.id, withButtons);
    const other = h.fake.addChannel({ team: h.team, name: 'other', members: [h.bob.id] });
    const copied = { channel_id: other.id, props: h.fake.posts.get(ref.messageId)!.props };
    const res = await h.fake.clickButton(copied, 'oncallAck', { user_id: h.bob.id });
    expect(res.status).toBe(200);
    expect((res.body as { ephemeral_text: string }).ephemeral_text).toMatch(/does not belong to this message/);
    expect(h.events).toHaveLength(0);
  });

  it('updates the post through the API when the click is answered after the budget', async () => {
    await h.close();
    h = await startHarness({ adapter: { ackBudgetMs: 100 } });
    const ref = await h.adapter.post(h.town.id, withButtons);
    const release = deferred();
    h.handler = async () => {
      await release.promise;
      return { updateMessage: { body: 'Covered by bob.', summary: 'Covered' } };
    };
    const res = await h.fake.clickButton(h.fake.posts.get(ref.messageId)!, 'oncallCover', { user_id: h.bob.id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    release.resolve();
    await eventually(() => h.fake.posts.get(ref.messageId)!.message.includes('Covered by bob.'), 'late update');
    expect(h.fake.callsTo('PUT', `/api/v4/posts/${ref.messageId}/patch`)).toHaveLength(1);
    assertCallsMatchSpec(h.fake.calls);
  });
});
