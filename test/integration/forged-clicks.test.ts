/**
 * Forged and replayed button clicks, the same attacks on both platforms, through the real
 * receivers against the fake servers: (a) a tampered value, (b) a click replayed as another
 * user, (c) an expired click, (d) a click from message A sent as message B. Slack signs every
 * request (HMAC over timestamp and body, 5-minute window), so each attack breaks the signature or
 * the window; Mattermost does not, so Day2's own signed context, the post read back through the
 * API and the user looked up by id must catch them. A genuine click is run on each platform
 * first, so a refusal is the attack's doing and not a broken rig.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/chat/message.js';
import type { InboundEvent, MessageRef } from '../../src/chat/port.js';
import { FakeMattermost } from '../fakes/mattermost.js';
import { startHarness as startMattermost, type Harness as MmHarness } from './mattermost/harness.js';
import { startHarness as startSlack, type Harness as SlackHarness } from './slack/harness.js';

interface Attempt {
  status: number;
  /** The words a refused clicker is shown, when the platform answers in words. */
  refusal?: string;
}

interface PlatformRig {
  events(): InboundEvent[];
  genuine(): Promise<Attempt>;
  tamperedValue(): Promise<Attempt>;
  /** A click replayed with another user's id on a message meant for one person. */
  asAnotherUser(): Promise<Attempt>;
  /** A click claiming to be alice, made by bob; what ran, if anything, ran as whom. */
  forgedName(): Promise<Attempt & { ranAs?: string }>;
  expired(): Promise<Attempt>;
  aOnB(): Promise<Attempt>;
  /** The messages are as they were posted. */
  unchanged(): boolean;
  close(): Promise<void>;
}

const card = (n: number): OutboundMessage => ({ body: `Swap ${n}`, summary: `Swap ${n}`, key: `swap-${n}`, buttons: [{ actionId: 'swapAccept', label: 'Accept', value: `swap-${n}` }] });
const answer = async () => ({ updateMessage: { body: 'Accepted', summary: 'Accepted' } });
const TTL_MS = 1500;

async function mattermostRig(): Promise<PlatformRig> {
  const h: MmHarness = await startMattermost({ adapter: { actionTtlMs: TTL_MS } });
  h.handler = answer;
  const stored = async (n: number) => h.fake.posts.get((await h.adapter.post(h.town.id, card(n))).messageId)!;
  const [a, b] = [await stored(1), await stored(2)];
  const ctxOf = (p: { props?: Record<string, unknown> }) => FakeMattermost.actionsOf(p)[0]!.integration.context;
  const attempt = (r: { status: number; body: unknown }): Attempt => ({ status: r.status, refusal: (r.body as { ephemeral_text?: string } | undefined)?.ephemeral_text });
  const messages = [a.message, b.message];
  return {
    events: () => h.events,
    genuine: async () => attempt(await h.fake.clickButton(a, 'swapAccept', { user_id: h.alice.id })),
    tamperedValue: async () => attempt(await h.fake.clickButton(a, 'swapAccept', { user_id: h.alice.id, context: { ...ctxOf(a), v: 'swap-9' } })),
    asAnotherUser: async () => {
      await h.adapter.ephemeral(h.town.id, h.alice.id, card(3));
      const shown = h.fake.ephemerals.find((e) => e.user_id === h.alice.id)!;
      return attempt(await h.fake.clickButton({ channel_id: shown.channel_id, props: shown.props }, 'swapAccept', { user_id: h.bob.id, user_name: 'alice' }));
    },
    forgedName: async () => {
      const r = attempt(await h.fake.clickButton(b, 'swapAccept', { user_id: h.bob.id, user_name: 'alice' }));
      return { ...r, ranAs: h.events[0]?.user.name };
    },
    expired: async () => {
      await new Promise((r) => setTimeout(r, TTL_MS + 100));
      return attempt(await h.fake.clickButton(a, 'swapAccept', { user_id: h.alice.id }));
    },
    aOnB: async () => attempt(await h.fake.clickButton(b, 'swapAccept', { user_id: h.alice.id, context: ctxOf(a) })),
    unchanged: () => h.fake.posts.get(a.id)!.message === messages[0] && h.fake.posts.get(b.id)!.message === messages[1],
    close: () => h.close(),
  };
}

const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00001';
const GENERAL = 'C0GENERAL1';

