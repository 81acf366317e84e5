/**
 * `/day2 reload` through the whole bot: a valid new file takes effect at once; a file with problems
 * is refused with every problem listed, and the config in force stays as it was.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

let rig: BotRig;
let original: string;

beforeAll(async () => {
  rig = await startBotRig();
  original = await readFile(rig.configFile, 'utf8');
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

const say = async (user: string, text: string) => JSON.stringify((await rig.slack.sendCommand({ command: '/day2', text, user_id: user, channel_id: SLACK_CHANNEL })).json);

describe('config reload', () => {
  it('refuses a file with problems, lists each, and keeps the config in force', async () => {
    await writeFile(rig.configFile, original.replace('admin: [alice]', 'admin: [alice, ghost]').replace('timezone: Europe/Berlin', 'timezone: Europe/Nowhere'));
    const answer = await say(SLACK_ALICE, 'reload');
    expect(answer).toContain('2 problems');
    expect(answer).toContain('ghost');
    expect(answer).toContain('Europe/Nowhere');
    expect(rig.bot.services.config().timezone).toBe('Europe/Berlin');
    expect(await say(SLACK_ALICE, 'whoami')).toContain('admin');
    expect(await rig.redis.xlen('audit')).toBe(0);
  });

  it('applies a valid file at once: new roles count from the next command', async () => {
    expect(await say(SLACK_BOB, 'reload')).toMatch(/admin/); // refused: bob is not an admin yet
    await writeFile(rig.configFile, original.replace('admin: [alice]', 'admin: [alice, bob]'));
    expect(await say(SLACK_ALICE, 'reload')).toMatch(/reloaded/i);
    expect(await say(SLACK_BOB, 'whoami')).toContain('admin');
    expect(await rig.redis.xlen('audit')).toBe(1);
  });

  it('applies a rotation whose layers overlap, and says where they do', async () => {
    const withRotation = `${original.replace('admin: [alice]', 'admin: [alice, bob]')}
teams:
  - { id: payments, name: Payments, members: [alice, bob] }
rotations:
  - id: pay
    team: payments
    timezone: Europe/Berlin
    anchor: "2026-11-02 00:00"
    turn: 1d
    layers:
      - { name: emea, slot: primary, precedence: 1, members: [alice], restriction: { days: [mon, tue, wed, thu, fri, sat, sun], from: "06:00", to: "15:00" } }
      - { name: amer, slot: primary, precedence: 2, members: [bob], restriction: { days: [mon, tue, wed, thu, fri, sat, sun], from: "14:00", to: "23:00" } }
`;
    await writeFile(rig.configFile, withRotation);
    const answer = await say(SLACK_ALICE, 'reload');
    expect(answer).toMatch(/reloaded/i);
    expect(answer).toMatch(/rotation pay: layers emea and amer cover the same slot/);
    expect(rig.bot.services.config().rotations.map((r) => r.id)).toEqual(['pay']);
  });
});
