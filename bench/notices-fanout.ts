/**
 * bench/notices-fanout: one outage notice plus two updates to 1,000 channels (600 Slack, 400
 * Mattermost) through the whole bot (createBot in a child process: real adapters, delivery and
 * timer workers, Redis)
 * against the fake platforms behind a limiter that enforces 1 write/s per channel and a
 * workspace-wide rate (bench/notices-limiter.ts). Run twice: clean, and with 5% of writes
 * answered by an injected 503 or 429.
 *
 *   npm run bench:notices
 *   BENCH_SLACK_RATE=50 BENCH_MM_RATE=50 BENCH_SLACK_CHANNELS=600 BENCH_MM_CHANNELS=400 npm run bench:notices
 *
 * Phases run one after the other, each timed until every copy is delivered: the notice (a root
 * per channel), update 1 (a reply per channel + every root edited), update 2 (the same). The
 * theoretical floor is what the limits allow for those writes; the baseline, measured in the
 * same run, is a bare client posting the phase-1 roots straight at the limiter at exactly the
 * allowed rates. Lost and duplicated copies are counted on the fake platforms afterwards.
 */
import { fileURLToPath } from 'node:url';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Redis } from 'ioredis';
import { rootKey, updateKey } from '../src/domain/notice/notice.js';
import { createDeliveryService, type DeliveryService } from '../src/delivery/service.js';
import { createNoticeService, type NoticeService } from '../src/services/notice/service.js';
import { createScheduler } from '../src/delivery/scheduler.js';
import { silentLogger } from '../src/log.js';
import { createRenderer } from '../src/render/renderer.js';
import { createNoticeStore } from '../src/store/notice/store.js';
import { queuePrefix } from '../src/store/redis.js';
import { MM_TOKEN, REDIS_URL, SLACK_ALICE, mattermostKeys, slackKeys, startNoticeWorld, until, type NoticeWorld } from '../test/integration/notices/rig.js';
import { startBotProcess } from '../test/support/bot-process.js';
import { startLimiter, type Limiter, type LimiterStats } from './notices-limiter.js';

const SLACK_RATE = Number(process.env.BENCH_SLACK_RATE ?? 50);
const MM_RATE = Number(process.env.BENCH_MM_RATE ?? 50);
const SLACK_CHANNELS = Number(process.env.BENCH_SLACK_CHANNELS ?? 600);
const MM_CHANNELS = Number(process.env.BENCH_MM_CHANNELS ?? 400);
const FAULT_RATE = Number(process.env.BENCH_FAULT_RATE ?? 0.05);
const TOTAL = SLACK_CHANNELS + MM_CHANNELS;
// The bot is configured with the platforms' own rates (BENCH_BOT_SCALE multiplies them, to see how
// the pacer's configured rate relates to what it achieves) and the default burst allowance.
const BOT_SCALE = Number(process.env.BENCH_BOT_SCALE ?? 1);
const BOT_BURST = process.env.BENCH_BOT_BURST;
const JITTER_MS = 50;

interface Run {
  name: string;
  phases: number[];
  totalMs: number;
  floorMs: number;
  /** The floor once every injected Mattermost 429 has held Mattermost for its 1 s Retry-After. */
  heldFloorMs: number;
  lost: number;
  duplicated: number;
  stats: { slack: LimiterStats; mattermost: LimiterStats };
}

/** Writes per phase per platform: roots, then (reply + root edit) per channel, twice. */
function floorMs(): number[] {
  const phase = (perChannel: number) => Math.max((SLACK_CHANNELS * perChannel) / SLACK_RATE, (MM_CHANNELS * perChannel) / MM_RATE, perChannel - 1) * 1000;
  return [phase(1), phase(2), phase(2)];
}

/**
 * The bot runs in a child process of its own, as in production: sharing this process's event
 * loop with the fake platforms and the limiters would bill their work to it. This process plays
 * the command handler's part through the notice service, on the same Redis prefix.
 */
interface BotSide {
  notices: NoticeService;
  status: DeliveryService['status'];
  stop(): Promise<void>;
}

