/**
 * Socket Mode (SLACK_APP_TOKEN set) through real Bolt and @slack/socket-mode: the fake hands out
 * a websocket URL from apps.connections.open and delivers envelopes over it, as Slack does.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/chat/slack/adapter.js';
import type { CommandEvent, DirectMessageEvent, InboundEvent } from '../../../src/chat/port.js';
import { createMetrics } from '../../../src/metrics.js';
import { silentLogger } from '../../../src/log.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack.js';
import { eventually, msg } from './harness.js';

const ALICE = 'U0ALICE001';
const GENERAL = 'C0GENERAL1';

describe('Slack Socket Mode', () => {
  let fake: FakeSlack;
  let adapter: SlackAdapter;
  const events: InboundEvent[] = [];

  beforeEach(async () => {
    events.length = 0;
    fake = await startFakeSlack();
    fake.addUser({ id: ALICE, name: 'alice' });
    adapter = await createSlackAdapter({
      token: fake.token,
      signingSecret: '',
      appToken: fake.appToken,
      apiUrl: fake.apiUrl,
      mentions: () => () => undefined,
      zone: () => 'UTC',
      log: silentLogger,
      metrics: createMetrics({ defaultMetrics: false }),
    });
    await adapter.start(async (e) => {
      events.push(e);
      return e.kind === 'command' ? { reply: msg('pong', { summary: 'pong' }) } : { reply: msg('got it') };
    });
  });
  afterEach(async () => {
    await adapter.stop();
    await fake.close();
  });

  it('connects with the app token and answers a command in the ack', async () => {
    expect(adapter.mode).toBe('socket');
    expect(fake.socketCount).toBe(1);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);

    const { ack, triggerId } = await fake.socketCommand({ command: '/day2', text: 'ping', user_id: ALICE, channel_id: GENERAL });
    expect(ack).toMatchObject({ response_type: 'ephemeral', text: 'pong' });
    expect(events[0]).toMatchObject<Partial<CommandEvent>>({ kind: 'command', command: '/day2', text: 'ping', eventId: triggerId });
  });

  it('delivers DM events with retry_attempt as retryNum and replies in the DM', async () => {
    const event = { type: 'message', channel: 'D000000001', channel_type: 'im', user: ALICE, text: 'hello', ts: '1700000000.000100' };
    const { eventId } = await fake.socketEvent(event);
    await fake.socketEvent(event, { eventId, retryAttempt: 1 });
    const [first, second] = await eventually(() => (events.length === 2 ? (events as DirectMessageEvent[]) : undefined));
    expect(first).toMatchObject({ kind: 'dm', eventId, text: 'hello' });
    expect(second).toMatchObject({ kind: 'dm', eventId, retryNum: 1 });
    await fake.waitForCall('chat.postMessage', (c) => c.args.channel === 'D000000001');
  });

  it('stop() closes the connection', async () => {
    await adapter.stop();
    await eventually(() => fake.socketCount === 0);
  });
});

describe('Slack Socket Mode start failures', () => {
  it('a wrong app token makes start() fail with PermanentError auth', async () => {
    const fake = await startFakeSlack();
    try {
      const adapter = await createSlackAdapter({
        token: fake.token,
        signingSecret: '',
        appToken: 'xapp-1-wrong',
        apiUrl: fake.apiUrl,
        mentions: () => () => undefined,
        zone: () => 'UTC',
        log: silentLogger,
        metrics: createMetrics({ defaultMetrics: false }),
      });
      await expect(adapter.start(async () => ({}))).rejects.toMatchObject({ code: 'auth' });
      expect(fake.socketCount).toBe(0);
      await adapter.stop();
    } finally {
      await fake.close();
    }
  });
});
