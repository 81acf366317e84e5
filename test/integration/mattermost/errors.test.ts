import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermanentError, RateLimitedError, TransientError } from '../../../src/errors.js';
import { createMattermostAdapter } from '../../../src/chat/mattermost/adapter.js';
import { createMetrics } from '../../../src/metrics.js';
import { silentLogger } from '../../../src/log.js';
import { startHarness, type Harness } from './harness.js';

const msg = { body: 'Hello.', summary: 'Hello.', key: 'k-1' };

describe('Mattermost error mapping', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ adapter: { requestTimeoutMs: 500 } });
  });
  afterEach(async () => {
    await h.close();
  });

  it('sees a 429 with a plain-text body and honours Retry-After', async () => {
    h.fake.failNext('/posts', { status: 429, retryAfter: 7 });
    const err = await h.adapter.post(h.town.id, msg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    // Mattermost limits per user (or IP): the whole platform waits, not one channel.
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 7000, retryable: true, scope: 'platform' });
    expect((err as Error).message).toContain('limit exceeded');
    expect(h.fake.postsIn(h.town.id)).toHaveLength(0);
  });

  it('falls back to X-Ratelimit-Reset when there is no Retry-After', async () => {
    h.fake.failNext(/\/patch$/, { status: 429, reset: 3 });
    const ref = await h.adapter.post(h.town.id, msg);
    await expect(h.adapter.update(ref, msg)).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 3000 });
  });

  it('maps 404 to not_found', async () => {
    await expect(h.adapter.update({ platform: 'mattermost', channelId: h.town.id, messageId: 'a'.repeat(26) }, msg)).rejects.toMatchObject({ code: 'not_found' });
    h.fake.failNext(`/users/${h.alice.id}`, { status: 404 });
    const err = await h.adapter.getUser(h.alice.id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'not_found', retryable: false });
  });

  it('maps a 403 on posting to not_in_channel (bot not a member)', async () => {
    const secret = h.fake.addChannel({ team: h.team, name: 'secret', type: 'P', members: [h.alice.id], withBot: false });
    const err = await h.adapter.post(secret.id, msg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'not_in_channel' });
    expect((err as Error).message).toContain('api.context.permissions.app_error');
    h.fake.failNext('/posts', { status: 403 });
    await expect(h.adapter.reply({ platform: 'mattermost', channelId: h.town.id, messageId: 'b'.repeat(26) }, msg)).rejects.toMatchObject({ code: 'not_in_channel' });
  });

  it('maps a 403 elsewhere to permanent', async () => {
    h.fake.failNext(`/users/${h.alice.id}/teams`, { status: 403 });
    await expect(h.adapter.groupsOf(h.alice.id)).rejects.toMatchObject({ code: 'permanent' });
  });

  it('maps 5xx to transient, ambiguous only when creating a post', async () => {
    h.fake.failNext('/posts', { status: 500 });
    const post = await h.adapter.post(h.town.id, msg).catch((e: unknown) => e);
    expect(post).toBeInstanceOf(TransientError);
    expect(post).toMatchObject({ code: 'transient', ambiguous: true, retryable: true });
    h.fake.failNext(`/users/${h.alice.id}`, { status: 503 });
    await expect(h.adapter.getUser(h.alice.id)).rejects.toMatchObject({ code: 'transient', ambiguous: false });
  });

  it('reports a post whose answer never came as ambiguous, and findPosted then finds it', async () => {
    h.fake.failNext('/posts', { hangAfterProcessing: true });
    const err = await h.adapter.post(h.town.id, msg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ ambiguous: true });
    expect((err as Error).message).toContain('timed out');
    const found = await h.adapter.findPosted(h.town.id, 'k-1', 60_000);
    expect(found?.messageId).toBe(h.fake.postsIn(h.town.id)[0]!.id);
  });

  it('a first DM whose answer never came is found again through the direct channel, also by a fresh adapter', async () => {
    h.fake.failNext('/posts', { hangAfterProcessing: true });
    await expect(h.adapter.dm(h.alice.id, { ...msg, key: 'dm-k1' })).rejects.toMatchObject({ code: 'transient', ambiguous: true });
    const fresh = await createMattermostAdapter({ url: h.fake.url, token: h.fake.botToken, commandTokens: ['x'], actionSecret: 'another-secret-0123456789', publicUrl: 'http://day2.invalid', websocket: false, mentions: () => () => undefined, zone: () => 'UTC', log: silentLogger, metrics: createMetrics({ defaultMetrics: false }) });
    const channel = await fresh.dmChannelOf(h.alice.id);
    expect(channel).toBe(h.fake.directChannel(h.fake.bot.id, h.alice.id).id);
    expect(await fresh.findPosted(channel, 'dm-k1', 60_000)).toEqual({ platform: 'mattermost', channelId: channel, messageId: h.fake.postsIn(channel)[0]!.id });
  });

  it('maps a dropped connection to transient', async () => {
    h.fake.failNext('/posts', { dropConnection: true });
    await expect(h.adapter.post(h.town.id, msg)).rejects.toMatchObject({ code: 'transient' });
  });

  it('maps 401 to auth and other 4xx to permanent with the AppError id', async () => {
    h.fake.failNext('/users/me', { status: 401 });
    await expect(h.adapter.ping()).rejects.toMatchObject({ code: 'auth' });
    h.fake.failNext('/posts', { status: 400, id: 'model.post.is_valid.root_id.app_error', message: 'Invalid root id.' });
    await expect(h.adapter.post(h.town.id, msg)).rejects.toMatchObject({ code: 'permanent', message: expect.stringContaining('model.post.is_valid.root_id.app_error: Invalid root id.') });
  });

  it('reports an unreachable server as transient and not ambiguous', async () => {
    const port = Number(new URL(h.fake.url).port);
    await h.close();
    const adapter = await createMattermostAdapter({
      url: `http://127.0.0.1:${port}`,
      token: 'x',
      commandTokens: ['t'],
      actionSecret: 'a-long-enough-secret',
      publicUrl: 'http://127.0.0.1:1',
      websocket: false,
      mentions: () => () => undefined,
      zone: () => 'UTC',
      log: silentLogger,
      metrics: createMetrics({ defaultMetrics: false }),
    });
    await expect(adapter.post('c'.repeat(26), msg)).rejects.toMatchObject({ code: 'transient', ambiguous: false });
    h = await startHarness();
  });
});