async function startBot(w: NoticeWorld, slack: Limiter, mm: Limiter): Promise<BotSide> {
  const configFile = join(await mkdtemp(join(tmpdir(), 'day2-bench-')), 'day2.yaml');
  await writeFile(configFile, w.configText);
  const child = await startBotProcess({
    name: 'bench',
    configFile,
    redisUrl: REDIS_URL,
    env: {
      SLACK_BOT_TOKEN: w.slack.token,
      SLACK_SIGNING_SECRET: w.slack.signingSecret,
      SLACK_API_URL: `${slack.url}/api/`,
      MATTERMOST_URL: mm.url,
      MATTERMOST_TOKEN: w.mattermost.botToken,
      MATTERMOST_COMMAND_TOKENS: MM_TOKEN,
      MATTERMOST_WEBSOCKET: 'false',
      DAY2_CONSOLE: 'false',
      DAY2_ACTION_SECRET: 'notices-bench-secret-0123456789',
    },
  });
  const redis = new Redis(REDIS_URL, { keyPrefix: `${w.prefix}:` });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = queuePrefix(w.prefix);
  const deliveries = createDeliveryService({ connection, redis, prefix });
  const scheduler = createScheduler({ connection, redis, prefix });
  const notices = createNoticeService({ store: createNoticeStore(redis), deliveries, scheduler, renderer: await createRenderer(), config: () => w.config, log: silentLogger });
  return {
    notices,
    status: (key) => deliveries.status(key),
    async stop() {
      child.child.kill('SIGTERM');
      await child.exited;
      await deliveries.close();
      await scheduler.close();
      await redis.quit();
      await connection.quit();
      await rm(dirname(configFile), { recursive: true, force: true });
    },
  };
}

async function world(faultRate: number): Promise<{ w: NoticeWorld; slack: Limiter; mm: Limiter; bot: BotSide }> {
  const w = await startNoticeWorld({
    slackChannels: SLACK_CHANNELS,
    mattermostChannels: MM_CHANNELS,
    delivery: `delivery: { perChannelIntervalMs: 1000, perPlatformPerSecond: { slack: ${Math.round(SLACK_RATE * BOT_SCALE)}, mattermost: ${Math.round(MM_RATE * BOT_SCALE)} }, ${BOT_BURST === undefined ? '' : `burst: ${BOT_BURST}, `}attempts: 8 }`,
  });
  const slack = await startLimiter({ platform: 'slack', target: w.slack.url, perSecond: SLACK_RATE, perChannelMs: 1000, jitterMs: JITTER_MS, faultRate });
  const mm = await startLimiter({ platform: 'mattermost', target: w.mattermost.url, perSecond: MM_RATE, perChannelMs: 1000, jitterMs: JITTER_MS, faultRate, channelOfPost: (id) => w.mattermost.posts.get(id)?.channel_id });
  return { w, slack, mm, bot: await startBot(w, slack, mm) };
}