async function slackRig(): Promise<PlatformRig> {
  const h: SlackHarness = await startSlack();
  h.fake.addUser({ id: ALICE, name: 'alice' });
  h.fake.addUser({ id: BOB, name: 'bob' });
  h.handle(answer);
  const a: MessageRef = await h.adapter.post(GENERAL, card(1));
  const b: MessageRef = await h.adapter.post(GENERAL, card(2));
  const payload = (ref: MessageRef, user: string) => ({
    type: 'block_actions',
    user: { id: user, username: user === ALICE ? 'alice' : 'bob', name: user === ALICE ? 'alice' : 'bob', team_id: h.fake.teamId },
    api_app_id: 'A0FAKEAPP1',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: ref.messageId, channel_id: GENERAL, is_ephemeral: false },
    trigger_id: `${Date.now()}.1.abc`,
    team: { id: h.fake.teamId, domain: 'day2-fake' },
    channel: { id: GENERAL, name: 'general' },
    message: h.fake.messages(GENERAL).find((m) => m.ts === ref.messageId),
    state: { values: {} },
    response_url: `${h.fake.apiUrl}response/none`,
    actions: [{ action_id: 'swapAccept', block_id: 'actions', type: 'button', value: ref === a ? 'swap-1' : 'swap-2', action_ts: `${Date.now() / 1000}` }],
  });
  /** Slack signs `signed`; what arrives is `sent` (an attacker's edit of a captured request). */
  const send = async (signed: object, sent: object = signed, ageSeconds = 0): Promise<Attempt> => {
    const raw = (p: object) => new URLSearchParams({ payload: JSON.stringify(p) }).toString();
    const ts = Math.floor(Date.now() / 1000) - ageSeconds;
    const res = await fetch(new URL('/slack/events', h.appUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': h.fake.sign(raw(signed), ts) },
      body: raw(sent),
    });
    await res.text();
    return { status: res.status };
  };
  const genuineA = payload(a, ALICE);
  return {
    events: () => h.events,
    genuine: () => send(genuineA),
    tamperedValue: () => send(genuineA, { ...genuineA, actions: [{ ...genuineA.actions[0]!, value: 'swap-9' }] }),
    asAnotherUser: () => send(genuineA, { ...genuineA, user: { ...genuineA.user, id: BOB } }),
    forgedName: async () => ({ ...(await send(payload(b, BOB), { ...payload(b, BOB), user: { id: BOB, username: 'alice', name: 'alice', team_id: h.fake.teamId } })), ranAs: h.events[0]?.user.name }),
    // Slack's replay window: a signature older than 5 minutes is refused.
    expired: () => send(genuineA, genuineA, 6 * 60),
    aOnB: () => send(genuineA, { ...genuineA, container: { ...genuineA.container, message_ts: b.messageId }, message: h.fake.messages(GENERAL).find((m) => m.ts === b.messageId) }),
    unchanged: () => h.fake.callsTo('chat.update').length === 0,
    close: () => h.close(),
  };
}

const refused = (a: Attempt) => a.status === 401 || a.status === 403 || (a.status === 200 && (a.refusal ?? '') !== '');

describe.each([
  ['slack', slackRig],
  ['mattermost', mattermostRig],
] as const)('forged and replayed clicks on %s', (_name, startRig) => {
  let rig: PlatformRig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(async () => {
    await rig.close();
  });

  const settle = () => new Promise((r) => setTimeout(r, 100));

  it('runs a genuine click (the rig works)', async () => {
    const r = await rig.genuine();
    expect(r.status).toBe(200);
    await expect.poll(() => rig.events().length).toBe(1);
  });

  it('(a) refuses a click with a tampered value, and changes nothing', async () => {
    expect(refused(await rig.tamperedValue())).toBe(true);
    await settle();
    expect(rig.events()).toHaveLength(0);
    expect(rig.unchanged()).toBe(true);
  });

  it('(b) refuses a click replayed as another user', async () => {
    expect(refused(await rig.asAnotherUser())).toBe(true);
    await settle();
    expect(rig.events()).toHaveLength(0);
  });

  it('(b) a click claiming another user name runs as the real clicker or not at all', async () => {
    const r = await rig.forgedName();
    await settle();
    if (refused(r)) expect(rig.events()).toHaveLength(0);
    else expect(rig.events()[0]?.user.name).toBe('bob');
  });

  it('(c) refuses an expired click, and changes nothing', async () => {
    expect(refused(await rig.expired())).toBe(true);
    await settle();
    expect(rig.events()).toHaveLength(0);
    expect(rig.unchanged()).toBe(true);
  });

  it('(d) refuses a click from message A sent as message B, and changes nothing', async () => {
    expect(refused(await rig.aOnB())).toBe(true);
    await settle();
    expect(rig.events()).toHaveLength(0);
    expect(rig.unchanged()).toBe(true);
  });
});
