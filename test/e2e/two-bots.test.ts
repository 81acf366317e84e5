/**
 * Two Day2 processes on one Redis (e.g. behind a load balancer): a Slack retry that lands on the
 * other process must not run the action again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ALICE, startBotRig, type BotRig } from '../support/bot-rig.js';

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

describe('two bots on one Redis', () => {
  it('run a retried Slack event once even when the retry reaches the other bot', async () => {
    const twin = await rig.twin();
    const event = { type: 'message', channel_type: 'im', channel: 'D0ALICEDM', user: SLACK_ALICE, text: 'reload', ts: `${Date.now() / 1000}` };
    rig.slack.appBaseUrl = rig.appUrl;
    const first = await rig.slack.sendEvent(event);
    rig.slack.appBaseUrl = twin.appUrl;
    const retry = await rig.slack.sendEvent(event, { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' });
    rig.slack.appBaseUrl = rig.appUrl;
    expect([first.status, retry.status]).toEqual([200, 200]);
    const deadline = Date.now() + 5000;
    while ((await rig.redis.xlen('audit')) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    expect(await rig.redis.xlen('audit')).toBe(1);
  });

  it('answer the same command on either bot', async () => {
    const twin = await rig.twin();
    for (const url of [rig.appUrl, twin.appUrl]) {
      rig.slack.appBaseUrl = url;
      const res = await rig.slack.sendCommand({ command: '/day2', text: 'whoami', user_id: SLACK_ALICE, channel_id: 'C0GENERAL' });
      expect(JSON.stringify(res.json)).toContain('Alice Admin');
    }
    rig.slack.appBaseUrl = rig.appUrl;
  });
});
