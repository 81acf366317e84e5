/**
 * A Slack request without a trigger_id, through the whole bot (real Bolt, dispatcher, run-once
 * guard and audit log on the real Redis): it is keyed by a digest of its signed body, so two
 * unrelated requests both run and are both audited, while a redelivery of the same body (new
 * timestamp, same bytes) still runs only once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ALICE, SLACK_CHANNEL, startBotRig, type BotRig } from '../../support/bot-rig.js';

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

/** `/day2 reload` (a state change, so audited) as Slack's form, with no trigger_id. */
function reloadWithoutTrigger(responseId: string): string {
  return new URLSearchParams({
    team_id: rig.slack.teamId,
    channel_id: SLACK_CHANNEL,
    channel_name: 'general',
    user_id: SLACK_ALICE,
    user_name: 'alice',
    command: '/day2',
    text: 'reload',
    response_url: `${rig.slack.url}/response/${responseId}`,
  }).toString();
}

async function auditEntries(): Promise<{ eventId: string; action: string }[]> {
  return (await rig.bot.services.audit.recent(50)).map((e) => ({ eventId: e.eventId, action: e.action }));
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Slack requests without a trigger_id', () => {
  it('keys each by a digest of its body, so unrelated ones are not deduplicated together and each audit write succeeds', async () => {
    const first = await rig.slack.signedRequest(rig.appUrl, '/slack/events', reloadWithoutTrigger('nt-1'));
    const second = await rig.slack.signedRequest(rig.appUrl, '/slack/events', reloadWithoutTrigger('nt-2'));
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    await until(async () => (await auditEntries()).length >= 2);
    const entries = await auditEntries();
    expect(entries).toHaveLength(2);
    const ids = entries.map((e) => e.eventId);
    for (const id of ids) expect(id).toMatch(/^body-sha256\.[0-9a-f]{64}$/);
    expect(new Set(ids).size).toBe(2);
    expect(ids).not.toContain('undefined');
  });

  it('runs a redelivery of the same body (a later timestamp) only once', async () => {
    const before = (await auditEntries()).length;
    const body = reloadWithoutTrigger('nt-3');
    const now = Math.floor(Date.now() / 1000);
    expect((await rig.slack.signedRequest(rig.appUrl, '/slack/events', body, { timestamp: now })).status).toBe(200);
    await until(async () => (await auditEntries()).length > before);
    expect((await rig.slack.signedRequest(rig.appUrl, '/slack/events', body, { timestamp: now + 2, retryNum: 1 })).status).toBe(200);
    // The redelivery is answered from the run-once record (its ack waits for dispatch): no second entry.
    expect((await auditEntries()).length).toBe(before + 1);
  });
});
