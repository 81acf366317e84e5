/**
 * The heart of the notices issue: the bot is SIGKILLed in the middle of a large fan-out (an
 * outage to 1,000 channels, 600 on Slack and 400 on Mattermost, with an update posted while
 * the first copies are still going out). A new bot process starts; afterwards every channel has
 * exactly one root message, exactly one copy of each update in that root's thread, in order, and
 * every root shows the last revision (a third update after the restart reaches every copy too).
 *
 * Real pieces: the whole bot (createBot: Slack and Mattermost adapters, delivery and timer
 * workers) in a child process, the fake platforms in this process, Redis. This process plays
 * the command handler's part through the notice service, on the same Redis prefix.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootKey, updateKey } from '../../src/domain/notice/notice.js';
import { createDeliveryService, type DeliveryService } from '../../src/delivery/service.js';
import { createNoticeService, type NoticeService } from '../../src/services/notice/service.js';
import { createScheduler, type Scheduler } from '../../src/delivery/scheduler.js';
import { silentLogger } from '../../src/log.js';
import { createRenderer } from '../../src/render/renderer.js';
import { createNoticeStore } from '../../src/store/notice/store.js';
import { queuePrefix } from '../../src/store/redis.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { REDIS_URL, SLACK_ALICE, mattermostKeys, slackKeys, startNoticeWorld, until, type NoticeWorld } from '../integration/notices/rig.js';

const SLACK_CHANNELS = 600;
const MM_CHANNELS = 400;
const TOTAL = SLACK_CHANNELS + MM_CHANNELS;
/** Post the first update once this many roots are out, and kill the bot at KILL_AT. */
const UPDATE_AT = 100;
const KILL_AT = 400;

let world: NoticeWorld;
let configFile: string;
let redis: Redis;
let connection: Redis;
let deliveries: DeliveryService;
let scheduler: Scheduler;
let notices: NoticeService;
const children: BotProcess[] = [];

async function startChild(name: string): Promise<BotProcess> {
  const c = await startBotProcess({
    name,
    configFile,
    redisUrl: REDIS_URL,
    worker: { lockDurationMs: 2000, stalledIntervalMs: 500, concurrency: 32 },
    env: {
      SLACK_BOT_TOKEN: world.slack.token,
      SLACK_SIGNING_SECRET: world.slack.signingSecret,
      SLACK_API_URL: world.slack.apiUrl,
      MATTERMOST_URL: world.mattermost.url,
      MATTERMOST_TOKEN: world.mattermost.botToken,
      MATTERMOST_COMMAND_TOKENS: 'noticekilltoken00000000000',
      MATTERMOST_WEBSOCKET: 'false',
      DAY2_CONSOLE: 'false',
      DAY2_ACTION_SECRET: 'notices-kill-secret-0123456789',
    },
  });
  children.push(c);
  return c;
}

const rootsOut = (key: string) =>
  world.slackChannels.filter((c) => slackKeys(world.slack, c).includes(key)).length + world.mmChannels.filter((c) => mattermostKeys(world.mattermost, c.id).includes(key)).length;

beforeAll(async () => {
  world = await startNoticeWorld({
    slackChannels: SLACK_CHANNELS,
    mattermostChannels: MM_CHANNELS,
    delivery: 'delivery: { perChannelIntervalMs: 100, perPlatformPerSecond: 1000, attempts: 5 }',
  });
  configFile = join(await mkdtemp(join(tmpdir(), 'day2-notices-')), 'day2.yaml');
  await writeFile(configFile, world.configText);
  redis = new Redis(REDIS_URL, { keyPrefix: `${world.prefix}:` });
  connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = queuePrefix(world.prefix);
  deliveries = createDeliveryService({ connection, redis, prefix });
  scheduler = createScheduler({ connection, redis, prefix });
  notices = createNoticeService({ store: createNoticeStore(redis), deliveries, scheduler, renderer: await createRenderer(), config: () => world.config, log: silentLogger });
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await deliveries?.close();
  await scheduler?.close();
  await redis?.quit();
  await connection?.quit();
  await world?.close();
});

