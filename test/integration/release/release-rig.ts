/**
 * A whole bot for release tests: like test/support/bot-rig.ts (real adapters, workers, Redis,
 * fake Slack and Mattermost on loopback) but with the release cast — a RelE, an app owner, a PRE
 * of the environment and a developer with no role — and a clock the test moves. The clock is a
 * day or more behind the real one, so timers the bot plans "an hour before" a release are already
 * due for BullMQ and fire at once: the countdown can be seen without waiting.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { createBot, type Bot } from '../../../src/app.js';
import { parseConfig } from '../../../src/config.js';
import { parseEnv } from '../../../src/env.js';
import { silentLogger } from '../../../src/log.js';
import { FakeMattermost, type FakeChannel, type FakeUser } from '../../fakes/mattermost.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MM_TOKEN = 'releasecommandtoken0000000';
export const SLACK = { rex: 'U0REX0001', olga: 'U0OLGA001', pat: 'U0PAT0001', dev: 'U0DEV0001' } as const;
export const SLACK_RELEASES = 'C0RELEASES';
export const SLACK_CHANNEL = 'C0GENERAL';

export interface ReleaseRig {
  bot: Bot;
  appUrl: string;
  slack: FakeSlack;
  mattermost: FakeMattermost;
  mm: Record<'rex' | 'olga' | 'pat' | 'dev', FakeUser>;
  mmChannel: FakeChannel;
  redis: Redis;
  clock: { now: Date };
  close(): Promise<void>;
}

export async function startReleaseRig(start: Date, extraReleases = ''): Promise<ReleaseRig> {
  const prefix = `t-rel-${randomUUID().slice(0, 8)}`;
  const slack = await startFakeSlack();
  for (const [name, id] of Object.entries(SLACK)) slack.addUser({ id, name, real_name: name, tz: 'Europe/Berlin' });
  const mattermost = await FakeMattermost.start();
  const team = mattermost.addTeam('ops');
  const mm = {
    rex: mattermost.addUser({ username: 'rex' }),
    olga: mattermost.addUser({ username: 'olga' }),
    pat: mattermost.addUser({ username: 'pat' }),
    dev: mattermost.addUser({ username: 'dev' }),
  };
  for (const u of Object.values(mm)) team.members.add(u.id);
  const mmChannel = mattermost.addChannel({ team, name: 'releases', members: Object.values(mm).map((u) => u.id) });

  const configText = `
timezone: Europe/Berlin
redisPrefix: ${prefix}
people:
  - { id: rex, name: Rex Release, slack: ${SLACK.rex}, mattermost: rex, timezone: Europe/Berlin }
  - { id: olga, name: Olga Owner, slack: ${SLACK.olga}, mattermost: olga, timezone: Europe/Berlin }
  - { id: pat, name: Pat Platform, slack: ${SLACK.pat}, mattermost: pat, timezone: Europe/Berlin }
  - { id: dev, name: Dev Eloper, slack: ${SLACK.dev}, mattermost: dev, timezone: Europe/Berlin }
environments:
  - id: prod
    name: Production
    timezone: Europe/Berlin
    channels: { slack: [${SLACK_RELEASES}], mattermost: [${mmChannel.id}] }
    pres: [pat]
roles:
  rele: [rex]
releases:
  apps:
    - { id: pay, name: Payments API, owners: [olga] }
  hours: { days: [mon, tue, wed, thu, fri, sat, sun], from: "09:00", to: "17:00" }
  spacing: 1h
  defaultDuration: 1h
${extraReleases}
`;
  const config = parseConfig(configText);
  if (!config.ok) throw new Error(JSON.stringify(config.problems));
  // Mattermost calls buttons back on DAY2_PUBLIC_URL, so the port is chosen before the bot starts.
  const port = await freePort();
  const env = parseEnv({
    PORT: String(port),
    DAY2_PUBLIC_URL: `http://127.0.0.1:${port}`,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    MATTERMOST_URL: mattermost.url,
    MATTERMOST_TOKEN: mattermost.botToken,
    MATTERMOST_COMMAND_TOKENS: MM_TOKEN,
    MATTERMOST_WEBSOCKET: 'false',
    DAY2_ACTION_SECRET: 'release-action-secret-0123456789',
  });
  if (!env.ok) throw new Error(JSON.stringify(env.problems));
  const clock = { now: start };
  const bot = await createBot({ env: env.env, config: config.config, redisUrl: REDIS_URL, log: silentLogger, clock: () => clock.now });
  const appUrl = `http://127.0.0.1:${await bot.start(port, '127.0.0.1')}`;
  slack.appBaseUrl = appUrl;
  const redis = new Redis(REDIS_URL, { keyPrefix: `${prefix}:` });
  return {
    bot,
    appUrl,
    slack,
    mattermost,
    mm,
    mmChannel,
    redis,
    clock,
    async close() {
      await bot.stop();
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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Run a Slack slash command and return the caller's answer (from the ack or the response_url). */
export async function slackCommand(rig: ReleaseRig, user: string, text: string, command = '/release'): Promise<{ text: string; blocks: unknown[] }> {
  const before = rig.slack.ephemerals.length;
  const res = await rig.slack.sendCommand({ command, text, user_id: user, channel_id: SLACK_CHANNEL });
  if (res.status !== 200) throw new Error(`slack answered ${res.status}`);
  const json = res.json as { text?: string; blocks?: unknown[] } | undefined;
  if (json && (json.text || json.blocks)) return { text: JSON.stringify(json), blocks: json.blocks ?? [] };
  const e = await waitFor(() => rig.slack.ephemerals.slice(before).find((x) => x.user === user));
  return { text: JSON.stringify(e), blocks: e.blocks ?? [] };
}

/** Run a Mattermost slash command and return the caller's answer (JSON answer or response_url). */
export async function mmCommand(rig: ReleaseRig, user: FakeUser, text: string): Promise<{ text: string; props: Record<string, unknown> }> {
  const before = rig.mattermost.ephemerals.length;
  const res = await rig.mattermost.sendCommand(rig.appUrl, { command: '/release', text, token: MM_TOKEN, user_id: user.id, channel_id: rig.mmChannel.id });
  if (res.status !== 200) throw new Error(`mattermost answered ${res.status}`);
  const e = await waitFor(() => rig.mattermost.ephemerals.slice(before).find((x) => x.user_id === user.id));
  return { text: JSON.stringify(e), props: e.props };
}

/** Slack buttons in Block Kit blocks. */
export function slackButtons(blocks: unknown[]): { action_id: string; value: string; text: string }[] {
  const out: { action_id: string; value: string; text: string }[] = [];
  for (const b of blocks as { type: string; elements?: { type: string; action_id: string; value: string; text?: { text: string } }[] }[]) {
    if (b.type === 'actions') for (const e of b.elements ?? []) if (e.type === 'button') out.push({ action_id: e.action_id, value: e.value, text: e.text?.text ?? '' });
  }
  return out;
}
