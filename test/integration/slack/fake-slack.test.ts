/**
 * The fake Slack itself: it has to behave like Slack where Day2 depends on it, or the adapter
 * tests prove nothing. Raw HTTP here (no SDK), to see exactly what goes over the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSlackCall, validateSlackResponse } from '../../fakes/slack-spec.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack.js';

describe('fake Slack', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(async () => {
    await fake.close();
  });

  const call = async (method: string, form: Record<string, string>, token: string | null = fake.token) => {
    const res = await fetch(`${fake.apiUrl}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
  };

  it('checks the bearer token like Slack', async () => {
    expect((await call('auth.test', {}, null)).body).toEqual({ ok: false, error: 'not_authed' });
    expect((await call('auth.test', {}, 'xoxb-wrong')).body).toEqual({ ok: false, error: 'invalid_auth' });
    const ok = await call('auth.test', {});
    expect(ok.body).toMatchObject({ ok: true, user_id: fake.botUserId, bot_id: fake.botId, team_id: fake.teamId });
    expect(validateSlackResponse('auth.test', ok.body)).toEqual([]);
  });

  it('refuses calls missing an argument the spec requires', async () => {
    const res = await call('chat.update', { channel: 'C0OPS00001', text: 'x' });
    expect(res.body).toMatchObject({ ok: false, error: 'invalid_arguments' });
    expect(validateSlackResponse('chat.update', res.body)).toEqual([]);
  });

  it('decodes JSON-encoded fields and rejects malformed ones', async () => {
    const bad = await call('chat.postMessage', { channel: 'C0OPS00001', text: 'x', blocks: '[{' });
    expect(bad.body).toEqual({ ok: false, error: 'invalid_blocks' });
    const good = await call('chat.postMessage', { channel: 'C0OPS00001', text: 'x', blocks: JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }]) });
    expect(good.body).toMatchObject({ ok: true, channel: 'C0OPS00001' });
    expect(fake.messages('C0OPS00001').at(-1)!.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }]);
  });

  it('writes increasing Slack-style timestamps', async () => {
    const a = await call('chat.postMessage', { channel: 'C0TS000001', text: 'a' });
    const b = await call('chat.postMessage', { channel: 'C0TS000001', text: 'b' });
    expect(a.body.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(b.body.ts)).toBeGreaterThan(Number(a.body.ts));
  });

  it('returns message metadata from conversations.history only with include_all_metadata', async () => {
    const metadata = JSON.stringify({ event_type: 'day2_delivery', event_payload: { key: 'k1' } });
    await call('chat.postMessage', { channel: 'C0META0001', text: 'with meta', metadata });
    const plain = await call('conversations.history', { channel: 'C0META0001' });
    const withMeta = await call('conversations.history', { channel: 'C0META0001', include_all_metadata: 'true' });
    expect((plain.body.messages as Record<string, unknown>[])[0]).not.toHaveProperty('metadata');
    expect((withMeta.body.messages as Record<string, unknown>[])[0]).toMatchObject({ metadata: { event_type: 'day2_delivery', event_payload: { key: 'k1' } } });
    expect(validateSlackResponse('conversations.history', withMeta.body)).toEqual([]);
  });

  it('conversations.replies returns the parent, then the replies oldest first, metadata only with include_all_metadata', async () => {
    const metadata = (key: string) => JSON.stringify({ event_type: 'day2_delivery', event_payload: { key } });
    const root = await call('chat.postMessage', { channel: 'C0THREAD02', text: 'root' });
    const ts = root.body.ts as string;
    await call('chat.postMessage', { channel: 'C0THREAD02', text: 'r1', thread_ts: ts, metadata: metadata('r1') });
    await call('chat.postMessage', { channel: 'C0THREAD02', text: 'r2', thread_ts: ts });
    await call('chat.postMessage', { channel: 'C0THREAD02', text: 'elsewhere' });

    const plain = await call('conversations.replies', { channel: 'C0THREAD02', ts });
    const messages = plain.body.messages as Record<string, unknown>[];
    expect(messages.map((m) => m.text)).toEqual(['root', 'r1', 'r2']);
    expect(messages[0]).toMatchObject({ ts, thread_ts: ts, reply_count: 2 });
    expect(messages[1]).toMatchObject({ thread_ts: ts, parent_user_id: fake.botUserId });
    expect(messages[1]).not.toHaveProperty('metadata');
    expect(validateSlackResponse('conversations.replies', plain.body)).toEqual([]);

    const withMeta = await call('conversations.replies', { channel: 'C0THREAD02', ts, include_all_metadata: 'true' });
    expect((withMeta.body.messages as Record<string, unknown>[])[1]).toMatchObject({ metadata: { event_type: 'day2_delivery', event_payload: { key: 'r1' } } });
    // The history of the channel does not list replies.
    const history = await call('conversations.history', { channel: 'C0THREAD02' });
    expect((history.body.messages as Record<string, unknown>[]).map((m) => m.text)).toEqual(['elsewhere', 'root']);

    const missing = await call('conversations.replies', { channel: 'C0THREAD02', ts: '1000000000.000001' });
    expect(missing.body).toEqual({ ok: false, error: 'thread_not_found' });
    expect(validateSlackResponse('conversations.replies', missing.body)).toEqual([]);
  });

  it('injects failures in order: 429 with Retry-After, platform errors, 5xx', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const limited = await call('chat.postMessage', { channel: 'C0OPS00001', text: 'x' });
    expect(limited).toMatchObject({ status: 429, retryAfter: '7', body: { ok: false } });
    expect((await call('chat.postMessage', { channel: 'C0OPS00001', text: 'x' })).body).toEqual({ ok: false, error: 'channel_not_found' });
    expect((await call('chat.postMessage', { channel: 'C0OPS00001', text: 'x' })).body).toMatchObject({ ok: true });
  });

  it('enforces about one post per second per channel when asked to', async () => {
    fake.perChannelRateLimit = true;
    try {
      await call('chat.postMessage', { channel: 'C0PACED001', text: 'one' });
      const second = await call('chat.postMessage', { channel: 'C0PACED001', text: 'two' });
      expect(second).toMatchObject({ status: 429, retryAfter: '1' });
      // Other channels are not affected.
      expect((await call('chat.postMessage', { channel: 'C0PACED002', text: 'one' })).status).toBe(200);
    } finally {
      fake.perChannelRateLimit = false;
    }
  });

  it('the spec helpers catch wrong calls and wrong shapes', () => {
    expect(validateSlackCall({ method: 'chat.postMessage', args: { text: 'no channel' } })).toEqual(['chat.postMessage: required argument "channel" missing']);
    expect(validateSlackCall({ method: 'chat.postMesage', args: {} })[0]).toContain('not a method');
    expect(validateSlackResponse('conversations.history', { ok: true, messages: [], has_more: false })).toEqual(
      expect.arrayContaining(['conversations.history.pin_count: required']),
    );
    expect(validateSlackResponse('chat.postMessage', { ok: true, channel: 'C0OPS00001', ts: 'not-a-ts', message: { text: '', type: 'message', ts: '1' } })).not.toEqual([]);
    expect(validateSlackResponse('chat.postMessage', { ok: false })).toEqual(['chat.postMessage.error: required']);
  });
});
