/**
 * The console as a whole workspace: acting as other people, numbered buttons, labels saying where
 * each message went and for whom, friendly answers to plain lines, a script's summary and exit
 * code, console channels as real delivery targets owned by their own console, and targets on
 * platforms that are not running settled when queued.
 */
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/app.js';
import { QUEUES } from '../../src/delivery/queues.js';
import { parseEnv } from '../../src/env.js';
import { silentLogger } from '../../src/log.js';
import { queuePrefix } from '../../src/store/redis.js';
import { REDIS_URL, exampleConfig, startConsole, type ConsoleSession } from '../support/console-script.js';

const prefix = `t-ws-${randomUUID().slice(0, 8)}`;
let first: ConsoleSession;
/** A bot without a console on the same Redis prefix, as a test bot or a Slack deployment would be. */
let other: Bot;

beforeAll(async () => {
  first = await startConsole({ prefix });
  const env = parseEnv({ DAY2_CONSOLE: 'false' });
  if (!env.ok) throw new Error(JSON.stringify(env.problems));
  other = await createBot({ env: env.env, config: exampleConfig(prefix), redisUrl: REDIS_URL, log: silentLogger });
  await other.start(0, '127.0.0.1');
}, 60_000);

afterAll(async () => {
  await other?.stop();
  await first?.close();
});

const message = (body: string) => ({ body, summary: body });

