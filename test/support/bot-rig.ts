/**
 * A whole Day2 bot (createBot: real adapters, dispatcher, delivery and timer workers, HTTP
 * server) against a fake Slack and a fake Mattermost on loopback and the real Redis, under a
 * key prefix of its own that is deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createBot, type Bot } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { parseEnv } from '../../src/env.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { FakeMattermost, type FakeChannel, type FakeUser } from '../fakes/mattermost.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MM_COMMAND_TOKEN = 'e2ecommandtoken00000000000';

export interface BotRig {
  bot: Bot;
  appUrl: string;
  slack: FakeSlack;
  mattermost: FakeMattermost;
  mmAlice: FakeUser;
  mmBob: FakeUser;
  mmChannel: FakeChannel;
  prefix: string;
  /** The config file the bot reads on reload. */
  configFile: string;
  /** Day2's own keys (key-prefixed client). */
  redis: Redis;
  /** Another bot process on the same Redis prefix and fakes (closed with the rig). */
  twin(): Promise<{ bot: Bot; appUrl: string }>;
  /**
   * Add to the config file and reload it, as an operator would: `yaml` goes in just before
   * `roles:`, so it may continue the `people:` list and add top-level sections.
   */
  extendConfig(yaml: string): Promise<void>;
  close(): Promise<void>;
}

/** Slack ids of the people in the rig's config. */
export const SLACK_ALICE = 'U0ALICE01';
export const SLACK_BOB = 'U0BOB0001';
export const SLACK_CHANNEL = 'C0GENERAL';

export interface BotRigOptions {
  /** YAML appended to the rig's config (top-level sections of a feature), given the fakes' ids. */
  extraConfig?: (ids: { mmChannelId: string }) => string;
  /** YAML for `roles:` in place of the default `{ admin: [alice] }`. */
  roles?: string;
  /** Where the bot logs (default: nowhere), for tests that assert on log lines. */
  log?: Logger;
}

export async function startBotRig(opts: BotRigOptions = {}): Promise<BotRig> {
  const prefix = `t-e2e-${randomUUID().slice(0, 8)}`;
  const slack = await startFakeSlack();
  slack.addUser({ id: SLACK_ALICE, name: 'alice', real_name: 'Alice Admin', tz: 'Europe/Berlin' });
  slack.addUser({ id: SLACK_BOB, name: 'bob', real_name: 'Bob Builder', tz: 'America/New_York' });
  const mattermost = await FakeMattermost.start();
  const team = mattermost.addTeam('ops');
  const mmAlice = mattermost.addUser({ username: 'alice' });
  const mmBob = mattermost.addUser({ username: 'bob' });
  team.members.add(mmAlice.id).add(mmBob.id);
  const mmChannel = mattermost.addChannel({ team, name: 'town-square', members: [mmAlice.id, mmBob.id] });

  const configText = `
timezone: Europe/Berlin
redisPrefix: ${prefix}
people:
  - { id: alice, name: Alice Admin, slack: ${SLACK_ALICE}, mattermost: alice, timezone: Europe/Berlin }
  - { id: bob, name: Bob Builder, slack: ${SLACK_BOB}, mattermost: bob, timezone: America/New_York }
roles: ${opts.roles ?? '{ admin: [alice] }'}
${opts.extraConfig?.({ mmChannelId: mmChannel.id }) ?? ''}
`;
  const configFile = join(await mkdtemp(join(tmpdir(), 'day2-e2e-')), 'day2.yaml');
  await writeFile(configFile, configText);
  const config = parseConfig(configText);
  if (!config.ok) throw new Error(JSON.stringify(config.problems));
  const env = parseEnv({
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    MATTERMOST_URL: mattermost.url,
    MATTERMOST_TOKEN: mattermost.botToken,
    MATTERMOST_COMMAND_TOKENS: MM_COMMAND_TOKEN,
    MATTERMOST_WEBSOCKET: 'false',
    DAY2_ACTION_SECRET: 'e2e-action-secret-0123456789',
  });
  if (!env.ok) throw new Error(JSON.stringify(env.problems));

  const twins: Bot[] = [];
  const startBot = async () => {
    const b = await createBot({ env: env.env, config: config.config, configFile, redisUrl: REDIS_URL, log: opts.log ?? silentLogger });
    return { bot: b, appUrl: `http://127.0.0.1:${await b.start(0, '127.0.0.1')}` };
  };
  const { bot, appUrl } = await startBot();
  slack.appBaseUrl = appUrl;
  const redis = new Redis(REDIS_URL, { keyPrefix: `${prefix}:` });

  return {
    bot,
    appUrl,
    slack,
    mattermost,
    mmAlice,
    mmBob,
    mmChannel,
    prefix,
    configFile,
    redis,
    async twin() {
      const t = await startBot();
      twins.push(t.bot);
      return t;
    },
    async extendConfig(yaml) {
      const current = await readFile(configFile, 'utf8');
      await writeFile(configFile, current.replace('roles:', `${yaml}\nroles:`));
      const outcome = await bot.services.reload!();
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    },
    async close() {
      await Promise.all([bot, ...twins].map((b) => b.stop()));
      await slack.close();
      await mattermost.close();
      const plain = new Redis(REDIS_URL);
      const keys = await plain.keys(`*${prefix}*`);
      if (keys.length) await plain.del(...keys);
      await plain.quit();
      await redis.quit();
    },
  };
}