describe('Mattermost start and permissions', () => {
  it('refuses to start with a bad token', async () => {
    const h = await startHarness({ start: false });
    try {
      const bad = await createMattermostAdapter({
        url: h.fake.url,
        token: 'wrong-token',
        commandTokens: ['t'],
        actionSecret: 'a-long-enough-secret',
        publicUrl: h.appUrl,
        websocket: false,
        mentions: () => () => undefined,
        zone: () => 'UTC',
        log: silentLogger,
        metrics: createMetrics({ defaultMetrics: false }),
      });
      await expect(bad.start(async () => ({}))).rejects.toMatchObject({ code: 'auth' });
    } finally {
      await h.close();
    }
  });

  it('says so when ephemeral posts are not allowed for the bot (needs the System Admin role)', async () => {
    const h = await startHarness({ fake: { botRoles: 'system_user' } });
    try {
      const err = await h.adapter.ephemeral(h.town.id, h.alice.id, msg).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'permanent' });
      expect((err as Error).message).toContain('create_post_ephemeral');
    } finally {
      await h.close();
    }
  });

  it('answers 503 to Mattermost before start and after stop', async () => {
    const h = await startHarness({ start: false });
    try {
      const res = await h.fake.sendCommand(h.appUrl, { command: '/day2', token: 'cmdtoken0000000000000000aa', user_id: h.alice.id, channel_id: h.town.id });
      expect(res.status).toBe(503);
    } finally {
      await h.close();
    }
  });
});
