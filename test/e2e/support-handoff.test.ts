/**
 * Support requests across handoffs, through the whole bot (fake Slack, real Redis, real timers):
 * a request nobody acknowledged moves to the incoming tribute at the handoff (the channel post,
 * the handoff DMs and the SLA re-notify all name them), escalates to the next layer's holder, and
 * an acknowledged request stays with whoever acknowledged it. The time to ack / resolve histograms
 * on /metrics agree with the stored requests.
 *
 * The rotation: primary is alice alone (bob only by override), secondary is carol, so who holds
 * what never depends on the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../fakes/slack.js';
import { payInLayers } from '../support/alert-rig.js';
import { SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

const CHANNEL = 'C0PAYMENTS';
let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
  await rig.extendConfig(`  - { id: carol, name: Carol Second }
teams:
  - { id: payments, name: Payments, members: [alice, bob, carol], managers: [alice], channels: { slack: [${CHANNEL}] } }
${payInLayers(['alice', 'carol'], ['supportSla: 3s'])}`);
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

async function command(name: '/oncall' | '/support', text: string, user = SLACK_ALICE): Promise<string> {
  const res = await rig.slack.sendCommand({ command: name, text, user_id: user, channel_id: SLACK_CHANNEL });
  expect(res.status).toBe(200);
  let body = res.json as { text?: string; blocks?: unknown[] } | undefined;
  if (!body?.text && !body?.blocks) body = (await rig.slack.waitForResponseUrl((p) => p.id === res.responseUrl.split('/').at(-1))).body as { text?: string };
  return JSON.stringify(body);
}

const text = (c: RecordedCall) => JSON.stringify(c.args);
const isDm = (c: RecordedCall) => String(c.args.channel).startsWith('D');

/** The request's channel post: its ts and the request id carried by its Ack button. */
async function requestPost(marker: string): Promise<{ ts: string; id: string }> {
  const post = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL && text(c).includes('Support request for Payments') && text(c).includes(marker), 15_000);
  const id = (post.args.blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'supportack')!.value!;
  return { ts: String((post.response as { ts?: string }).ts), id };
}

const click = (actionId: 'supportack' | 'supportresolve', value: string, ts: string) =>
  rig.slack.clickButton({ actionId, value, user_id: SLACK_BOB, channel_id: CHANNEL, message_ts: ts });

/** Every request the tests make, for the metrics check at the end. */
const asked: string[] = [];

