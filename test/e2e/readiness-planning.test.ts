/**
 * A bot with eleven cadences and a rotation in its config: /readyz names the start-up planning as
 * a check of its own, and from the first moment it answers ready, `/cadence list`, the cadence
 * feed and the store all hold every declared cadence, each planned (before, a feed or a list in
 * the seconds after "ready" could miss some).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ALICE, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';
import { parseFeed } from '../support/ical-feed.js';

const ICAL_TOKEN = 'e2e-readiness-ical-token-0123';
const NAMES = Array.from({ length: 11 }, (_, i) => `cadence-${String(i + 1).padStart(2, '0')}`);

let rig: BotRig;
/** Every /readyz answer seen before the first ready one, and that one. */
const answers: { ready: boolean; checks: { name: string; ok: boolean; error?: string }[] }[] = [];
let atReady: { list: string; feed: string; planned: number } | undefined;

beforeAll(async () => {
  rig = await startBotRig({
    extraConfig: () => `
teams:
  - { id: payments, name: Payments, members: [alice, bob] }
rotations:
  - { id: pay, team: payments, anchor: "2026-11-02 09:00", turn: 1w, members: [alice, bob] }
cadence:
  icalToken: ${ICAL_TOKEN}
  cadences:
${NAMES.map((n, i) => `    - { name: ${n}, schedule: weekly ${['mon', 'tue', 'wed', 'thu', 'fri'][i % 5]}, time: "1${i % 10}:00", channels: { slack: [C0CADENCE1] } }`).join('\n')}
`,
  });
  // Poll as an orchestrator would; the moment it says ready, read what a user would.
  const deadline = Date.now() + 20_000;
  while (!atReady && Date.now() < deadline) {
    const answer = (await (await fetch(`${rig.appUrl}/readyz`)).json()) as (typeof answers)[number];
    answers.push(answer);
    if (!answer.ready) continue;
    const [list, feed, stored] = await Promise.all([
      cadenceList(),
      fetch(`${rig.appUrl}/ical/cadence.ics?token=${ICAL_TOKEN}`).then((r) => r.text()),
      rig.bot.services.cadence!.store.cadences.list(),
    ]);
    atReady = { list, feed, planned: stored.filter((c) => c.value.planned).length };
  }
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

async function cadenceList(): Promise<string> {
  const res = await rig.slack.sendCommand({ command: '/cadence', text: 'list', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
  let body = res.json as Record<string, unknown> | undefined;
  if (!body?.text && !body?.blocks) body = (await rig.slack.waitForResponseUrl((p) => p.id === res.responseUrl.split('/').pop())).body as Record<string, unknown>;
  return JSON.stringify(body);
}

describe('readiness waits for the start-up planning', () => {
  it('names the planning among its checks, and says what it waits for while not ready', () => {
    expect(atReady).toBeDefined();
    for (const a of answers) expect(a.checks.map((c) => c.name).sort()).toEqual(['mattermost', 'planning', 'redis', 'slack']);
    for (const a of answers.filter((x) => !x.ready)) {
      const planning = a.checks.find((c) => c.name === 'planning')!;
      if (!planning.ok) expect(planning.error).toBe("loading and planning the config's cadences and rotations: still in progress");
    }
  });

  it('when ready, every declared cadence is stored, planned, listed and in the feed', () => {
    expect(atReady!.planned).toBe(NAMES.length);
    for (const n of NAMES) expect(atReady!.list).toContain(n);
    const uids = new Set(parseFeed(atReady!.feed).map((e) => e.uid.replace(/-\d{8}T\d{4}$/, '')));
    expect([...uids].sort()).toEqual(NAMES.map((n) => `day2-cadence-${n}`));
  });
});
