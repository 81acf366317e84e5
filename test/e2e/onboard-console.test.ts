/**
 * The onboarding questionnaire as a conversation in the console adapter (which has no forms):
 * the whole bot, real Redis, lines typed one by one, with back / skip / review / edit / cancel,
 * re-asked answers, a resumable draft and the submission.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/app.js';
import type { ConsoleAdapter } from '../../src/chat/console/adapter.js';
import { parseConfig } from '../../src/config.js';
import { parseEnv } from '../../src/env.js';
import { silentLogger } from '../../src/log.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `t-onb-${randomUUID().slice(0, 8)}`;

let bot: Bot;
let input: PassThrough;
let printed = '';

beforeAll(async () => {
  const config = parseConfig(`
timezone: Europe/Berlin
redisPrefix: ${prefix}
people:
  - { id: bob, name: Bob Builder, timezone: Europe/Berlin }
  - { id: carol, name: Carol Claimer, timezone: Asia/Singapore }
roles: { obe: [carol] }
environments:
  - { id: staging, name: Staging }
  - { id: prod, name: Production }
`);
  if (!config.ok) throw new Error(JSON.stringify(config.problems));
  const env = parseEnv({ DAY2_CONSOLE: 'true' });
  if (!env.ok) throw new Error(JSON.stringify(env.problems));
  input = new PassThrough();
  const output = new PassThrough();
  output.on('data', (c: Buffer) => (printed += c.toString('utf8')));
  bot = await createBot({ env: env.env, config: config.config, redisUrl: REDIS_URL, log: silentLogger, console: { input, output, interactive: false, userId: 'bob' } });
  await bot.start(0, '127.0.0.1');
}, 30_000);

afterAll(async () => {
  await bot?.stop();
  const plain = new Redis(REDIS_URL);
  const keys = await plain.keys(`*${prefix}*`);
  if (keys.length) await plain.del(...keys);
  await plain.quit();
});

/** Type a line and return what the bot printed in answer. */
async function say(line: string): Promise<string> {
  const from = printed.length;
  input.write(`${line}\n`);
  await new Promise((r) => setImmediate(r));
  await (bot.adapters.get('console') as ConsoleAdapter).idle();
  return printed.slice(from);
}

const draftOf = async () => (await bot.services.onboarding!.store.drafts.get('console.bob'))?.value;

