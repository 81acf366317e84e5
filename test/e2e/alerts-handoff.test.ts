/**
 * Alert pages across a handoff, through the whole bot (fake Slack, real Redis, the real
 * `oncall-handoff` timer): an open page nobody acknowledged moves to the incoming tribute (a DM
 * copy of the page for them, the page records the move, every copy names them, a thread reply
 * says so); an acknowledged page stays with whoever acknowledged it; running the hand-over again
 * moves nothing twice.
 *
 * The rotation's only layer is alice's (bob only by override), so who holds it never depends on
 * the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../fakes/slack.js';
import { fireAlert, payInLayers } from '../support/alert-rig.js';
import { SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

const CHANNEL = 'C0PAYMENTS';
const TOKEN = 'alert-handoff-token-0123456789';
process.env.DAY2_E2E_HANDOFF_TOKEN = TOKEN;
let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
  await rig.extendConfig(`teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice], channels: { slack: [${CHANNEL}] } }
${payInLayers(['alice'])}
alerts:
  defaultTeam: payments
  ackTimeoutSeconds: { high: 600, low: 600 }
  integrations:
    - { id: prom, kind: alertmanager, tokenEnv: DAY2_E2E_HANDOFF_TOKEN }
  routes:
    - { match: { team: payments }, team: payments }`);
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

const text = (c: RecordedCall) => JSON.stringify(c.args);

async function fire(name: string): Promise<{ id: string; ts: string }> {
  expect(await fireAlert(rig, TOKEN, { alertname: name, team: 'payments' })).toBe(200);
  const post = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL && text(c).includes(name), 15_000);
  const page = (await rig.bot.services.alerts!.recentPages(10)).find((p) => !p.resolvedAt && p.groupId && text(post).includes(p.id))!;
  return { id: page.id, ts: String((post.response as { ts?: string }).ts) };
}

const page = async (id: string) => (await rig.bot.services.alerts!.recentPages(10)).find((p) => p.id === id)!;

describe('alert pages across a handoff', () => {
  it('moves an open, unacknowledged page to the incoming tribute and leaves an acknowledged one', async () => {
    const open = await fire('PaymentsSlow');
    const acked = await fire('LedgerLag');
    expect((await page(open.id)).assignee).toBe('alice');
    await rig.bot.services.alerts!.respondToPage(acked.id, 'ack', { person: 'alice', isAdmin: false }, new Date());

    // Bob comes on duty in 2 s: the real handoff timer runs.
    const answer = await rig.slack.sendCommand({ command: '/oncall', text: `override payments <@${SLACK_BOB}> "in 2s" "in 1h"`, user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(answer.status).toBe(200);

    // A thread reply under the channel post names bob.
    const reply = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL && c.args.thread_ts === open.ts && text(c).includes('who came on duty'), 20_000);
    expect(text(reply)).toContain(`<@${SLACK_BOB}>`);
    // Bob gets a DM copy of the page, and the channel copy shows the move.
    const bobDm = rig.slack.callsTo('conversations.open').find((c) => c.args.users === SLACK_BOB)?.response as { channel?: { id?: string } } | undefined;
    expect(bobDm?.channel?.id).toBeDefined();
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === bobDm!.channel!.id && text(c).includes('PaymentsSlow'), 15_000);
    await rig.slack.waitForCall('chat.update', (c) => c.args.channel === CHANNEL && c.args.ts === open.ts && text(c).includes('Handed over from') && text(c).includes(`<@${SLACK_BOB}>`), 15_000);

    const moved = await page(open.id);
    expect(moved).toMatchObject({ assignee: 'bob', notified: ['alice', 'bob'] });
    expect(moved.handovers.map((h) => [h.from, h.to])).toEqual([['alice', 'bob']]);
    // The acknowledged page stays with alice; nobody else got a copy.
    const kept = await page(acked.id);
    expect(kept).toMatchObject({ assignee: 'alice', ackedBy: 'alice', notified: ['alice'], handovers: [] });
    expect(rig.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === bobDm!.channel!.id && text(c).includes('LedgerLag'))).toHaveLength(0);

    // The hand-over running again (a retried timer) moves nothing and posts nothing.
    const replies = rig.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === open.ts).length;
    expect(await rig.bot.services.alerts!.handOver('pay', 'payments', 'bob', new Date())).toEqual([]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(rig.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === open.ts)).toHaveLength(replies);
    expect((await page(open.id)).handovers).toHaveLength(1);
  }, 60_000);
});
