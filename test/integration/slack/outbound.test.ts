/**
 * Day2 -> Slack against the fake: every call the adapter makes must be a Web API method from the
 * spec with its required arguments, and every answer the fake gives must have the spec's shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../../src/errors.js';
import { validateSlackCall, validateSlackResponse } from '../../fakes/slack-spec.js';
import { msg, startHarness, type Harness } from './harness.js';

const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';
const OPS = 'C0OPS00001';

describe('Slack outbound', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mentions: (ref) => (ref === 'person:alice' ? { slack: ALICE, name: 'Alice' } : undefined) });
    h.fake.addUser({ id: ALICE, name: 'alice', real_name: 'Alice Example', display_name: 'ali', tz: 'America/New_York' });
    h.fake.addUser({ id: BOB, name: 'bob', tz: 'Not/AZone' });
    h.fake.addUsergroup({ id: 'S0ONCALL01', handle: 'oncall', name: 'On call', users: [ALICE] });
    h.fake.addUsergroup({ id: 'S0MANAGERS', handle: 'managers', name: 'Managers', users: [ALICE, BOB] });
  });
  afterAll(async () => {
    await h.close();
  });

  it('userIdOf: Slack config holds user ids, so a handle is its own id, with no API call', async () => {
    const before = h.fake.calls.length;
    expect(await h.adapter.userIdOf(ALICE)).toBe(ALICE);
    expect(await h.adapter.userIdOf('')).toBeUndefined();
    expect(h.fake.calls.length).toBe(before);
  });

  it('post sends Block Kit + fallback text, with delivery metadata only when the message has a key', async () => {
    const ref = await h.adapter.post(OPS, msg('Deploy <@person:alice> now', { title: 'Release', key: 'notice-42', summary: 'Deploy now' }));
    expect(ref).toEqual({ platform: 'slack', channelId: OPS, messageId: expect.stringMatching(/^\d{10}\.\d{6}$/) });
    const call = h.fake.callsTo('chat.postMessage').at(-1)!;
    expect(call.contentType).toBe('application/x-www-form-urlencoded');
    expect(call.args).toMatchObject({ channel: OPS, text: 'Deploy now', metadata: { event_type: 'day2_delivery', event_payload: { key: 'notice-42' } } });
    expect(JSON.stringify(call.args.blocks)).toContain(`<@${ALICE}>`);

    await h.adapter.post(OPS, msg('no key'));
    expect(h.fake.callsTo('chat.postMessage').at(-1)!.args).not.toHaveProperty('metadata');
  });

  it('reply threads under the root, also when replying to a reply', async () => {
    const root = await h.adapter.post(OPS, msg('root'));
    const first = await h.adapter.reply(root, msg('first reply'));
    expect(first).toMatchObject({ channelId: OPS, threadId: root.messageId });
    const second = await h.adapter.reply(first, msg('second reply'));
    expect(second.threadId).toBe(root.messageId);
    expect(h.fake.callsTo('chat.postMessage').slice(-2).map((c) => c.args.thread_ts)).toEqual([root.messageId, root.messageId]);
  });

  it('update edits the message in place', async () => {
    const ref = await h.adapter.post(OPS, msg('v1'));
    await h.adapter.update(ref, msg('v2', { key: 'k-upd' }));
    const call = h.fake.callsTo('chat.update').at(-1)!;
    expect(call.args).toMatchObject({ channel: OPS, ts: ref.messageId, text: 'v2' });
    expect(h.fake.messages(OPS).find((m) => m.ts === ref.messageId)).toMatchObject({ text: 'v2', metadata: { event_payload: { key: 'k-upd' } } });
  });

  it('ephemeral goes to one user in a channel', async () => {
    await h.adapter.ephemeral(OPS, ALICE, msg('only you'), { readerZone: 'America/New_York' });
    expect(h.fake.callsTo('chat.postEphemeral').at(-1)!.args).toMatchObject({ channel: OPS, user: ALICE, text: 'only you' });
  });

  it('dm opens the conversation once and posts into it', async () => {
    const before = h.fake.callsTo('conversations.open').length;
    const a = await h.adapter.dm(ALICE, msg('hello'));
    const b = await h.adapter.dm(ALICE, msg('again'));
    expect(a.channelId).toMatch(/^D/);
    expect(b.channelId).toBe(a.channelId);
    expect(h.fake.callsTo('conversations.open').length - before).toBe(1);
    expect(h.fake.callsTo('conversations.open').at(-1)!.args).toMatchObject({ users: ALICE });
    expect(h.fake.messages(a.channelId).map((m) => m.text)).toEqual(['hello', 'again']);
  });

  it('getUser returns name, display name and a valid profile zone', async () => {
    expect(await h.adapter.getUser(ALICE)).toEqual({ platform: 'slack', id: ALICE, name: 'alice', displayName: 'ali', timeZone: 'America/New_York', isBot: false });
    // An unknown zone name is left out rather than breaking date math later.
    expect(await h.adapter.getUser(BOB)).not.toHaveProperty('timeZone');
    await expect(h.adapter.getUser('U0NOBODY01')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('groupsOf lists the user groups of a user, from a cached usergroups.list', async () => {
    const before = h.fake.callsTo('usergroups.list').length;
    expect(await h.adapter.groupsOf(ALICE)).toEqual(['slack-group:S0ONCALL01', 'slack-group:S0MANAGERS']);
    expect(await h.adapter.groupsOf(BOB)).toEqual(['slack-group:S0MANAGERS']);
    expect(await h.adapter.groupsOf('U0NOBODY01')).toEqual([]);
    const calls = h.fake.callsTo('usergroups.list').slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toMatchObject({ include_users: 'true' });
  });

  it("findPosted finds this bot's message by delivery key within the look-back window only", async () => {
    const ref = await h.adapter.post(OPS, msg('keyed', { key: 'cadence-7-2026-12-01' }));
    // Same key, but written by someone else, or long ago: neither counts.
    h.fake.seedMessage(OPS, { text: 'impostor', bot_id: 'B0OTHERBOT', user: 'U0OTHER001', metadata: { event_type: 'day2_delivery', event_payload: { key: 'old-1' } } });
    h.fake.seedMessage(OPS, { text: 'old', ts: `${Math.floor(Date.now() / 1000) - 7200}.000001`, metadata: { event_type: 'day2_delivery', event_payload: { key: 'old-1' } } });

    expect(await h.adapter.findPosted(OPS, 'cadence-7-2026-12-01', 60_000)).toEqual({ platform: 'slack', channelId: OPS, messageId: ref.messageId });
    expect(await h.adapter.findPosted(OPS, 'old-1', 60_000)).toBeUndefined();
    expect(await h.adapter.findPosted(OPS, 'never-posted', 60_000)).toBeUndefined();
    const history = h.fake.callsTo('conversations.history').at(-1)!;
    expect(history.args).toMatchObject({ channel: OPS, include_all_metadata: 'true' });
    expect(Number(history.args.oldest)).toBeGreaterThan(Date.now() / 1000 - 120);
  });

  it('findPosted pages through history', async () => {
    const channel = 'C0PAGED001';
    const ref = await h.adapter.post(channel, msg('early', { key: 'early-key' }));
    for (let i = 0; i < 205; i++) h.fake.seedMessage(channel, { text: `filler ${i}` });
    expect(await h.adapter.findPosted(channel, 'early-key', 60_000)).toMatchObject({ messageId: ref.messageId });
    expect(h.fake.callsTo('conversations.history').filter((c) => c.args.channel === channel)).toHaveLength(2);
  });

  it('findPosted with a thread id reads that thread (conversations.replies), where history has no replies', async () => {
    const channel = 'C0THREAD01';
    const root = await h.adapter.post(channel, msg('root', { key: 'rel-5' }));
    const reply = await h.adapter.reply(root, msg('reply', { key: 'rel-5-step-2' }));
    // Another thread holding the same key does not count for this one.
    const other = await h.adapter.post(channel, msg('other root'));
    await h.adapter.reply(other, msg('stray', { key: 'rel-5-step-3' }));

    expect(await h.adapter.findPosted(channel, 'rel-5-step-2', 60_000)).toBeUndefined();
    expect(await h.adapter.findPosted(channel, 'rel-5-step-2', 60_000, root.messageId)).toEqual({ platform: 'slack', channelId: channel, messageId: reply.messageId, threadId: root.messageId });
    expect(await h.adapter.findPosted(channel, 'rel-5-step-3', 60_000, root.messageId)).toBeUndefined();
    const replies = h.fake.callsTo('conversations.replies').at(-1)!;
    expect(replies.args).toMatchObject({ channel, ts: root.messageId, include_all_metadata: 'true' });
    expect(Number(replies.args.oldest)).toBeGreaterThan(Date.now() / 1000 - 120);
  });

  it('openForm clamps titles to 24 characters and refuses forms Slack would reject', async () => {
    const trigger = h.fake.issueTrigger();
    await h.adapter.openForm(trigger, { formId: 'f1', title: 'A very long title that Slack would refuse', submitLabel: 'Submit it right now please', state: 's', fields: [{ name: 'a', label: 'A', type: 'text', required: true, maxLength: 99_999 }] }, { userId: ALICE });
    const view = h.fake.callsTo('views.open').at(-1)!;
    expect(view.response).toMatchObject({ ok: true });
    const sent = view.args.view as { title: { text: string }; submit: { text: string }; blocks: { element?: { max_length?: number } }[] };
    expect(sent.title.text.length).toBeLessThanOrEqual(24);
    expect(sent.submit.text.length).toBeLessThanOrEqual(24);
    expect(sent.blocks[0]!.element!.max_length).toBe(3000);

    const calls = h.fake.callsTo('views.open').length;
    const many = Array.from({ length: 101 }, (_, i) => ({ value: `v${i}`, label: `Option ${i}` }));
    await expect(h.adapter.openForm(h.fake.issueTrigger(), { formId: 'f2', title: 't', submitLabel: 's', state: '', fields: [{ name: 'pick', label: 'Pick', type: 'select', required: true, options: many }] }, { userId: ALICE })).rejects.toBeInstanceOf(PermanentError);
    await expect(h.adapter.openForm(h.fake.issueTrigger(), { formId: 'f3', title: 't', submitLabel: 's', state: 'x'.repeat(3000), fields: [] }, { userId: ALICE })).rejects.toMatchObject({ code: 'permanent' });
    expect(h.fake.callsTo('views.open')).toHaveLength(calls);
  });

  it('openForm with an expired or used trigger id fails permanently', async () => {
    const trigger = h.fake.issueTrigger();
    const form = { formId: 'f', title: 't', submitLabel: 's', state: '', fields: [{ name: 'a', label: 'A', type: 'text' as const, required: false }] };
    await h.adapter.openForm(trigger, form, { userId: ALICE });
    await expect(h.adapter.openForm(trigger, form, { userId: ALICE })).rejects.toMatchObject({ code: 'permanent', message: expect.stringContaining('exchanged_trigger_id') });
  });

  it('ping checks the token with auth.test', async () => {
    await expect(h.adapter.ping()).resolves.toBeUndefined();
    expect(h.fake.callsTo('auth.test').length).toBeGreaterThanOrEqual(2);
  });

  it('every call made above is a spec method with its required arguments, and every answer has the spec shape', () => {
    expect(h.fake.calls.length).toBeGreaterThan(20);
    for (const call of h.fake.calls) {
      expect(validateSlackCall(call), `${call.method} ${JSON.stringify(call.args).slice(0, 200)}`).toEqual([]);
      expect(validateSlackResponse(call.method, call.response), `${call.method} -> ${String(JSON.stringify(call.response)).slice(0, 300)}`).toEqual([]);
    }
  });
});
