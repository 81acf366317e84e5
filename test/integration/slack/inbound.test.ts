/**
 * Slack -> Day2 through real Bolt over loopback: signed requests from the fake Slack reach the
 * test's dispatch as neutral events, acks carry the answers, and bad requests never get in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ButtonEvent, CommandEvent, DirectMessageEvent, FormEvent } from '../../../src/chat/port.js';
import { FAILED_TEXT, WORKING_TEXT } from '../../../src/chat/slack/listeners.js';
import { validateSlackCall } from '../../fakes/slack-spec.js';
import { eventually, msg, startHarness, type Harness } from './harness.js';

const ALICE = 'U0ALICE001';
const GENERAL = 'C0GENERAL1';

async function ackCount(h: Harness): Promise<number> {
  const metric = await h.metrics.ackLatency.get();
  return metric.values.find((v) => v.metricName === 'day2_ack_latency_seconds_count')?.value ?? 0;
}

describe('Slack inbound (HTTP mode, signed requests)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.fake.addUser({ id: ALICE, name: 'alice', real_name: 'Alice Example', tz: 'Europe/Berlin' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('a signed slash command reaches dispatch as a CommandEvent and the ack carries the reply', async () => {
    h.handle(async () => ({ reply: msg('Hello **there**', { summary: 'Hello there' }) }));
    const res = await h.fake.sendCommand({ command: '/oncall', text: ' who prod &amp; staging &lt;now&gt; ', user_id: ALICE, user_name: 'alice', channel_id: GENERAL, channel_name: 'general' });

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: 'Hello there' });
    expect(JSON.stringify(res.json?.blocks)).toContain('*there*');
    expect(h.events).toEqual<CommandEvent[]>([
      {
        kind: 'command',
        platform: 'slack',
        eventId: res.triggerId,
        triggerId: res.triggerId,
        user: { platform: 'slack', id: ALICE, name: 'alice' },
        channel: { platform: 'slack', id: GENERAL, name: 'general', teamId: h.fake.teamId },
        command: '/oncall',
        // Slack's &amp; &lt; &gt; escapes are undone: the dispatcher parses what was typed.
        text: 'who prod & staging <now>',
      },
    ]);
    expect(await ackCount(h)).toBe(1);
  });

  it('a command without a reply is acked with an empty body', async () => {
    const res = await h.fake.sendCommand({ command: '/day2', text: '', user_id: ALICE, channel_id: GENERAL });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(h.events).toHaveLength(1);
  });

  it('rejects a forged signature with 401 and never dispatches', async () => {
    const body = new URLSearchParams({ command: '/day2', text: 'help', user_id: ALICE, channel_id: GENERAL, team_id: h.fake.teamId, trigger_id: h.fake.issueTrigger(), response_url: `${h.fake.url}/response/00` });
    const res = await h.fake.signedRequest(h.appUrl, '/slack/events', body, { secret: 'not-the-signing-secret' });
    expect(res.status).toBe(401);
    expect(h.events).toEqual([]);
  });

  it('rejects a correctly signed but stale request (> 5 min) with 401 and never dispatches', async () => {
    const body = new URLSearchParams({ command: '/day2', text: 'help', user_id: ALICE, channel_id: GENERAL, team_id: h.fake.teamId, trigger_id: h.fake.issueTrigger(), response_url: `${h.fake.url}/response/00` });
    const res = await h.fake.signedRequest(h.appUrl, '/slack/events', body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(res.status).toBe(401);
    expect(h.events).toEqual([]);
  });

  it('answers Slack url_verification with the challenge', async () => {
    const res = await h.fake.signedRequest(h.appUrl, '/slack/events', { type: 'url_verification', token: 'x', challenge: 'c-123' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: 'c-123' });
  });

  it('a redelivered event keeps its eventId and carries retryNum', async () => {
    const event = { type: 'message', channel: 'D000000001', channel_type: 'im', user: ALICE, text: 'hi', ts: '1700000000.000100' };
    const first = await h.fake.sendEvent(event);
    const second = await h.fake.sendEvent(event, { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' });
    expect([first.status, second.status]).toEqual([200, 200]);
    const [a, b] = await eventually(() => (h.events.length === 2 ? (h.events as DirectMessageEvent[]) : undefined));
    expect(a!.eventId).toBe(first.eventId);
    expect(b!.eventId).toBe(first.eventId);
    expect(a!.retryNum).toBeUndefined();
    expect(b!.retryNum).toBe(1);
  });

  it('when dispatch is slow, acks "Working on it…" in time and sends the reply later with chat.postEphemeral', async () => {
    await h.close();
    h = await startHarness({ ackBudgetMs: 150 });
    h.fake.addUser({ id: ALICE, name: 'alice' });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    h.handle(async () => {
      await gate;
      return { reply: msg('Done: **3** rotations', { summary: 'Done: 3 rotations' }) };
    });

    const res = await h.fake.sendCommand({ command: '/oncall', text: 'sync', user_id: ALICE, channel_id: GENERAL });
    // The ack came back while dispatch was still blocked.
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: WORKING_TEXT });
    expect(h.fake.callsTo('chat.postEphemeral')).toHaveLength(0);

    release();
    const call = await h.fake.waitForCall('chat.postEphemeral');
    expect(call.args).toMatchObject({ channel: GENERAL, user: ALICE, text: 'Done: 3 rotations' });
    expect(validateSlackCall(call)).toEqual([]);
    expect(h.fake.ephemerals).toMatchObject([{ channel: GENERAL, user: ALICE, via: 'chat.postEphemeral' }]);
  });

  it('a late reply falls back to the response_url when chat.postEphemeral is refused', async () => {
    await h.close();
    h = await startHarness({ ackBudgetMs: 100 });
    h.fake.addUser({ id: ALICE, name: 'alice' });
    h.fake.setChannelState('G0PRIVATE1', 'not_in_channel');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    h.handle(async () => {
      await gate;
      return { reply: msg('late answer') };
    });
    const res = await h.fake.sendCommand({ command: '/day2', text: 'x', user_id: ALICE, channel_id: 'G0PRIVATE1' });
    expect(res.json).toMatchObject({ text: WORKING_TEXT });
    release();
    const post = await h.fake.waitForResponseUrl();
    expect(post.body).toMatchObject({ response_type: 'ephemeral', text: 'late answer', replace_original: false });
    expect(h.fake.callsTo('chat.postEphemeral')[0]?.response).toMatchObject({ ok: false, error: 'not_in_channel' });
  });

  it('a dispatch that throws is acked with an apology, not a Slack error', async () => {
    h.handle(async () => {
      throw new Error('boom');
    });
    const res = await h.fake.sendCommand({ command: '/day2', text: 'x', user_id: ALICE, channel_id: GENERAL });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_type: 'ephemeral', text: FAILED_TEXT });
  });

  it('a button click becomes a ButtonEvent; updateMessage edits that message and the reply goes ephemeral', async () => {
    const posted = await h.adapter.post(GENERAL, msg('Cover request', { buttons: [{ actionId: 'oncallCover', label: 'Take it', value: 'req-42' }] }));
    h.handle(async () => ({ updateMessage: msg('Covered by alice'), reply: msg('Thanks!') }));

    const res = await h.fake.clickButton({ actionId: 'oncallCover', value: 'req-42', user_id: ALICE, channel_id: GENERAL, message_ts: posted.messageId });
    expect(res.status).toBe(200);
    const event = await eventually(() => h.events[0] as ButtonEvent | undefined);
    expect(event).toEqual<ButtonEvent>({
      kind: 'button',
      platform: 'slack',
      eventId: res.triggerId,
      triggerId: res.triggerId,
      user: { platform: 'slack', id: ALICE, name: 'alice' },
      channel: { platform: 'slack', id: GENERAL, name: 'general', teamId: h.fake.teamId },
      actionId: 'oncallCover',
      value: 'req-42',
      message: { platform: 'slack', channelId: GENERAL, messageId: posted.messageId },
    });
    const update = await h.fake.waitForCall('chat.update');
    expect(update.args).toMatchObject({ channel: GENERAL, ts: posted.messageId, text: 'Covered by alice' });
    expect(h.fake.messages(GENERAL)[0]?.text).toBe('Covered by alice');
    await h.fake.waitForCall('chat.postEphemeral', (c) => c.args.text === 'Thanks!');
  });

  it('a click on an ephemeral message replaces it through the response_url', async () => {
    h.handle(async () => ({ updateMessage: msg('Confirmed') }));
    await h.fake.clickButton({ actionId: 'confirm', value: 'yes', user_id: ALICE, channel_id: GENERAL, message_ts: '1700000000.000001', isEphemeral: true });
    const post = await h.fake.waitForResponseUrl();
    expect(post.body).toMatchObject({ replace_original: true, text: 'Confirmed' });
    expect(h.fake.callsTo('chat.update')).toHaveLength(0);
  });

  it('a modal submission becomes a FormEvent; formErrors keep it open with response_action errors', async () => {
    // Open the form the way a handler would: from the command's trigger id.
    h.handle(async (event) => {
      if (event.kind === 'command') {
        await h.adapter.openForm(
          event.triggerId!,
          {
            formId: 'noticeNew',
            title: 'New maintenance notice for production',
            submitLabel: 'Post',
            introduction: 'Fill in **all** fields',
            state: 'env=prod',
            fields: [
              { name: 'title', label: 'Title', type: 'text', required: true },
              { name: 'window', label: 'Minutes', type: 'integer', required: false, min: 1, max: 600 },
              { name: 'envs', label: 'Environments', type: 'multiselect', required: true, options: [{ value: 'prod', label: 'Production' }, { value: 'stage', label: 'Staging' }] },
              { name: 'notify', label: 'Notify channel', type: 'boolean', required: false },
              { name: 'day', label: 'Day', type: 'date', required: false },
              { name: 'note', label: 'Note', type: 'textarea', required: false },
            ],
          },
          { channelId: event.channel.id, userId: event.user.id },
        );
        return {};
      }
      if (event.kind === 'form' && event.values.title === 'bad') return { formErrors: { title: 'Title is too vague', _form: 'Also check the window' } };
      return { reply: msg('Notice posted') };
    });
    await h.fake.sendCommand({ command: '/notice', text: 'new', user_id: ALICE, channel_id: GENERAL });
    const open = h.fake.callsTo('views.open')[0]!;
    expect(open.response).toMatchObject({ ok: true });
    expect(validateSlackCall(open)).toEqual([]);
    const viewId = [...h.fake.views.keys()][0]!;

    const rejected = await h.fake.submitView({ viewId, user_id: ALICE, values: { title: 'bad', envs: ['prod'], notify: false } });
    expect(rejected.status).toBe(200);
    expect(rejected.json).toEqual({ response_action: 'errors', errors: { title: 'Title is too vague Also check the window' } });

    const accepted = await h.fake.submitView({ viewId, user_id: ALICE, values: { title: 'DB upgrade', window: '90', envs: ['prod', 'stage'], notify: true, day: '2026-12-01' } });
    expect(accepted.status).toBe(200);
    expect(accepted.text).toBe('');
    const forms = h.events.filter((e): e is FormEvent => e.kind === 'form');
    expect(forms[0]!.values).toEqual({ title: 'bad', envs: ['prod'], notify: 'false' });
    expect(forms[1]).toMatchObject({
      kind: 'form',
      platform: 'slack',
      formId: 'noticeNew',
      state: 'env=prod',
      user: { id: ALICE },
      channel: { id: GENERAL },
      values: { title: 'DB upgrade', window: '90', envs: ['prod', 'stage'], notify: 'true', day: '2026-12-01' },
    });
    // Empty optional fields are absent, not empty strings.
    expect(forms[1]!.values).not.toHaveProperty('note');
    await h.fake.waitForCall('chat.postEphemeral', (c) => c.args.text === 'Notice posted' && c.args.channel === GENERAL);
  });

  it('a closed modal (view_closed, asked for with notify_on_close) becomes a closed FormEvent with the fields as they stood', async () => {
    h.handle(async (event) => {
      if (event.kind === 'command') {
        await h.adapter.openForm(
          event.triggerId!,
          {
            formId: 'onboardPage',
            title: 'Onboarding',
            submitLabel: 'Next',
            state: '{"q":["team","envs"]}',
            fields: [
              { name: 'team', label: 'Team', type: 'text', required: true },
              { name: 'envs', label: 'Environments', type: 'multiselect', required: true, options: [{ value: 'prod', label: 'Production' }, { value: 'stage', label: 'Staging' }] },
              { name: 'users', label: 'Users', type: 'integer', required: false },
            ],
          },
          { channelId: event.channel.id, userId: event.user.id },
        );
        return {};
      }
      return event.kind === 'form' && event.closed ? { reply: msg('Draft kept') } : {};
    });
    await h.fake.sendCommand({ command: '/onboard', text: 'start', user_id: ALICE, channel_id: GENERAL });
    const open = h.fake.callsTo('views.open')[0]!;
    expect((open.args.view as Record<string, unknown>).notify_on_close).toBe(true);
    expect(validateSlackCall(open)).toEqual([]);
    const viewId = [...h.fake.views.keys()][0]!;

    const closed = await h.fake.closeView({ viewId, user_id: ALICE, values: { team: 'Money', envs: ['stage'] } });
    expect(closed?.status).toBe(200);
    const event = await eventually(() => h.events.find((e): e is FormEvent => e.kind === 'form'));
    expect(event).toMatchObject({ kind: 'form', platform: 'slack', closed: true, formId: 'onboardPage', state: '{"q":["team","envs"]}', user: { id: ALICE }, channel: { id: GENERAL }, values: { team: 'Money', envs: ['stage'] } });
    expect(event.values).not.toHaveProperty('users');
    expect(event.eventId).toMatch(new RegExp(`^view_closed\\.${viewId}\\.`));
    // Whatever the handler says goes to the user as a message: the modal is gone.
    await h.fake.waitForCall('chat.postEphemeral', (c) => c.args.text === 'Draft kept' && c.args.channel === GENERAL && c.args.user === ALICE);
  });

  it('a direct message becomes a DirectMessageEvent and the reply is posted in the DM', async () => {
    h.handle(async () => ({ reply: msg('Hi alice') }));
    const sent = await h.fake.sendEvent({ type: 'message', channel: 'D000000007', channel_type: 'im', user: ALICE, text: 'status &amp; more', ts: '1700000001.000200' });
    const event = await eventually(() => h.events[0] as DirectMessageEvent | undefined);
    expect(event).toEqual<DirectMessageEvent>({
      kind: 'dm',
      platform: 'slack',
      eventId: sent.eventId,
      user: { platform: 'slack', id: ALICE },
      channel: { platform: 'slack', id: 'D000000007', teamId: h.fake.teamId },
      text: 'status & more',
    });
    const post = await h.fake.waitForCall('chat.postMessage');
    expect(post.args).toMatchObject({ channel: 'D000000007', text: 'Hi alice' });
  });

  it("ignores the bot's own messages, other bots, edits and non-DM messages", async () => {
    h.handle(async () => ({ reply: msg('echo') }));
    const dm = { type: 'message', channel: 'D000000007', channel_type: 'im', ts: '1700000002.000100' };
    await h.fake.sendEvent({ ...dm, user: h.fake.botUserId, bot_id: h.fake.botId, text: 'my own post' });
    await h.fake.sendEvent({ ...dm, subtype: 'bot_message', bot_id: 'B0OTHERBOT', text: 'another bot' });
    await h.fake.sendEvent({ ...dm, subtype: 'message_changed', user: ALICE, text: 'edited' });
    await h.fake.sendEvent({ ...dm, channel: GENERAL, channel_type: 'channel', user: ALICE, text: 'in a channel' });
    // A real DM afterwards: once it is through, the four before it have been processed.
    await h.fake.sendEvent({ ...dm, user: ALICE, text: 'real' });
    await eventually(() => h.events.length > 0);
    await h.fake.waitForCall('chat.postMessage');
    expect(h.events.map((e) => (e as DirectMessageEvent).text)).toEqual(['real']);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe('Slack inbound before start / after stop', () => {
  it('answers 503 until started and after stop, so Slack retries instead of losing requests', async () => {
    const h = await startHarness({ start: false });
    try {
      const before = await h.fake.sendCommand({ command: '/day2', text: '', user_id: ALICE, channel_id: GENERAL });
      expect(before.status).toBe(503);
      await h.adapter.start(async (e) => {
        h.events.push(e);
        return {};
      });
      const during = await h.fake.sendCommand({ command: '/day2', text: '', user_id: ALICE, channel_id: GENERAL });
      expect(during.status).toBe(200);
      await h.adapter.stop();
      const after = await h.fake.sendCommand({ command: '/day2', text: '', user_id: ALICE, channel_id: GENERAL });
      expect(after.status).toBe(503);
      expect(h.events).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