describe('support requests across a handoff', () => {
  it('a request asked while nobody is on duty goes to whoever comes on duty next', async () => {
    // Alice is the whole primary queue: away for part of today's turn, she leaves it a gap.
    expect(await command('/oncall', 'leave @alice now "in 1m"')).toMatch(/Leave recorded/);
    expect(await command('/support', 'team=payments Nobody home?', SLACK_BOB)).toMatch(/Nobody is on duty right now/);
    // She covers from 2 s on anyway: a handoff out of the gap.
    expect(await command('/oncall', 'override payments @alice "in 2s" "in 1h"')).toMatch(/is on duty for Payments/);
    const { ts, id } = await requestPost('Nobody home?');
    asked.push(id);
    const incoming = await rig.slack.waitForCall('chat.postMessage', (c) => isDm(c) && text(c).includes('You are on duty: Payments') && text(c).includes(id), 15_000);
    expect(text(incoming)).toMatch(/Open support requests you take over/);
    await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && text(c).includes(`<@${SLACK_ALICE}>, <@${SLACK_BOB}> asks`));
    const r = (await rig.bot.services.support!.get(id))!;
    expect(r.assignee).toBe('alice');
    expect(r.holders.map((h) => h.person)).toEqual([null, 'alice']);
    await click('supportresolve', id, ts);
    await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && text(c).includes('Resolved by'));
  }, 40_000);

  it('moves an unacknowledged request to the incoming tribute: post, DMs and re-notify name them; it escalates to the next layer', async () => {
    // The handoff to bob comes before the request's SLA runs out (2 s against 3 s after asking).
    expect(await command('/oncall', `override payments <@${SLACK_BOB}> "in 2s" "in 1h"`)).toMatch(/is on duty for Payments/);
    const answer = await command('/support', 'team=payments Refunds are stuck');
    // Alice asks while on duty herself: she is told so, not named to herself.
    expect(answer).toContain('You are on duty yourself, so it is addressed to you');
    const { ts, id } = await requestPost('Refunds are stuck');
    asked.push(id);

    // The handoff: the post is edited to address bob, bob's DM lists what he takes over, alice's what she handed over.
    const edited = await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && text(c).includes(`<@${SLACK_BOB}>, <@${SLACK_ALICE}> asks`), 15_000);
    expect(text(edited)).toContain('Waiting for an acknowledgement');
    const incoming = await rig.slack.waitForCall('chat.postMessage', (c) => isDm(c) && text(c).includes('You are on duty: Payments') && text(c).includes(id));
    expect(text(incoming)).toMatch(/Open support requests you take over/);
    const outgoing = await rig.slack.waitForCall('chat.postMessage', (c) => isDm(c) && text(c).includes('Handed over') && text(c).includes(id));
    expect(text(outgoing)).toContain(`handed over to <@${SLACK_BOB}>`);

    // The SLA runs out after the handoff: the re-notify goes to bob, who is on duty now.
    const renotify = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL && c.args.thread_ts === ts && text(c).includes('Still waiting'), 15_000);
    expect(text(renotify)).toContain(`<@${SLACK_BOB}>`);
    expect(text(renotify)).not.toContain(`<@${SLACK_ALICE}>`);
    // Another SLA: escalated to the holder of the next layer (carol), not to the manager.
    const escalated = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL && c.args.thread_ts === ts && text(c).includes('Escalated'), 15_000);
    expect(text(escalated)).toContain('Carol Second');
    expect(text(escalated)).not.toContain(`<@${SLACK_ALICE}>`);

    const svc = rig.bot.services.support!;
    const held = (await svc.get(id))!;
    expect(held).toMatchObject({ assignee: 'bob', stage: 2, escalatedTo: ['carol'] });
    expect(held.holders.map((h) => h.person)).toEqual(['alice', 'bob']);

    // The handoff timer running again moves nothing more and edits nothing.
    const edits = rig.slack.callsTo('chat.update').filter((c) => c.args.ts === ts).length;
    const again = await svc.handOver('pay', 'primary', 'bob', new Date());
    expect(again.taken.map((r) => r.id)).toEqual([id]);
    expect(await svc.get(id)).toEqual(held);
    // A secondary's handoff never moves a request.
    expect(await svc.handOver('pay', 'secondary', 'alice', new Date())).toEqual({ taken: [], waiting: [], kept: [] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(rig.slack.callsTo('chat.update').filter((c) => c.args.ts === ts)).toHaveLength(edits);
    expect((await svc.get(id))!.assignee).toBe('bob');

    await click('supportresolve', id, ts);
    await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && text(c).includes('Resolved by'));
  }, 40_000);

  it('leaves an acknowledged request with whoever acknowledged it; the handoff DMs say so', async () => {
    await command('/support', 'team=payments Invoices are late', SLACK_BOB);
    const { ts, id } = await requestPost('Invoices are late');
    asked.push(id);
    expect((await rig.bot.services.support!.get(id))!.assignee).toBe('bob');
    await click('supportack', id, ts);
    await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && text(c).includes('Acknowledged by'));

    expect(await command('/oncall', 'override payments @alice "in 2s" "in 10m"')).toMatch(/is on duty for Payments/);
    const incoming = await rig.slack.waitForCall('chat.postMessage', (c) => isDm(c) && text(c).includes('You are on duty: Payments') && text(c).includes(id), 15_000);
    expect(text(incoming)).toMatch(/stay with whoever acknowledged them/);
    expect(text(incoming)).toContain(`<@${SLACK_BOB}>`);
    expect(text(incoming)).not.toMatch(/you take over/);
    const r = (await rig.bot.services.support!.get(id))!;
    expect(r).toMatchObject({ assignee: 'bob', ackedBy: 'bob' });
    expect(r.holders.map((h) => h.person)).toEqual(['bob']);

    await click('supportresolve', id, ts);
    await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && text(c).includes('Resolved by'));
  }, 40_000);

  it('exports time to ack and to resolve on /metrics, agreeing with the stored requests', async () => {
    const stored = await Promise.all(asked.map(async (id) => (await rig.bot.services.support!.get(id))!));
    expect(stored.every((r) => r.ackedAt && r.resolvedAt)).toBe(true);
    const body = await (await fetch(`${rig.appUrl}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}\\{team="payments"\\} (\\S+)$`, 'm').exec(body)?.[1]);
    expect(value('day2_support_time_to_ack_seconds_count')).toBe(3);
    expect(value('day2_support_time_to_resolve_seconds_count')).toBe(3);
    // The sums are the stored durations (a request resolved without an Ack counts as acked then).
    const total = (at: (r: (typeof stored)[number]) => string | undefined) => stored.reduce((sum, r) => sum + (Date.parse(at(r)!) - Date.parse(r.createdAt)) / 1000, 0);
    expect(value('day2_support_time_to_ack_seconds_sum')).toBeCloseTo(total((r) => r.ackedAt), 3);
    expect(value('day2_support_time_to_resolve_seconds_sum')).toBeCloseTo(total((r) => r.resolvedAt), 3);
  });
});