async function fanout(name: string, faultRate: number): Promise<Run> {
  const { w, slack, mm, bot } = await world(faultRate);
  try {
    const notices = bot.notices;
    const done = async (key: string, revision: number) => {
      const e = await bot.status(key);
      return e.length === TOTAL && e.every((x) => x.state === 'delivered' && (x.deliveredRevision ?? 0) >= revision);
    };
    const phases: number[] = [];
    const marks: number[] = [];
    const t0 = Date.now();
    let t = t0;
    const n = await notices.create({ env: 'prod-east', kind: 'outage', severity: 'sev1', summary: 'Payments API failing', components: [], author: { platform: 'slack', userId: SLACK_ALICE, personId: 'alice', name: 'Alice PRE' } });
    await until('roots', () => done(rootKey(n.id), 1), 900_000, 100);
    phases.push(Date.now() - t);
    for (const [i, status] of (['identified', 'monitoring'] as const).entries()) {
      t = Date.now();
      marks.push(t);
      const u = await notices.update(n.id, { status, text: `update ${i + 1}`, by: 'Alice PRE' });
      await until(`update ${i + 1}`, async () => (await done(updateKey(n.id, i + 1), 1)) && (await done(rootKey(n.id), u.rootRevision)), 900_000, 100);
      phases.push(Date.now() - t);
    }
    const end = Date.now();
    const totalMs = end - t0;
    const bounds = [t0, ...marks, end];
    // Per phase: each platform's accepted writes at its rate, plus, on Mattermost (whose limit is
    // per user, so a 429 rightly holds every call), one Retry-After second per injected 429.
    // Slack's injected 429s hold one channel or edits only, which other writes can fill.
    const inPhase = (list: number[], p: number) => list.filter((x) => x >= bounds[p]! && x < bounds[p + 1]!).length;
    let heldFloorMs = 0;
    for (let p = 0; p < bounds.length - 1; p++) {
      const slackMs = (inPhase(slack.stats.acceptedAt, p) / SLACK_RATE) * 1000;
      const mmMs = (inPhase(mm.stats.acceptedAt, p) / MM_RATE) * 1000 + inPhase(mm.stats.injected429At, p) * 1000;
      heldFloorMs += Math.max(slackMs, mmMs, floorMs()[p]!);
    }
    if (process.env.BENCH_TRACE === '1') {
      const all = [...slack.stats.acceptedAt, ...mm.stats.acceptedAt].sort((a, b) => a - b);
      for (let p = 0; p < bounds.length - 1; p++) {
        for (const [label, list] of [['all', all], ['slack', slack.stats.acceptedAt], ['mattermost', mm.stats.acceptedAt]] as const) {
          const hits = list.filter((x) => x >= bounds[p]! && x < bounds[p + 1]!);
          console.log(`phase ${p + 1} ${label}: ${hits.length} writes, first +${hits[0]! - bounds[p]!} ms, last +${hits.at(-1)! - bounds[p]!} ms, end +${bounds[p + 1]! - bounds[p]!} ms`);
          if (label !== 'all') {
            const perSecond: number[] = [];
            for (const x of hits) perSecond[Math.floor((x - bounds[p]!) / 1000)] = (perSecond[Math.floor((x - bounds[p]!) / 1000)] ?? 0) + 1;
            console.log(`  writes per second: ${Array.from(perSecond, (n) => n ?? 0).join(' ')}`);
          }
        }
      }
    }

    let lost = 0;
    let duplicated = 0;
    const keys = [rootKey(n.id), updateKey(n.id, 1), updateKey(n.id, 2)];
    const tally = (found: string[]) => {
      for (const k of keys) {
        const c = found.filter((x) => x === k).length;
        if (c === 0) lost++;
        if (c > 1) duplicated += c - 1;
      }
    };
    for (const c of w.slackChannels) tally(slackKeys(w.slack, c));
    for (const c of w.mmChannels) tally(mattermostKeys(w.mattermost, c.id));
    const floor = floorMs().reduce((a, b) => a + b, 0);
    return { name, phases, totalMs, floorMs: floor, heldFloorMs, lost, duplicated, stats: { slack: { ...slack.stats }, mattermost: { ...mm.stats } } };
  } finally {
    await bot.stop();
    await slack.close();
    await mm.close();
    await w.close();
  }
}