describe('a notice fan-out across a SIGKILL', () => {
  it(`reaches each of ${TOTAL} channels exactly once, with every update in its thread and every root at the last revision`, { timeout: 480_000 }, async () => {
    const first = await startChild('first');
    const notice = await notices.create({
      env: 'prod-east',
      kind: 'outage',
      severity: 'sev1',
      summary: 'Payments API failing',
      components: ['payments'],
      author: { platform: 'slack', userId: SLACK_ALICE, personId: 'alice', name: 'Alice PRE' },
    });
    expect(notice.audience).toHaveLength(TOTAL);
    const root = rootKey(notice.id);

    await until('first roots', () => rootsOut(root) >= UPDATE_AT, 60_000, 20);
    // While the fan-out runs: two updates back to back, which must land in each channel's
    // thread once each, in order.
    await notices.update(notice.id, { status: 'identified', text: 'Bad certificate rotation', by: 'Alice PRE' });
    await notices.update(notice.id, { status: 'identified', text: 'Rolling certificates back', by: 'Alice PRE' });
    await until('kill point', () => rootsOut(root) >= KILL_AT, 60_000, 10);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const atKill = rootsOut(root);
    expect(atKill).toBeLessThan(TOTAL);

    const second = await startChild('second');
    const done = async (key: string, revision?: number) => {
      const entries = await deliveries.status(key);
      return entries.length === TOTAL && entries.every((e) => e.state === 'delivered' && (revision === undefined || e.deliveredRevision === revision));
    };
    await until('fan-out and updates 1-2 complete', async () => (await done(updateKey(notice.id, 2))) && (await done(updateKey(notice.id, 1))) && (await done(root, 3)), 200_000, 250);

    // After the restart: a third update reaches every copy, thread and root alike.
    const last = await notices.update(notice.id, { status: 'monitoring', text: 'Certificates re-issued', by: 'Alice PRE' });
    await until('update 3 complete', async () => (await done(updateKey(notice.id, 3))) && (await done(root, last.rootRevision)), 200_000, 250);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const updates = [1, 2, 3].map((i) => updateKey(notice.id, i));
    let slackCopies = 0;
    for (const c of world.slackChannels) {
      const msgs = world.slack.messages(c);
      const roots = msgs.filter((m) => m.metadata?.event_payload.key === root);
      expect(roots, c).toHaveLength(1);
      expect(roots[0]!.text, c).toMatch(/monitoring/);
      expect(roots[0]!.text, c).toContain('CUI');
      for (const u of updates) {
        const replies = msgs.filter((m) => m.metadata?.event_payload.key === u);
        expect(replies, `${c} ${u}`).toHaveLength(1);
        expect(replies[0]!.thread_ts).toBe(roots[0]!.ts);
      }
      // In the thread, in the order they were posted.
      const thread = msgs.filter((m) => m.thread_ts === roots[0]!.ts).sort((a, b) => Number(a.ts) - Number(b.ts));
      expect(thread.map((m) => m.metadata?.event_payload.key), c).toEqual(updates);
      expect(msgs, c).toHaveLength(4);
      slackCopies += msgs.length;
    }
    let mmCopies = 0;
    for (const c of world.mmChannels) {
      const posts = world.mattermost.postsIn(c.id).filter((p) => p.user_id === world.mattermost.bot.id);
      const roots = posts.filter((p) => p.props.day2_key === root);
      expect(roots, c.id).toHaveLength(1);
      expect(JSON.stringify(roots[0]), c.id).toMatch(/monitoring/);
      for (const u of updates) {
        const replies = posts.filter((p) => p.props.day2_key === u);
        expect(replies, `${c.id} ${u}`).toHaveLength(1);
        expect(replies[0]!.root_id).toBe(roots[0]!.id);
      }
      const thread = posts.filter((p) => p.root_id === roots[0]!.id);
      expect(thread.map((p) => p.props.day2_key), c.id).toEqual(updates);
      expect(posts, c.id).toHaveLength(4);
      mmCopies += posts.length;
    }
    expect(slackCopies + mmCopies).toBe(4 * TOTAL);
    const report = await notices.report(notice.id);
    expect(report).toMatchObject({ total: TOTAL, delivered: TOTAL, pending: 0, failed: [] });
  });
});
