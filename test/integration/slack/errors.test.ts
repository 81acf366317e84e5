/**
 * Slack failures leave the adapter as Day2's coded errors, so the delivery queue can decide:
 * wait (rate limited), retry (transient; check first when ambiguous) or give up (permanent).
 */
import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRequestError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter } from '../../../src/chat/slack/adapter.js';
import { mapSlackError } from '../../../src/chat/slack/errors.js';
import { PermanentError, RateLimitedError, TransientError } from '../../../src/errors.js';
import { createMetrics } from '../../../src/metrics.js';
import { silentLogger } from '../../../src/log.js';
import { msg, startHarness, type Harness } from './harness.js';

const OPS = 'C0OPS00001';

describe('Slack error mapping (through the fake)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  // A client that sat out the 30 s itself (the SDK default) would run into the 15 s test timeout:
  // the waiting belongs to the queue.
  it('429 -> RateLimitedError with Retry-After in ms, at once (no waiting inside the client)', { timeout: 15_000 }, async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    const err = await h.adapter.post(OPS, msg('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(30_000);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('per-channel pacing 429 also comes out as RateLimitedError', async () => {
    h.fake.perChannelRateLimit = true;
    await h.adapter.post(OPS, msg('root'));
    const err = await h.adapter.reply({ platform: 'slack', channelId: OPS, messageId: h.fake.messages(OPS)[0]!.ts }, msg('reply')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
  });

  it('a 429 says what it holds back: chat.postMessage only its channel, chat.update only edits, other methods the workspace', async () => {
    h.fake.failNext('chat.postMessage', { status: 429, retryAfter: 2 });
    h.fake.failNext('chat.update', { status: 429, retryAfter: 2 });
    h.fake.failNext('conversations.open', { status: 429, retryAfter: 2 });
    h.fake.failNext('conversations.history', { status: 429, retryAfter: 2 });
    await expect(h.adapter.post(OPS, msg('x'))).rejects.toMatchObject({ code: 'rate_limited', scope: 'channel' });
    const ref = await h.adapter.post(OPS, msg('x'));
    await expect(h.adapter.update(ref, msg('y'))).rejects.toMatchObject({ code: 'rate_limited', scope: 'method' });
    h.fake.addUser({ id: 'U0CAROL001', name: 'carol' });
    await expect(h.adapter.dm('U0CAROL001', msg('hi'))).rejects.toMatchObject({ code: 'rate_limited', scope: 'platform' });
    await expect(h.adapter.findPosted(OPS, 'k', 60_000)).rejects.toMatchObject({ code: 'rate_limited', scope: 'platform' });
    // ok:false "ratelimited" without a 429 status follows the same rule.
    h.fake.failNext('chat.postMessage', { error: 'ratelimited' });
    await expect(h.adapter.post(OPS, msg('x'))).rejects.toMatchObject({ code: 'rate_limited', scope: 'channel' });
  });

  it.each([
    ['channel_not_found', 'not_found'],
    ['user_not_found', 'not_found'],
    ['message_not_found', 'not_found'],
    ['not_in_channel', 'not_in_channel'],
    ['is_archived', 'not_in_channel'],
    ['invalid_auth', 'auth'],
    ['not_authed', 'auth'],
    ['token_revoked', 'auth'],
    ['account_inactive', 'auth'],
    ['missing_scope', 'auth'],
    ['msg_too_long', 'permanent'],
    ['invalid_blocks', 'permanent'],
  ])('ok:false %s -> PermanentError %s', async (error, code) => {
    h.fake.failNext('chat.postMessage', { error });
    const err = await h.adapter.post(OPS, msg('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code, retryable: false });
    expect((err as Error).message).toContain(error);
  });

  it('a real channel state maps the same way (no injection)', async () => {
    h.fake.setChannelState('C0GONE0001', 'missing');
    h.fake.setChannelState('C0ARCHIVED', 'archived');
    await expect(h.adapter.post('C0GONE0001', msg('x'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(h.adapter.post('C0ARCHIVED', msg('x'))).rejects.toMatchObject({ code: 'not_in_channel' });
  });

  it.each([
    ['internal_error', true],
    ['fatal_error', true],
    ['service_unavailable', false],
    ['request_timeout', false],
  ])('ok:false %s -> TransientError (ambiguous for a post: %s)', async (error, ambiguous) => {
    h.fake.failNext('chat.postMessage', { error });
    const err = await h.adapter.post(OPS, msg('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'transient', ambiguous, retryable: true });
  });

  it('HTTP 500 -> TransientError, ambiguous for posting methods only', async () => {
    h.fake.failNext('chat.postMessage', { status: 500 });
    h.fake.failNext('users.info', { status: 503 });
    await expect(h.adapter.post(OPS, msg('x'))).rejects.toMatchObject({ code: 'transient', ambiguous: true });
    const err = await h.adapter.getUser('U0DAY2BOT').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ ambiguous: false });
  });

  it('a dropped connection after Slack posted -> ambiguous TransientError, and findPosted finds the copy', async () => {
    h.fake.failNext('chat.postMessage', { hangAfterProcessing: true });
    const err = await h.adapter.post(OPS, msg('maybe posted', { key: 'notice-9' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ ambiguous: true });
    // The queue's next step: look before posting again.
    const found = await h.adapter.findPosted(OPS, 'notice-9', 60_000);
    expect(found).toEqual({ platform: 'slack', channelId: OPS, messageId: h.fake.messages(OPS)[0]!.ts });
  });

  it('a first DM whose answer was lost is found again, also by a restarted process that never saw its channel', async () => {
    const ALICE = 'U0ALICE001';
    h.fake.addUser({ id: ALICE, name: 'alice' });
    h.fake.failNext('chat.postMessage', { hangAfterProcessing: true });
    await expect(h.adapter.dm(ALICE, msg('hello', { key: 'dm-1' }))).rejects.toMatchObject({ code: 'transient', ambiguous: true });
    // A new process (no cache): conversations.open gives the same DM channel, so the copy is found.
    const express = (await import('express')).default;
    const fresh = await createSlackAdapter({ token: h.fake.token, signingSecret: h.fake.signingSecret, apiUrl: h.fake.apiUrl, router: express.Router(), mentions: () => () => undefined, zone: () => 'UTC', log: silentLogger, metrics: createMetrics({ defaultMetrics: false }) });
    const opens = h.fake.callsTo('conversations.open').length;
    const channel = await fresh.dmChannelOf(ALICE);
    expect(h.fake.callsTo('conversations.open')).toHaveLength(opens + 1);
    expect(await fresh.findPosted(channel, 'dm-1', 60_000)).toEqual({ platform: 'slack', channelId: channel, messageId: h.fake.messages(channel)[0]!.ts });
    expect(await fresh.dmChannelOf(ALICE)).toBe(channel);
    expect(h.fake.callsTo('conversations.open')).toHaveLength(opens + 1);
  });

  it('connection refused -> TransientError that is not ambiguous (nothing was sent)', async () => {
    await h.fake.close();
    await expect(h.adapter.ping()).rejects.toMatchObject({ code: 'transient', ambiguous: false });
    await expect(h.adapter.post(OPS, msg('x'))).rejects.toMatchObject({ code: 'transient', ambiguous: false });
  });
});

describe('Slack adapter creation', () => {
  it('a wrong token fails creation with PermanentError auth', async () => {
    const h = await startHarness();
    try {
      const err = await createSlackAdapter({
        token: 'xoxb-wrong',
        signingSecret: 's',
        apiUrl: h.fake.apiUrl,
        mentions: () => () => undefined,
        zone: () => 'UTC',
        log: silentLogger,
        metrics: createMetrics({ defaultMetrics: false }),
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentError);
      expect(err).toMatchObject({ code: 'auth' });
    } finally {
      await h.close();
    }
  });

  it('HTTP mode without a router is a config error that says what to do', async () => {
    const h = await startHarness();
    try {
      await expect(
        createSlackAdapter({ token: h.fake.token, signingSecret: 's', apiUrl: h.fake.apiUrl, mentions: () => () => undefined, zone: () => 'UTC', log: silentLogger, metrics: createMetrics({ defaultMetrics: false }) }),
      ).rejects.toMatchObject({ code: 'config', message: expect.stringContaining('SLACK_APP_TOKEN') });
    } finally {
      await h.close();
    }
  });

  it('Socket Mode builds without a router or signing secret (connecting needs Slack)', async () => {
    const h = await startHarness();
    try {
      const adapter = await createSlackAdapter({
        token: h.fake.token,
        signingSecret: '',
        appToken: 'xapp-1-fake',
        apiUrl: h.fake.apiUrl,
        mentions: () => () => undefined,
        zone: () => 'UTC',
        log: silentLogger,
        metrics: createMetrics({ defaultMetrics: false }),
      });
      expect(adapter.mode).toBe('socket');
      expect(adapter.identity).toEqual({ teamId: h.fake.teamId, botUserId: h.fake.botUserId, botId: h.fake.botId });
      await adapter.stop(); // never started: a no-op
    } finally {
      await h.close();
    }
  });
});

describe('mapSlackError on SDK errors the fake cannot produce', () => {
  it('a client-side timeout is ambiguous for posts, not for reads', () => {
    const timeout = new WebAPIRequestError(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }));
    expect(mapSlackError(timeout, 'chat.postMessage')).toMatchObject({ code: 'transient', ambiguous: true });
    expect(mapSlackError(timeout, 'conversations.history')).toMatchObject({ code: 'transient', ambiguous: false });
  });

  it('a socket reset mid-request is ambiguous; a DNS failure is not', () => {
    const reset = new WebAPIRequestError(new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) }));
    const dns = new WebAPIRequestError(new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND slack.com'), { code: 'ENOTFOUND' }) }));
    expect(mapSlackError(reset, 'chat.postMessage')).toMatchObject({ ambiguous: true });
    expect(mapSlackError(dns, 'chat.postMessage')).toMatchObject({ ambiguous: false });
  });

  it('HTTP 4xx other than 408 is permanent; platform errors keep the Slack code in the message', () => {
    expect(mapSlackError(new WebAPIHTTPError(404, 'Not Found', {}, ''), 'chat.postMessage')).toMatchObject({ code: 'permanent' });
    expect(mapSlackError(new WebAPIHTTPError(408, 'Request Timeout', {}, ''), 'chat.postMessage')).toMatchObject({ code: 'transient', ambiguous: true });
    const platform = mapSlackError(new WebAPIPlatformError({ ok: false, error: 'channel_not_found' }), 'chat.update');
    expect(platform.message).toBe('slack chat.update: channel_not_found');
    expect(platform.cause).toBeInstanceOf(WebAPIPlatformError);
  });
});
