/**
 * A whole bot (createBot) for notices tests: fake Slack and fake Mattermost on loopback with
 * many channels, environments with their PREs, notice subscriptions in the config, and the real
 * Redis under a prefix of its own that is deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createBot, type Bot } from '../../../src/app.js';
import { parseConfig, type Config } from '../../../src/config.js';
import { parseEnv, type Env } from '../../../src/env.js';
import { silentLogger } from '../../../src/log.js';
import { FakeMattermost, type FakeChannel, type FakeTeam, type FakeUser } from '../../fakes/mattermost.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MM_TOKEN = 'noticecommandtoken00000000';
export const SLACK_ALICE = 'U0ALICE01';
export const SLACK_BOB = 'U0BOB0001';
export const SLACK_CAROL = 'U0CAROL01';
/** An admin who is no environment's PRE. */
export const SLACK_DANA = 'U0DANA001';

export interface NoticeWorld {
  slack: FakeSlack;
  mattermost: FakeMattermost;
  team: FakeTeam;
  mm: { alice: FakeUser; bob: FakeUser };
  slackChannels: string[];
  mmChannels: FakeChannel[];
  prefix: string;
  configText: string;
  config: Config;
  env: Env;
  close(): Promise<void>;
}

/** Slack channel ids `C0N000001`… (the fake accepts any well-formed id). */
export const slackChannel = (i: number) => `C0N${String(i).padStart(6, '0')}`;

export async function startNoticeWorld(opts: { slackChannels: number; mattermostChannels: number; delivery?: string; perChannelRateLimit?: boolean; reminderOffsets?: string[] }): Promise<NoticeWorld> {
  const prefix = `t-notices-${randomUUID().slice(0, 8)}`;
  const slack = await startFakeSlack({ perChannelRateLimit: opts.perChannelRateLimit ?? false });
  slack.addUser({ id: SLACK_ALICE, name: 'alice', real_name: 'Alice PRE', tz: 'Europe/Berlin' });
  slack.addUser({ id: SLACK_BOB, name: 'bob', real_name: 'Bob PRE', tz: 'America/New_York' });
  slack.addUser({ id: SLACK_CAROL, name: 'carol', real_name: 'Carol Dev', tz: 'UTC' });
  slack.addUser({ id: SLACK_DANA, name: 'dana', real_name: 'Dana Admin', tz: 'UTC' });
  const mattermost = await FakeMattermost.start();
  const team = mattermost.addTeam('ops');
  const alice = mattermost.addUser({ username: 'alice' });
  const bob = mattermost.addUser({ username: 'bob' });
  team.members.add(alice.id).add(bob.id);
  const slackChannels = Array.from({ length: opts.slackChannels }, (_, i) => slackChannel(i + 1));
  const mmChannels = Array.from({ length: opts.mattermostChannels }, (_, i) => mattermost.addChannel({ team, name: `notices-${i + 1}`, members: [alice.id, bob.id] }));
  const subs = [
    ...slackChannels.map((c) => `    - { env: prod-east, platform: slack, channel: ${c} }`),
    ...mmChannels.map((c) => `    - { env: prod-east, platform: mattermost, channel: ${c.id} }`),
  ].join('\n');
  const configText = `
timezone: Europe/Berlin
redisPrefix: ${prefix}
people:
  - { id: alice, name: Alice PRE, slack: ${SLACK_ALICE}, mattermost: alice, timezone: Europe/Berlin }
  - { id: bob, name: Bob PRE, slack: ${SLACK_BOB}, mattermost: bob, timezone: America/New_York }
  - { id: carol, name: Carol Dev, slack: ${SLACK_CAROL} }
  - { id: dana, name: Dana Admin, slack: ${SLACK_DANA} }
roles:
  admin: [dana]
environments:
  - { id: prod-east, name: Production East, classification: CUI, pres: [alice] }
  - { id: staging, name: Staging, classification: UNCLASSIFIED, pres: [bob] }
notices:
  reminderOffsets: [${(opts.reminderOffsets ?? ['24h', '1h']).join(', ')}]
  subscriptions:
${subs || '    []'}
${opts.delivery ?? 'delivery: { perChannelIntervalMs: 50, perPlatformPerSecond: 500, attempts: 3 }'}
`.replace('subscriptions:\n    []', 'subscriptions: []');
  const parsed = parseConfig(configText);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const env = parseEnv({
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    MATTERMOST_URL: mattermost.url,
    MATTERMOST_TOKEN: mattermost.botToken,
    MATTERMOST_COMMAND_TOKENS: MM_TOKEN,
    MATTERMOST_WEBSOCKET: 'false',
    DAY2_ACTION_SECRET: 'notices-action-secret-0123456789',
  });
  if (!env.ok) throw new Error(JSON.stringify(env.problems));
  return {
    slack,
    mattermost,
    team,
    mm: { alice, bob },
    slackChannels,
    mmChannels,
    prefix,
    configText,
    config: parsed.config,
    env: env.env,
    async close() {
      await slack.close();
      await mattermost.close();
      const plain = new Redis(REDIS_URL);
      for (const pattern of [`${prefix}:*`, `*${prefix}*`]) {
        let cursor = '0';
        do {
          const [next, batch] = await plain.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
          cursor = next;
          if (batch.length) await plain.del(...batch);
        } while (cursor !== '0');
      }
      await plain.quit();
    },
  };
}

export async function startWorldBot(world: NoticeWorld, opts: { worker?: { lockDurationMs?: number; stalledIntervalMs?: number; concurrency?: number } } = {}): Promise<{ bot: Bot; url: string }> {
  const bot = await createBot({ env: world.env, config: world.config, redisUrl: REDIS_URL, log: silentLogger, ...opts });
  const url = `http://127.0.0.1:${await bot.start(0, '127.0.0.1')}`;
  world.slack.appBaseUrl = url;
  return { bot, url };
}

/** Keys of the Day2 messages in a Slack channel (delivery keys in message metadata). */
export function slackKeys(slack: FakeSlack, channel: string): string[] {
  return slack
    .messages(channel)
    .map((m) => m.metadata?.event_payload.key)
    .filter((k): k is string => typeof k === 'string');
}

export function mattermostKeys(mm: FakeMattermost, channelId: string): string[] {
  return mm
    .postsIn(channelId)
    .map((p) => p.props.day2_key)
    .filter((k): k is string => typeof k === 'string');
}

export async function until(what: string, fn: () => boolean | Promise<boolean>, timeoutMs = 30_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