describe('acting as someone else', () => {
  it('switches who is typing; the prompt and the roles follow', async () => {
    expect(await first.type('/day2 as')).toMatch(/People you can be: alice \(Alice Example\), bob \(Bob Example\)/);
    const as = await first.type('/day2 as dana');
    expect(as).toMatch(/You are now Dana Example \(dana\)/);
    // Dana is no PRE: the refusal is an answer, printed to her alone.
    expect(await first.type('/notice outage prod-east sev2 API down')).toMatch(/dana #console> \/notice outage[\s\S]*── only Dana Example sees this, in #console/);
    expect(await first.type('/day2 whoami')).toMatch(/Person: Dana Example/);
  });

  it('refuses a person who is not in the config, saying how to list people', async () => {
    expect(await first.type('/day2 as nobody')).toMatch(/⚠️ There is no person "nobody" in the config\. \/day2 as \(without a name\) lists the people/);
    expect(await first.type('/day2 whoami')).toMatch(/Person: Dana Example/);
  });
});

describe('buttons by number', () => {
  it('numbers every button shown and presses one by its number, as whoever types it', async () => {
    await first.type('/day2 as alice');
    const preview = await first.type('/notice outage prod-east sev2 components=api API returns 503');
    const m = /\[(\d+)\] Send to 4 channels {2}\[(\d+)\] Discard/.exec(preview);
    expect(m, preview).not.toBeNull();
    const sent = await first.type(m![1]!);
    expect(sent).toMatch(/── only Alice Example sees this: the answer with that button now reads\nNotice `\d+` is going out/);
    expect(sent).toMatch(/── #payments · new post \[m\d+\]/);
    expect(sent).toMatch(/── #prod-east-notices · new post \[m\d+\]/);
    // The author's report: the Slack and Mattermost channels were never tried, one line says so.
    expect(sent).toMatch(/── DM to Alice Example \(alice\)[\s\S]*Delivered to 2\/2 channels\.\nNot sent: 2 channels on mattermost, slack, which this Day2 is not connected to\./);
    expect(sent).not.toMatch(/Retry failed channels/);
  });

  it('says so when a number has no button', async () => {
    expect(await first.type('9999')).toMatch(/⚠️ There is no button 9999: buttons shown so far are numbered 1 to \d+\./);
  });
});

describe('console channels', () => {
  it('can be typed in, subscribed to notices and then reached by them', async () => {
    await first.type('/day2 as alice');
    expect(await first.type('/day2 in ops-room')).toMatch(/You are now typing in #ops-room/);
    expect(await first.type('/day2 in Not A Channel')).toMatch(/⚠️ Usage: \/day2 in <channel>/);
    expect(await first.type('/notice subscribe prod-east outage')).toMatch(/alice #ops-room> \/notice subscribe[\s\S]*── only Alice Example sees this, in #ops-room/);
    const preview = await first.type('/notice outage prod-east sev3 components=db Slow queries');
    expect(preview).toMatch(/3 in the console/);
    await first.type(/\[(\d+)\] Send to/.exec(preview)![1]!);
    expect(first.printed()).toMatch(/── #ops-room · new post \[m\d+\]\n[^\n]*SEV3 outage in Production East/);
    await first.type('/day2 in console');
  });
});

describe('plain lines', () => {
  it('get a short answer with the closest commands', async () => {
    const answer = await first.type('who is on call for payments?');
    expect(answer).toMatch(/I only understand commands\. These look closest to what you wrote:[\s\S]*`\/day2 oncall who \[team\]`/);
    expect(answer).not.toMatch(/There is no command/);
  });
});

describe('console deliveries', () => {
  it("go through the console's own queue, which a bot without that console never works", async () => {
    // Queued by the bot without a console (a timer that fired there): it goes to the live console.
    await other.deliveries.enqueue([{ key: `ws-${randomUUID().slice(0, 6)}`, revision: 1, target: { platform: 'console', channelId: 'infra' }, message: message('Sent from the other bot') }]);
    await first.bot.deliveries.enqueue([{ key: `ws-${randomUUID().slice(0, 6)}`, revision: 1, target: { platform: 'console', channelId: 'infra' }, message: message('Sent from the console') }]);
    await first.type('/day2 whoami');
    expect(first.printed()).toMatch(/── #infra · new post \[m\d+\]\nSent from the other bot/);
    expect(first.printed()).toMatch(/── #infra · new post \[m\d+\]\nSent from the console/);
    // The shared delivery queue, which the other bot works, never saw either.
    const conn = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.delivery, { connection: conn, prefix: queuePrefix(prefix) });
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(jobs.filter((j) => (j.data as { target?: { platform?: string } }).target?.platform === 'console')).toEqual([]);
    await queue.close();
    await conn.quit();
  });

  it('label a DM to another person, a thread reply under its root and an edit with its revision', async () => {
    const key = `ws-${randomUUID().slice(0, 6)}`;
    const d = first.bot.deliveries;
    const before = first.printed().length;
    await d.enqueue([{ key: `${key}-dm`, revision: 1, target: { platform: 'console', userId: 'bob' }, message: message('Hello Bob') }]);
    await d.enqueue([{ key, revision: 1, target: { platform: 'console', channelId: 'infra' }, message: message('Root post') }]);
    await d.enqueue([{ key: `${key}-r`, revision: 1, parentKey: key, target: { platform: 'console', channelId: 'infra' }, message: message('A reply') }]);
    await d.enqueue([{ key, revision: 2, target: { platform: 'console', channelId: 'infra' }, message: message('Root post, edited') }]);
    await first.type('/day2 whoami');
    const out = first.printed().slice(before);
    expect(out).toMatch(/── DM to Bob Example \(bob\) \[m\d+\]\nHello Bob/);
    const root = /── #infra · new post \[(m\d+)\]\nRoot post/.exec(out)?.[1];
    expect(root).toBeDefined();
    expect(out).toContain(`── #infra · reply`);
    expect(out).toMatch(new RegExp(`reply \\[m\\d+\\] in the thread of \\[${root}\\] "Root post"\\nA reply`));
    expect(out).toMatch(new RegExp(`── #infra · \\[${root}\\] edited, now revision 2\\nRoot post, edited`));
  });

  it('to a platform this Day2 does not run are recorded as not sent, and never queued', async () => {
    const key = `ws-${randomUUID().slice(0, 6)}`;
    await first.bot.deliveries.enqueue([{ key, revision: 1, target: { platform: 'slack', channelId: 'C0NOWHERE' }, message: message('Nobody reads this') }]);
    const [entry] = await first.bot.deliveries.status(key);
    expect(entry).toMatchObject({ state: 'failed', error: 'not_running: slack is not connected to this Day2', attempts: 0 });
    const conn = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.delivery, { connection: conn, prefix: queuePrefix(prefix) });
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    expect(jobs.filter((j) => (j.data as { key?: string }).key === key)).toEqual([]);
    await queue.close();
    await conn.quit();
  });
});

describe('a script', () => {
  it('counts lines, answers and errors, and exits 1 when a line failed', async () => {
    const s = await startConsole();
    try {
      await s.type('/day2 whoami', '/day2 as carol', '/notice outage prod-east sev2 Nope', '/day2 nonsense', '/day2 as nobody', '/oncall who payments');
      const code = await s.end();
      expect(s.printed()).toMatch(/Script done: 6 lines, 4 answered, 2 errors\.\n$/);
      expect(code).toBe(1);
    } finally {
      await s.close();
    }
  }, 60_000);
});