/** A bare client: phase-1 roots straight at the limiter, each platform paced exactly at its limit. */
async function baseline(): Promise<number> {
  const w = await startNoticeWorld({ slackChannels: SLACK_CHANNELS, mattermostChannels: MM_CHANNELS });
  const slack = await startLimiter({ platform: 'slack', target: w.slack.url, perSecond: SLACK_RATE, perChannelMs: 1000, jitterMs: JITTER_MS, faultRate: 0 });
  const mm = await startLimiter({ platform: 'mattermost', target: w.mattermost.url, perSecond: MM_RATE, perChannelMs: 1000, jitterMs: JITTER_MS, faultRate: 0 });
  try {
    const paced = async <T>(items: T[], rate: number, send: (x: T) => Promise<Response>) => {
      const start = Date.now();
      const inflight: Promise<void>[] = [];
      for (const [i, x] of items.entries()) {
        const due = start + (i * 1000) / rate;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        inflight.push(
          (async () => {
            for (;;) {
              const res = await send(x);
              await res.arrayBuffer();
              if (res.status !== 429) return;
              await new Promise((r) => setTimeout(r, 1000));
            }
          })(),
        );
      }
      await Promise.all(inflight);
    };
    const t0 = Date.now();
    await Promise.all([
      paced(w.slackChannels, SLACK_RATE, (c) =>
        fetch(`${slack.url}/api/chat.postMessage`, { method: 'POST', headers: { authorization: `Bearer ${w.slack.token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ channel: c, text: 'baseline' }) }),
      ),
      paced(w.mmChannels, MM_RATE, (c) =>
        fetch(`${mm.url}/api/v4/posts`, { method: 'POST', headers: { authorization: `Bearer ${w.mattermost.botToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ channel_id: c.id, message: 'baseline' }) }),
      ),
    ]);
    return Date.now() - t0;
  } finally {
    await slack.close();
    await mm.close();
    await w.close();
  }
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function main(): Promise<void> {
  const floors = floorMs();
  const baseMs = await baseline();
  const runs = [await fanout('clean', 0), await fanout(`${Math.round(FAULT_RATE * 100)}% injected 503/429`, FAULT_RATE)];
  const lines = [
    `## notices-fanout — ${new Date().toISOString()}`,
    '',
    `Command: \`BENCH_SLACK_RATE=${SLACK_RATE} BENCH_MM_RATE=${MM_RATE}${BOT_SCALE === 1 ? '' : ` BENCH_BOT_SCALE=${BOT_SCALE}`}${BOT_BURST === undefined ? '' : ` BENCH_BOT_BURST=${BOT_BURST}`} BENCH_SLACK_CHANNELS=${SLACK_CHANNELS} BENCH_MM_CHANNELS=${MM_CHANNELS} BENCH_FAULT_RATE=${FAULT_RATE} npm run bench:notices\` — one outage + two updates to ${TOTAL} channels (${SLACK_CHANNELS} Slack, ${MM_CHANNELS} Mattermost) through the whole bot in its own process (its pacing set to ${Math.round(SLACK_RATE * BOT_SCALE)}/s Slack and ${Math.round(MM_RATE * BOT_SCALE)}/s Mattermost, burst ${BOT_BURST ?? 'default'}, default worker concurrency); limiter: 1 write/s/channel (±${JITTER_MS} ms jitter), ${SLACK_RATE}/s Slack and ${MM_RATE}/s Mattermost workspace-wide; writes = posts, replies and edits. Node ${process.version}, 2 cores.`,
    '',
    `Floor per phase (roots; reply+edit; reply+edit): ${floors.map(s).join(' s, ')} s. Baseline (bare client, phase-1 roots at exactly the limits, same run): ${s(baseMs)} s vs floor ${s(floors[0]!)} s.`,
    '',
    '| run | phase 1 s | phase 2 s | phase 3 s | total s | floor s | **total / floor** | floor with Mattermost 429s held s | total / that floor | phase 1 / baseline | lost | duplicated | 429 channel / workspace | injected 503 / 429 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map((r) => {
      const st = r.stats;
      return `| ${r.name} | ${r.phases.map(s).join(' | ')} | ${s(r.totalMs)} | ${s(r.floorMs)} | **${ratio(r.totalMs, r.floorMs)}** | ${s(r.heldFloorMs)} | ${ratio(r.totalMs, r.heldFloorMs)} | ${ratio(r.phases[0]!, baseMs)} | ${r.lost} | ${r.duplicated} | ${st.slack.limitedChannel + st.mattermost.limitedChannel} / ${st.slack.limitedWorkspace + st.mattermost.limitedWorkspace} | ${st.slack.injected5xx + st.mattermost.injected5xx} / ${st.slack.injected429 + st.mattermost.injected429} |`;
    }),
    '',
    'The second floor adds, per phase, one second per injected Mattermost 429 (Mattermost limits per user, so Day2 holds every Mattermost call for the Retry-After); it is the fastest any client honouring those answers could finish.',
    '',
    `Targets: total/floor <= 1.10 (${runs.map((r) => `${r.name}: ${Number(ratio(r.totalMs, r.floorMs)) <= 1.1 ? 'met' : 'not met'}`).join('; ')}); lost 0 and duplicated 0 (${runs.every((r) => r.lost === 0 && r.duplicated === 0) ? 'met' : 'not met'}).`,
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  // BENCH_DRY=1: print only (trying settings out without touching RESULTS.md).
  if (process.env.BENCH_DRY !== '1') await appendFile(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), `\n${text}`);
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
