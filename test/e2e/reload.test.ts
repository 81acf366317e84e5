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
});
