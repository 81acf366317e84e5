/**
 * Reloads that must not wipe the bot: an empty file, a rule that would pin the event loop, and a
 * cadence taken out of the config. Whole bot (startBotRig), real Redis; the cadence sync runs
 * every 10 s, so some tests wait past it to prove nothing was deleted behind the answer.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ALICE, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

const CADENCE = `    - { name: weekly-sync, schedule: weekly mon, time: "10:00", channels: { slack: [${SLACK_CHANNEL}] } }`;
/** The cadence sync interval (src/services/cadence/wiring.ts) plus a margin. */
const PAST_CADENCE_SYNC_MS = 11_500;

let rig: BotRig;
let original: string;

beforeAll(async () => {
  rig = await startBotRig({
    extraConfig: () => `cadence:\n  channels: { slack: [${SLACK_CHANNEL}] }\n  cadences:\n${CADENCE}\n`,
  });
  original = await readFile(rig.configFile, 'utf8');
  await waitFor(async () => (await store().cadences.get('weekly-sync'))?.value.planned);
  await store().cadences.update('weekly-sync', (c) => ({ ...c, agenda: [{ id: 'a1', text: 'review the upgrade plan', by: 'alice', at: new Date().toISOString() }] }));
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

const store = () => rig.bot.services.cadence!.store;
const say = async (text: string) => JSON.stringify((await rig.slack.sendCommand({ command: '/day2', text, user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL })).json);
const metric = async (name: string) => {
  const body = await (await fetch(`${rig.appUrl}/metrics`)).text();
  const line = body.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
};

async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('reload safety', () => {
  it('/day2 reload of an empty file answers the problem and keeps admins, cadences and their agenda', async () => {
    const goodAt = await metric('day2_config_last_reload_success_timestamp_seconds');
    expect(goodAt).toBeGreaterThan(0);
    await writeFile(rig.configFile, '');
    const answer = await say('reload');
    expect(answer).toContain('1 problem');
    expect(answer).toContain('the file is empty');
    expect(answer).toContain('the current one stays in force');
    expect(await say('whoami')).toContain('admin');
    expect(await metric('day2_config_last_reload_successful')).toBe(0);
    expect(await metric('day2_config_last_reload_success_timestamp_seconds')).toBe(goodAt);
    // Past the cadence sync: the declared cadence, its agenda and its timer are all still there.
    await new Promise((r) => setTimeout(r, PAST_CADENCE_SYNC_MS));
    const c = (await store().cadences.get('weekly-sync'))?.value;
    expect(c?.agenda.map((a) => a.text)).toEqual(['review the upgrade plan']);
    expect(await rig.redis.exists(`timer:cadence-fire:weekly-sync.${c!.planned!.occurrence}`)).toBe(1);
  }, 30_000);

  it('FREQ=SECONDLY freeze is refused by reload and the running config stays', async () => {
    await writeFile(rig.configFile, `${original}releases:\n  recurringFreezes:\n    - { id: tick, reason: every second, rrule: "FREQ=SECONDLY" }\n`);
    const answer = await say('reload');
    expect(answer).toContain('releases.recurringFreezes[0].rrule');
    expect(answer).toContain('a freeze recurs at most daily');
    expect(rig.bot.services.config().releases.recurringFreezes).toEqual([]);
    expect(await metric('day2_config_last_reload_successful')).toBe(0);
  });

  it('a cadence removed from the config stops, keeps its agenda and is restored when put back', async () => {
    const before = (await store().cadences.get('weekly-sync'))!.value;
    await writeFile(rig.configFile, original.replace(`  cadences:\n${CADENCE}`, '  cadences: []'));
    expect(await say('reload')).toMatch(/reloaded/i);
    expect(await metric('day2_config_last_reload_successful')).toBe(1);
    // The cadence sync picks the change up within 10 s: the live record goes, a retired copy stays.
    await waitFor(async () => (await store().cadences.get('weekly-sync')) === undefined);
    const retired = (await store().retired.get('weekly-sync'))!.value;
    expect(retired.cadence.agenda.map((a) => a.text)).toEqual(['review the upgrade plan']);
    expect(await rig.redis.exists(`timer:cadence-fire:weekly-sync.${before.planned!.occurrence}`)).toBe(0);

    await writeFile(rig.configFile, original);
    expect(await say('reload')).toMatch(/reloaded/i);
    const restored = await waitFor(async () => (await store().cadences.get('weekly-sync'))?.value);
    expect(restored.agenda.map((a) => a.text)).toEqual(['review the upgrade plan']);
    expect(restored.createdAt).toBe(before.createdAt);
    await waitFor(async () => (await store().cadences.get('weekly-sync'))?.value.planned);
    expect(await store().retired.get('weekly-sync')).toBeUndefined();
  }, 40_000);

  it('a rotation removed from the config keeps its overrides and has them when put back', async () => {
    const withRotation = `${original}teams:
  - { id: payments, name: Payments, members: [alice, bob] }
rotations:
  - id: pay
    team: payments
    timezone: Europe/Berlin
    anchor: "2026-11-02 00:00"
    turn: 1w
    layers:
      - { name: main, slot: primary, precedence: 1, members: [alice, bob] }
`;
    await writeFile(rig.configFile, withRotation);
    expect(await say('reload')).toMatch(/reloaded/i);
    const oncall = rig.bot.services.oncall!;
    const from = new Date(Date.now() + 86_400_000);
    const override = await oncall.addOverride('pay', { slot: 'primary', person: 'bob', from, to: new Date(from.getTime() + 3_600_000) }, new Date());

    await writeFile(rig.configFile, original);
    expect(await say('reload')).toMatch(/reloaded/i);
    expect(rig.bot.services.config().rotations).toEqual([]);
    expect((await oncall.state('pay')).overrides.map((o) => o.id)).toEqual([override.id]);

    await writeFile(rig.configFile, withRotation);
    expect(await say('reload')).toMatch(/reloaded/i);
    expect((await oncall.state('pay')).overrides.map((o) => o.id)).toEqual([override.id]);
  });
});
