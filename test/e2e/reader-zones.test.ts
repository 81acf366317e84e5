/**
 * Every answer is shown in its reader's zone, named: the zone in the config for people who have
 * one, else the zone of their platform profile, else the config's default. A time typed by the
 * reader comes back as the time they typed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeUser } from '../fakes/mattermost.js';
import { MM_COMMAND_TOKEN, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

let rig: BotRig;
let carol: FakeUser;
let dave: FakeUser;

beforeAll(async () => {
  rig = await startBotRig();
  // Carol has no zone in the config; her Mattermost profile says Singapore. Dave's config says UTC.
  carol = rig.mattermost.addUser({ username: 'carol', timezone: { useAutomaticTimezone: 'false', manualTimezone: 'Asia/Singapore' } });
  dave = rig.mattermost.addUser({ username: 'dave', timezone: { useAutomaticTimezone: 'false', manualTimezone: 'Asia/Tokyo' } });
  for (const u of [carol, dave]) rig.mmChannel.members.add(u.id);
  await rig.extendConfig(`  - { id: carol, name: Carol Chen, mattermost: carol }
  - { id: dave, name: Dave Doe, mattermost: dave, timezone: UTC }
environments:
  - { id: prod, name: Production, timezone: Europe/Berlin, pres: [alice, bob, carol, dave] }`);
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

const mmNotice = async (user: FakeUser, text: string) => {
  const res = await rig.mattermost.sendCommand(rig.appUrl, { command: '/notice', text, token: MM_COMMAND_TOKEN, user_id: user.id, user_name: user.username, channel_id: rig.mmChannel.id });
  expect(res.status).toBe(200);
  return JSON.stringify(res.body);
};

const TYPED = 'maintenance prod "2030-06-03 09:00" 2h Zone check';

describe("answers in the reader's zone", () => {
  it('uses the profile zone of a person the config gives none', async () => {
    const answer = await mmNotice(carol, TYPED);
    expect(answer).toContain('Mon 3 Jun 2030, 09:00 GMT+8 (Singapore)');
    expect(answer).toContain('Mon 3 Jun 2030, 11:00 GMT+8 (Singapore)');
    expect(answer).not.toMatch(/CEST|\d{4}-\d{2}-\d{2}T/);
  });

  it("prefers the config's zone over the profile's", async () => {
    const answer = await mmNotice(dave, TYPED);
    expect(answer).toContain('Mon 3 Jun 2030, 09:00 UTC');
    expect(answer).not.toMatch(/Tokyo|GMT\+9/);
  });

  it("shows Slack's fallback text in the reader's zone too", async () => {
    const { status, body } = await rig.slack.commandAnswer({ command: '/notice', text: TYPED, user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    expect(status).toBe(200);
    const text = JSON.stringify(body);
    // Blocks hold date tokens each reader sees in their own zone; their fallback is Bob's New York.
    expect(text).toContain('Mon 3 Jun 2030, 09:00 EDT');
    expect(text).not.toMatch(/CEST|Europe\/Berlin/);
  });

  it("says a refusal's instants in the reader's zone", async () => {
    const answer = await mmNotice(carol, 'maintenance prod "2030-06-03 09:00" "2030-06-03 08:00" Backwards');
    expect(answer).toContain('is not after the start (Mon 3 Jun 2030, 09:00 GMT+8 (Singapore))');
  });
});
