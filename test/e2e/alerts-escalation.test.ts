/**
 * Layer-by-layer escalation on the real BullMQ timers (ackTimeoutSeconds of 1 s; 4 s for the
 * low-urgency page acknowledged between two steps), through the
 * whole bot: nobody acknowledges, so the page goes from layer 1's holder to layer 2's, then to
 * the managers, each step recorded on the page, shown on every copy and announced in a thread
 * reply; Acknowledge, clicked on the channel post (a signed block_actions request through the
 * fake Slack), stops it where it is. test/e2e/alerts.test.ts covers the one-layer case (layer 1
 * straight to the managers) and the webhook side.
 *
 * The rotation has two layers with one member each (bob, then alice) and carol as the manager,
 * so who is paged never depends on the wall clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../fakes/slack.js';
import { fireAlert, payInLayers } from '../support/alert-rig.js';
import { SLACK_ALICE, SLACK_BOB, startBotRig, type BotRig } from '../support/bot-rig.js';

const CHANNEL = 'C0PAYMENTS';
const SLACK_CAROL = 'U0CAROL01';
const TOKEN = 'alert-escalation-token-0123456789';
process.env.DAY2_E2E_ESCALATION_TOKEN = TOKEN;
let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
  rig.slack.addUser({ id: SLACK_CAROL, name: 'carol', real_name: 'Carol Manager', tz: 'UTC' });
  await rig.extendConfig(`  - { id: carol, name: Carol Manager, slack: ${SLACK_CAROL}, timezone: UTC }
teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [carol], channels: { slack: [${CHANNEL}] } }
${payInLayers(['bob', 'alice'])}
alerts:
  defaultTeam: payments
  ackTimeoutSeconds: { high: 1, low: 4 }
  integrations:
    - { id: prom, kind: alertmanager, tokenEnv: DAY2_E2E_ESCALATION_TOKEN }
  routes:
    - { match: { team: payments, severity: warning }, team: payments, urgency: low }
    - { match: { team: payments }, team: payments }`);
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

const text = (c: RecordedCall) => JSON.stringify(c.args);
type Button = { action_id?: string; value?: string };
const buttons = (blocks: unknown): Button[] => ((blocks as { type: string; elements?: Button[] }[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

async function fire(name: string, severity = 'critical'): Promise<{ id: string; ts: string }> {
  expect(await fireAlert(rig, TOKEN, { alertname: name, team: 'payments', severity })).toBe(200);
  const post = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL && !c.args.thread_ts && text(c).includes(name), 15_000);
  const ack = buttons(post.args.blocks).find((b) => b.action_id === 'alertack')!;
  return { id: ack.value!, ts: String((post.response as { ts?: string }).ts) };
}

const page = async (id: string) => (await rig.bot.services.alerts!.recentPages(10)).find((p) => p.id === id)!;
const threadReply = (ts: string, pred: (c: RecordedCall) => boolean) => rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === CHANNEL && c.args.thread_ts === ts && pred(c), 15_000);
const clickAck = (id: string, ts: string, user: string) => rig.slack.clickButton({ actionId: 'alertack', value: id, user_id: user, channel_id: CHANNEL, message_ts: ts });

describe('layer-by-layer escalation on real timers', () => {
  it('goes from layer 1 to layer 2 to the managers, each step recorded and announced; Acknowledge ends it', async () => {
    const { id, ts } = await fire('CardDeclines');
    expect((await page(id)).steps.map((s) => s.to)).toEqual([['bob']]);

    const toAlice = await threadReply(ts, (c) => text(c).includes('has not been acknowledged') && text(c).includes(`<@${SLACK_ALICE}>`));
    expect(text(toAlice)).not.toContain('nobody else is on duty');
    const toManagers = await threadReply(ts, (c) => text(c).includes('nobody else is on duty'));
    expect(text(toManagers)).toContain(`<@${SLACK_CAROL}>`);
    // Every copy shows the last step.
    await rig.slack.waitForCall('chat.update', (c) => c.args.channel === CHANNEL && c.args.ts === ts && text(c).includes('escalated to the managers'));

    const escalated = await page(id);
    expect(escalated.steps.map((s) => [s.layer, s.to])).toEqual([
      [0, ['bob']],
      [1, ['alice']],
      ['managers', ['carol']],
    ]);
    expect(escalated.notified).toEqual(['bob', 'alice', 'carol']);

    // Carol acknowledges on the channel post.
    expect((await clickAck(id, ts, SLACK_CAROL)).status).toBe(200);
    await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && text(c).includes('Acknowledged by') && text(c).includes(`<@${SLACK_CAROL}>`), 15_000);
    expect(await page(id)).toMatchObject({ ackedBy: 'carol' });
  }, 60_000);

  it('stops where it is when acknowledged: no step after the Acknowledge', async () => {
    // A low-urgency page (4 s): time to click between the steps, whatever the delivery pacing.
    const { id, ts } = await fire('PayoutsStuck', 'warning');
    await threadReply(ts, (c) => text(c).includes('has not been acknowledged') && text(c).includes(`<@${SLACK_ALICE}>`));
    expect((await page(id)).steps.map((s) => s.layer)).toEqual([0, 1]);
    expect((await clickAck(id, ts, SLACK_ALICE)).status).toBe(200);
    await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && text(c).includes('Acknowledged by'), 15_000);
    const acked = await page(id);
    expect(acked.ackedBy).toBe('alice');
    // Past the next timeout nothing more happened: the managers were never paged for it.
    await new Promise((r) => setTimeout(r, 5000));
    expect((await page(id)).steps.map((s) => s.layer)).toEqual([0, 1]);
    expect(rig.slack.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === ts && text(c).includes('nobody else is on duty'))).toHaveLength(0);
    // The Acknowledge button is gone from the edited post.
    const last = rig.slack.callsTo('chat.update').filter((c) => c.args.ts === ts).at(-1)!;
    expect(buttons(last.args.blocks).map((b) => b.action_id)).not.toContain('alertack');
  }, 60_000);
});