describe('onboarding as a console conversation', () => {
  it('walks the questionnaire with back, skip, re-asks, conditional questions, review, edit and submit', async () => {
    expect(await say('/onboard start')).toMatch(/Question 1 of \d+[\s\S]*Capability name/);
    expect(await say('back')).toMatch(/This is the first question/);
    expect(await say('Ledger <!channel> @here')).toMatch(/What does it do\?/);
    expect(await say('skip')).toMatch(/required, so it cannot be skipped/);
    expect(await say('Keeps the books')).toMatch(/Team/);
    await say('Money');
    expect(await say('bob, carol')).toMatch(/Source repository URL/);
    expect(await say('not a url')).toMatch(/Not a URL[\s\S]*Source repository URL/);
    const envs = await say('https://git.example.com/ledger');
    expect(envs).toMatch(/Target environments[\s\S]*1\. Staging[\s\S]*2\. Production/);
    // With no service catalog configured, "services" takes free text.
    expect(await say('1, Production')).toMatch(/Platform services needed[\s\S]*optional/);
    expect(await say('skip')).toMatch(/Projected users/);
    expect(await say('many')).toMatch(/not a whole number/);
    expect(await say('1,200')).toMatch(/Data volume/);
    expect(await say('2')).toMatch(/IA maturity/);
    expect(await say('assessed')).toMatch(/Custom buildpacks\?/);
    expect(await say('yes')).toMatch(/Which custom buildpacks\?/);

    // The draft is saved as it goes: a pause or a restart loses nothing.
    const mid = await draftOf();
    expect(mid?.answers).toMatchObject({ capability: 'Ledger <!channel> @here', users: 1200, environments: ['staging', 'prod'], data_volume: '10g-100g', custom_buildpacks: true });
    expect(await say('/onboard resume')).toMatch(/Which custom buildpacks\?/);

    expect(await say('back')).toMatch(/Custom buildpacks\?[\s\S]*Current answer: Yes/);
    expect(await say('no')).toMatch(/Third-party integrations/); // the follow-up is no longer asked
    expect(await say('skip')).toMatch(/go-live/);
    expect(await say('2027-02-30')).toMatch(/not a date/);
    const review = await say('2027-03-01');
    expect(review).toMatch(/Review/);
    expect(review).not.toMatch(/Which custom buildpacks/);
    expect(await say('edit 1')).toMatch(/Capability name[\s\S]*Current answer/);
    expect(await say('Ledger v2')).toMatch(/Review[\s\S]*Ledger v2/);
    const done = await say('submit');
    expect(done).toMatch(/Submitted as ob-1/);

    const req = (await bot.services.onboarding!.store.requests.get('ob-1'))!.value;
    expect(req.status).toBe('submitted');
    expect(req.answers).toEqual({
      capability: 'Ledger v2',
      description: 'Keeps the books',
      team: 'Money',
      contacts: 'bob, carol',
      repository: 'https://git.example.com/ledger',
      environments: ['staging', 'prod'],
      users: 1200,
      data_volume: '10g-100g',
      ia_maturity: 'assessed',
      custom_buildpacks: false,
      go_live: '2027-03-01',
    });
    expect(await draftOf()).toBeUndefined();
    // Once submitted, plain lines are no longer answers.
    expect(await say('hello')).not.toMatch(/Question/);
    expect(await say('/onboard status')).toMatch(/ob-1[\s\S]*submitted/);
  }, 30_000);

  it('cancel discards the draft; an answer with nothing in progress says so', async () => {
    expect(await say('/onboard start --chat')).toMatch(/Question 1/);
    expect(await draftOf()).toBeDefined();
    expect(await say('cancel')).toMatch(/Cancelled/);
    expect(await draftOf()).toBeUndefined();
    expect(await say('/onboard answer whatever')).toMatch(/no questionnaire in progress/);
    // Nothing to do is information, not a success.
    expect(await say('/onboard cancel')).toMatch(/ℹ️ You have no questionnaire in progress: nothing to discard\./);
    expect(await say('/onboard resume')).toMatch(/ℹ️ You have no questionnaire in progress\./);
  });

  it('names people (not their handles) and shows times in the reader\'s zone: status, export, a second claim', async () => {
    const status = await say('/onboard status ob-1');
    expect(status).toMatch(/requested by @Bob Builder/);
    expect(status).toMatch(/@Bob Builder: submitted/);
    await say('/day2 as carol');
    expect(await say('/onboard claim ob-1')).toMatch(/You claimed ob-1/);
    expect(await say('/onboard claim ob-1')).toMatch(/You have already claimed ob-1; it is claimed\./);
    const md = await say('/onboard export ob-1');
    expect(md).toMatch(/Requested by: Bob Builder on \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d GMT\+8 \(Singapore\)/);
    expect(md).toMatch(/Onboarding engineer: Carol Claimer \(claimed /);
    expect(md).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    // Scheduling says what it did to whoever typed it, in their zone.
    expect(await say('/onboard meeting ob-1 "in 3d" 45m')).toMatch(/The onboarding meeting for ob-1 is set for \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d GMT\+8 \(Singapore\) \(45 min\)/);
    // A claim seconds after submission is not "0.0 h".
    expect(await say('/onboard stats')).toMatch(/Time to claim: median (under a minute|\d+ min), longest (under a minute|\d+ min) \(1 claimed\)/);
    await say('/day2 as bob');
    const bobs = await say('/onboard status ob-1');
    expect(bobs).toMatch(/onboarding engineer @Carol Claimer/);
    // The meeting Carol set in Singapore time reads in Berlin time for Bob, in the history too.
    expect(bobs).toMatch(/@Carol Claimer: [^\n]* — meeting \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d CET \(45 min\)/);
    expect(bobs).not.toMatch(/GMT\+8/);
  });
});
