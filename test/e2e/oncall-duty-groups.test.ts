/**
 * The on-duty group end to end (whole bot, fake Slack + fake Mattermost through real Bolt and
 * Client4, real Redis and workers): after a handoff the Slack user group holds exactly the new
 * person and the Mattermost header names them, an override from now changes both at once, a sync
 * with nothing new writes nothing, and a group that does not exist is reported (log and
 * `/oncall who`) while the handoff's DMs and channel post still go out; a 429 is tried again.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

let rig: BotRig;
const lines: Record<string, unknown>[] = [];
const RUNBOOKS = 'Runbooks: https://wiki.example.com/payments';

beforeAll(async () => {
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    }),
  );
  rig = await startBotRig({ log });
  // The group exists with a stale member; the channel header has the team's own text.
  rig.slack.addUsergroup({ id: 'S0PAY0001', handle: 'pay-tribute', name: 'Payments tribute', users: [SLACK_BOB] });
  rig.mmChannel.header = RUNBOOKS;
  const original = await readFile(rig.configFile, 'utf8');
  await writeFile(
    rig.configFile,
    original.replace(
      'roles:',
      `teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice], channels: { slack: [C0PAYMENTS], mattermost: [${rig.mmChannel.id}] } }
  - { id: core, name: Core, members: [alice, bob], managers: [alice], channels: { slack: [C0CORE001] } }
rotations:
  - { id: pay, team: payments, timezone: UTC, anchor: "2026-01-05 09:00", turn: 1w, members: [alice], dutyGroup: { slack: { usergroup: pay-tribute }, mattermost: {} } }
  - { id: core, team: core, timezone: UTC, anchor: "2026-01-05 09:00", turn: 1w, members: [alice], dutyGroup: { slack: {} } }
roles:`,
    ),
  );
  const outcome = await rig.bot.services.reload!();
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The command's answer: the acknowledgement, or the ephemeral that follows on response_url. */
async function slack(text: string, user = SLACK_ALICE): Promise<string> {
  const { status, body } = await rig.slack.commandAnswer({ command: '/oncall', text, user_id: user, channel_id: SLACK_CHANNEL });
  expect(status).toBe(200);
  return JSON.stringify(body);
}

const payGroup = () => rig.slack.usergroupByHandle('pay-tribute')!;
/** The Day2 part of the header, without the word joiner Mattermost mentions end with. */
const dutyPart = () => (/\[day2\] (.*) \[\/day2\]$/.exec(rig.mmChannel.header)?.[1] ?? '').replaceAll('\u2060', '');
const groupWrites = () => rig.slack.calls.filter((c) => c.method.startsWith('usergroups.') && c.method !== 'usergroups.list').length;

async function syncs(outcome: string): Promise<number> {
  const metric = await rig.bot.metrics.registry.getSingleMetric('day2_duty_group_syncs_total')?.get();
  return (metric?.values ?? []).filter((v) => v.labels.outcome === outcome).reduce((n, v) => n + v.value, 0);
}

describe('on-duty groups through the whole bot', () => {
  it('start: the group holds exactly who is on duty and the header names them, after the team text', async () => {
    await until('the Slack group to hold alice', () => payGroup().users.join() === SLACK_ALICE);
    // A one-person queue never hands over: no "until" to show.
    await until('the header to name alice', () => dutyPart() === 'On duty: @alice (primary)');
    expect(rig.mmChannel.header.startsWith(`${RUNBOOKS} [day2] On duty: @alice`)).toBe(true);
  });

  it('a handoff: the group has exactly the new person and the header shows them', async () => {
    const saved = await slack(`override payments <@${SLACK_BOB}> "in 2s" "in 1h"`);
    expect(saved).toMatch(/is on duty for Payments/);
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && JSON.stringify(c.args).includes('taking over from'), 20_000);
    await until('the Slack group to hold bob only', () => payGroup().users.join() === SLACK_BOB);
    await until('the header to name bob', () => dutyPart().startsWith('On duty: @bob (primary) until '));
    expect(rig.mmChannel.header.startsWith(`${RUNBOOKS} [day2]`)).toBe(true);
    const headerChanges = rig.mattermost.postsIn(rig.mmChannel.id).filter((p) => p.type === 'system_header_change');
    expect(headerChanges.at(-1)!.props).toMatchObject({ new_header: rig.mmChannel.header });
  }, 40_000);

  it('an override from now updates both at once; asking again writes nothing', async () => {
    const saved = await slack(`override payments <@${SLACK_ALICE}> now "in 30m"`);
    expect(saved).toMatch(/is on duty for Payments/);
    await until('the Slack group to hold alice again', () => payGroup().users.join() === SLACK_ALICE);
    await until('the header to name alice again', () => dutyPart().startsWith('On duty: @alice (primary) until '));
    const writes = groupWrites();
    const patches = rig.mattermost.callsTo('PUT', `/api/v4/channels/${rig.mmChannel.id}/patch`).length;
    const skipped = await syncs('skipped');
    await rig.bot.services.oncallDutyGroups!.requestAll();
    // Both platforms of pay are skipped (core's group is still missing, so it tries again).
    for (let i = 0; i < 400 && (await syncs('skipped')) < skipped + 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await syncs('skipped')).toBeGreaterThanOrEqual(skipped + 2);
    expect(groupWrites()).toBe(writes);
    expect(rig.mattermost.callsTo('PUT', `/api/v4/channels/${rig.mmChannel.id}/patch`)).toHaveLength(patches);
  }, 40_000);

  it('a 429 from Slack is tried again after its Retry-After', async () => {
    const retried = await syncs('retried');
    rig.slack.failNext('usergroups.users.update', { status: 429, retryAfter: 1 });
    await slack(`override payments <@${SLACK_BOB}> now "in 20m"`);
    await until('the header to name bob', () => dutyPart().startsWith('On duty: @bob (primary) until '));
    await until('the Slack group to hold bob after the retry', () => payGroup().users.join() === SLACK_BOB);
    expect(rig.slack.callsTo('usergroups.users.update').some((c) => c.status === 429)).toBe(true);
    expect(await syncs('retried')).toBeGreaterThan(retried);
    expect(await slack('who payments')).not.toMatch(/not up to date/);
  }, 40_000);

  it('an unknown group: the reason is logged and shown by /oncall who; the handoff DMs still go out', async () => {
    await until('the failure to be logged', () => lines.some((l) => l.rotation === 'core' && l.platform === 'slack' && String(l.reason).includes('no user group with handle @core-tribute')));
    const who = await slack('who core');
    expect(who.replaceAll('\u2060', '')).toMatch(/Slack user group core-tribute is not up to date: slack: no user group with handle @core-tribute/);
    expect(await slack('who payments')).not.toMatch(/not up to date/);
    const dmsBefore = rig.slack.callsTo('chat.postMessage').filter((c) => String(c.args.channel).startsWith('D')).length;
    await slack(`override core <@${SLACK_BOB}> "in 2s" "in 1h"`);
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0CORE001' && JSON.stringify(c.args).includes('taking over from'), 20_000);
    await until('both handoff DMs', () => rig.slack.callsTo('chat.postMessage').filter((c) => String(c.args.channel).startsWith('D')).length >= dmsBefore + 2);
    expect(rig.slack.usergroupByHandle('core-tribute')).toBeUndefined();
    expect(await syncs('failed')).toBeGreaterThanOrEqual(1);
  }, 40_000);
});
