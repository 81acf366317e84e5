/**
 * End to end through the whole bot: signed Slack requests and Mattermost slash commands against
 * createBot with real Bolt, real Client4, real Redis and the fake platforms on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MM_COMMAND_TOKEN, SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

/** Every way a ping or a forged mention could be spelled on either platform. */
const PING = /<!(channel|here|everyone)>|<@U0BOB0001>|(^|[^\w\u2060\\])@(channel|here|all|everyone|bob)\b/;

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

const auditCount = () => rig.redis.xlen('audit');
const commandsCounted = async () => {
  const m = await rig.bot.metrics.registry.getSingleMetricAsString('day2_commands_total');
  return m
    .split('\n')
    .filter((l) => l.startsWith('day2_commands_total{'))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
};

function slackAckText(res: { json?: Record<string, unknown>; text: string }): string {
  return JSON.stringify(res.json ?? res.text);
}

describe('Slack through the whole bot', () => {
  it('answers /day2 help in the acknowledgement', async () => {
    const res = await rig.slack.sendCommand({ command: '/day2', text: 'help', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    const text = slackAckText(res);
    expect(text).toContain('whoami');
    expect(text).toContain('reload');
  });

  it('rejects a forged signature with 401 and runs nothing', async () => {
    const before = await commandsCounted();
    const res = await rig.slack.sendCommand({ command: '/day2', text: 'reload', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL }, { secret: 'not-the-signing-secret' });
    expect(res.status).toBe(401);
    expect(await commandsCounted()).toBe(before);
    expect(await auditCount()).toBe(0);
  });

  it('rejects a stale (> 5 min) signature with 401 and runs nothing', async () => {
    const before = await commandsCounted();
    const res = await rig.slack.sendCommand(
      { command: '/day2', text: 'reload', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(res.status).toBe(401);
    expect(await commandsCounted()).toBe(before);
  });

  it('runs a retried event once', async () => {
    const before = await auditCount();
    // A DM is read as a /day2 line; `reload` is a state change, so each run is audited.
    const event = { type: 'message', channel_type: 'im', channel: 'D0ALICEDM', user: SLACK_ALICE, text: 'reload', ts: `${Date.now() / 1000}` };
    const first = await rig.slack.sendEvent(event);
    expect(first.status).toBe(200);
    const retry = await rig.slack.sendEvent(event, { eventId: first.eventId, retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    await waitFor(async () => (await auditCount()) > before);
    await new Promise((r) => setTimeout(r, 300));
    expect(await auditCount()).toBe(before + 1);
  });

  it('refuses a state change to someone without the role, naming the role', async () => {
    const before = await auditCount();
    const res = await rig.slack.sendCommand({ command: '/day2', text: 'reload', user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    expect(res.status).toBe(200);
    expect(slackAckText(res)).toMatch(/admin/);
    expect(await auditCount()).toBe(before);
  });

  it.each(['<!channel>', '<!here>', '<!everyone>', '<@U0BOB0001>', '<@U0BOB0001|bob>', '@here', '@channel'])('never turns user text %s into a ping', async (attack) => {
    const res = await rig.slack.sendCommand({ command: '/day2', text: `whoami ${attack}`, user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(res.status).toBe(200);
    const text = slackAckText(res);
    expect(text).toMatch(/unexpected/); // the input error echoes the input…
    expect(text).not.toMatch(PING); // …without it becoming a ping
  });
});

describe('Mattermost through the whole bot', () => {
  const command = (text: string, token = MM_COMMAND_TOKEN, user = rig.mmAlice) =>
    rig.mattermost.sendCommand(rig.appUrl, { command: '/day2', text, token, user_id: user.id, user_name: user.username, channel_id: rig.mmChannel.id });

  it('answers /day2 help', async () => {
    const res = await command('help');
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json');
    const body = res.body as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('whoami');
  });

  it('rejects a wrong command token with 401 and runs nothing', async () => {
    const before = await commandsCounted();
    const res = await command('reload', 'wrongtoken0000000000000000');
    expect(res.status).toBe(401);
    expect(await commandsCounted()).toBe(before);
  });

  it('knows the same person on both platforms', async () => {
    const res = await command('whoami');
    const body = JSON.stringify(res.body);
    expect(body).toContain('Alice Admin');
    expect(body).toContain('admin');
  });

  it.each(['@channel', '@here', '@all', '@everyone', '@bob', '<!channel>'])('never turns user text %s into a ping', async (attack) => {
    const res = await command(`whoami ${attack}`);
    const body = res.body as { text: string; props?: unknown };
    expect(body.text).toMatch(/unexpected/);
    expect(body.text).not.toMatch(PING);
    expect(JSON.stringify(body.props ?? {})).not.toMatch(PING);
  });
});

describe('operations endpoints', () => {
  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${rig.appUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${rig.appUrl}/readyz`);
    const body = (await ready.json()) as { ready: boolean; checks: { name: string; ok: boolean }[] };
    expect(body.checks.map((c) => c.name).sort()).toEqual(['mattermost', 'planning', 'redis', 'slack']);
    expect(body.ready).toBe(true);
    const metrics = await (await fetch(`${rig.appUrl}/metrics`)).text();
    expect(metrics).toContain('day2_commands_total');
    expect(metrics).toContain('day2_ack_latency_seconds_bucket');
    expect(metrics).toMatch(/day2_queue_depth\{queue="delivery",state="waiting"\}/);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
