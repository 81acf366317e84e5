import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/chat/message.js';
import type { ChatAdapter, Platform } from '../../../src/chat/port.js';
import { TransientError } from '../../../src/errors.js';
import { createMetrics, type Metrics } from '../../../src/metrics.js';
import { silentLogger } from '../../../src/log.js';
import { createDeliveryService, startDeliveryWorker, type DeliveryRequest, type DeliveryService, type DeliveryWorker, type DeliveryWorkerOptions } from '../../../src/delivery/service.js';
import { parseConfig } from '../../../src/config.js';
import { RecordingAdapter, RecordingPlatform } from '../../support/recording-adapter.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

const msg = (text: string): OutboundMessage => ({ body: text, summary: text });
const toChannel = (key: string, channelId: string, text = key, revision = 1): DeliveryRequest => ({
  key,
  revision,
  target: { platform: 'slack', channelId },
  message: msg(text),
});

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function counter(metrics: Metrics, name: 'deliveries' | 'deliveryRetries') {
  return async (labels: Record<string, string>) => {
    const got = await metrics[name].get();
    return got.values.filter((v) => Object.entries(labels).every(([k, val]) => (v.labels as Record<string, unknown>)[k] === val)).reduce((n, v) => n + v.value, 0);
  };
}

describe('delivery queue', () => {
  let env: RedisEnv;
  let service: DeliveryService;
  let workers: DeliveryWorker[];
  let metrics: Metrics;

  beforeEach(async () => {
    env = await redisEnv();
    service = createDeliveryService({ connection: env.connection, redis: env.redis, prefix: env.prefix });
    workers = [];
    metrics = createMetrics({ defaultMetrics: false });
  });

  afterEach(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await service.close();
    await env.cleanup();
  });

  async function worker(adapter: ChatAdapter, extra: Partial<DeliveryWorkerOptions> = {}): Promise<DeliveryWorker> {
    const w = await startDeliveryWorker({
      connection: env.connection,
      redis: env.redis,
      prefix: env.prefix,
      adapters: new Map<Platform, ChatAdapter>([[adapter.platform, adapter]]),
      metrics,
      log: silentLogger,
      perChannelIntervalMs: 0,
      perPlatformPerSecond: 1000,
      attempts: 5,
      retryBaseMs: 50,
      ...extra,
    });
    workers.push(w);
    return w;
  }

  const delivered = (key: string, revision = 1) => async () => (await service.status(key)).every((e) => e.state === 'delivered' && (e.deliveredRevision ?? 0) >= revision) && (await service.status(key)).length > 0;

  it('posts a message enqueued twice exactly once and reports it delivered', async () => {
    const slack = new RecordingAdapter();
    await service.enqueue([toChannel('notice-1', 'C1')]);
    await service.enqueue([toChannel('notice-1', 'C1'), toChannel('notice-1', 'C1')]);
    expect(await service.status('notice-1')).toMatchObject([{ state: 'pending', revision: 1, attempts: 0 }]);
    await worker(slack);
    await until('delivery', delivered('notice-1'));
    // Enqueued again after delivery: nothing more happens.
    await service.enqueue([toChannel('notice-1', 'C1')]);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.store.created()).toHaveLength(1);
    expect(slack.store.copies('notice-1')).toHaveLength(1);
    const [entry] = await service.status('notice-1');
    expect(entry).toMatchObject({ state: 'delivered', revision: 1, deliveredRevision: 1, ref: { platform: 'slack', channelId: 'C1' } });
    expect(await counter(metrics, 'deliveries')({ outcome: 'posted' })).toBe(1);
  });

  it('passes the delivery key to the adapter so the copy can be found again', async () => {
    const slack = new RecordingAdapter();
    await worker(slack);
    await service.enqueue([toChannel('notice-key', 'C1')]);
    await until('delivery', delivered('notice-key'));
    expect(slack.calls[0]).toMatchObject({ op: 'post', key: 'notice-key' });
  });

  it('edits the same copy for revision 2 instead of posting again', async () => {
    const slack = new RecordingAdapter();
    await worker(slack);
    await service.enqueue([toChannel('notice-2', 'C1', 'first')]);
    await until('rev 1', delivered('notice-2'));
    const ref1 = (await service.status('notice-2'))[0]?.ref;
    await service.enqueue([toChannel('notice-2', 'C1', 'second', 2)]);
    await until('rev 2', delivered('notice-2', 2));
    const [entry] = await service.status('notice-2');
    expect(entry?.ref).toEqual(ref1);
    expect(slack.store.copies('notice-2')).toEqual([expect.objectContaining({ text: 'second', edits: 1 })]);
    expect(slack.calls.filter((c) => c.op === 'update')).toHaveLength(1);
    // A late duplicate of revision 1 changes nothing.
    await service.enqueue([toChannel('notice-2', 'C1', 'first')]);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.store.copies('notice-2')[0]?.text).toBe('second');
  });

  it('an edit arriving while the first post is in flight waits for it, then edits that copy', async () => {
    const slack = new RecordingAdapter();
    slack.latencyMs = 500;
    await worker(slack, { concurrency: 4 });
    await service.enqueue([toChannel('busy-1', 'C1', 'v1')]);
    await until('post in flight', async () => ((await service.status('busy-1'))[0]?.attempts ?? 0) > 0);
    await service.enqueue([toChannel('busy-1', 'C1', 'v2', 2)]);
    await until('rev 2', delivered('busy-1', 2));
    expect(slack.calls.map((c) => c.op)).toEqual(['post', 'update']);
    expect(slack.store.copies('busy-1')).toEqual([expect.objectContaining({ text: 'v2', edits: 1 })]);
    expect(await counter(metrics, 'deliveryRetries')({ reason: 'busy' })).toBeGreaterThan(0);
  });

  it('skips straight to the newest revision when edits pile up before the first post', async () => {
    const slack = new RecordingAdapter();
    await service.enqueue([toChannel('notice-3', 'C1', 'v1'), toChannel('notice-3', 'C1', 'v2', 2), toChannel('notice-3', 'C1', 'v3', 3)]);
    await worker(slack);
    await until('rev 3', delivered('notice-3', 3));
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.store.copies('notice-3')).toEqual([expect.objectContaining({ text: 'v3' })]);
    expect(slack.calls.filter((c) => c.op !== 'findPosted')).toHaveLength(1);
  });

  it('holds a thread reply until its parent is posted, then replies in the thread', async () => {
    const slack = new RecordingAdapter();
    // The parent's first try fails, so the reply is certainly waiting for it.
    slack.failNext({ kind: 'transient' }, { ops: ['post'] });
    await worker(slack);
    await service.enqueue([{ ...toChannel('rel-9-reply', 'C1'), parentKey: 'rel-9' }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.calls.filter((c) => c.op === 'reply')).toHaveLength(0);
    await service.enqueue([toChannel('rel-9', 'C1')]);
    await until('reply', delivered('rel-9-reply'));
    const parent = (await service.status('rel-9'))[0]?.ref;
    const reply = (await service.status('rel-9-reply'))[0]?.ref;
    expect(reply?.threadId).toBe(parent?.messageId);
    const ops = slack.calls.filter((c) => c.outcome === 'ok').map((c) => c.op);
    expect(ops).toEqual(['post', 'reply']);
    expect(await counter(metrics, 'deliveryRetries')({ reason: 'parent' })).toBeGreaterThan(0);
  });

  it('fails a reply whose parent failed for good, with the reason', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'permanent', code: 'not_in_channel', message: 'not_in_channel' }, { channelId: 'C9' });
    await worker(slack);
    await service.enqueue([toChannel('p-1', 'C9'), { ...toChannel('p-1-reply', 'C9'), parentKey: 'p-1' }]);
    await until('reply failed', async () => (await service.status('p-1-reply'))[0]?.state === 'failed');
    expect((await service.status('p-1-reply'))[0]?.error).toMatch(/parent message p-1 failed/);
  });

  it('waits out a 429 without using an attempt and without doubling', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'rate_limited', retryAfterMs: 700 }, { ops: ['post'] });
    await worker(slack, { attempts: 1 });
    await service.enqueue([toChannel('rl-1', 'C1')]);
    await until('delivery', delivered('rl-1'));
    const posts = slack.calls.filter((c) => c.op === 'post');
    expect(posts.map((c) => c.outcome)).toEqual(['rate_limited', 'ok']);
    // Retry-After honoured (loosely: timer granularity).
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(600);
    expect(slack.store.copies('rl-1')).toHaveLength(1);
    expect(await counter(metrics, 'deliveryRetries')({ reason: 'rate_limited' })).toBeGreaterThan(0);
  });

  it('holds the whole channel after a 429, not just the job that got it', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'rate_limited', retryAfterMs: 800 }, { ops: ['post'], channelId: 'C1' });
    await worker(slack, { concurrency: 4 });
    await service.enqueue([toChannel('h-1', 'C1')]);
    await until('the 429', () => slack.calls.some((c) => c.outcome === 'rate_limited'));
    await service.enqueue([toChannel('h-2', 'C1'), toChannel('h-3', 'C2')]);
    await until('all', async () => (await delivered('h-1')()) && (await delivered('h-2')()) && (await delivered('h-3')()));
    const limitedAt = slack.calls.find((c) => c.outcome === 'rate_limited')!.at;
    const c1 = slack.calls.filter((c) => c.channelId === 'C1' && c.outcome === 'ok');
    expect(c1).toHaveLength(2);
    for (const c of c1) expect(c.at - limitedAt).toBeGreaterThanOrEqual(700);
    // Another channel was not held.
    const c2 = slack.calls.find((c) => c.channelId === 'C2' && c.outcome === 'ok')!;
    expect(c2.at - limitedAt).toBeLessThan(700);
  });

  it('holds every channel of the platform after a 429 whose scope is the platform, whatever the platform', async () => {
    const mm = new RecordingAdapter('mattermost');
    mm.failNext({ kind: 'rate_limited', retryAfterMs: 800, scope: 'platform' }, { ops: ['post'], channelId: 'ch1' });
    await worker(mm, { concurrency: 4 });
    const to = (key: string, channelId: string): DeliveryRequest => ({ key, revision: 1, target: { platform: 'mattermost', channelId }, message: msg(key) });
    await service.enqueue([to('mm-1', 'ch1')]);
    await until('the 429', () => mm.calls.some((c) => c.outcome === 'rate_limited'));
    await service.enqueue([to('mm-2', 'ch2')]);
    await until('both', async () => (await delivered('mm-1')()) && (await delivered('mm-2')()));
    const limitedAt = mm.calls.find((c) => c.outcome === 'rate_limited')!.at;
    expect(mm.calls.find((c) => c.channelId === 'ch2')!.at - limitedAt).toBeGreaterThanOrEqual(700);
  });

  it('holds only edits after a 429 scoped to the edit method (Slack limits chat.update apart from posts)', async () => {
    const slack = new RecordingAdapter();
    await worker(slack, { concurrency: 4 });
    await service.enqueue([toChannel('m-1', 'C1'), toChannel('m-2', 'C2')]);
    await until('first copies', async () => (await delivered('m-1')()) && (await delivered('m-2')()));
    slack.failNext({ kind: 'rate_limited', retryAfterMs: 800, scope: 'method' }, { ops: ['update'], channelId: 'C1' });
    await service.enqueue([toChannel('m-1', 'C1', 'edited', 2)]);
    await until('the 429', () => slack.calls.some((c) => c.outcome === 'rate_limited'));
    await service.enqueue([toChannel('m-2', 'C2', 'edited', 2), toChannel('m-3', 'C3')]);
    await until('all', async () => (await delivered('m-1', 2)()) && (await delivered('m-2', 2)()) && (await delivered('m-3')()));
    const limitedAt = slack.calls.find((c) => c.outcome === 'rate_limited')!.at;
    // The post to another channel went at once; the edit in another channel waited for the block.
    expect(slack.calls.find((c) => c.channelId === 'C3' && c.op === 'post')!.at - limitedAt).toBeLessThan(700);
    expect(slack.calls.find((c) => c.channelId === 'C2' && c.op === 'update')!.at - limitedAt).toBeGreaterThanOrEqual(700);
  });

  it('holds only the channel after a 429 scoped to the channel, on Mattermost too (the error says, not the platform name)', async () => {
    const mm = new RecordingAdapter('mattermost');
    mm.failNext({ kind: 'rate_limited', retryAfterMs: 800, scope: 'channel' }, { ops: ['post'], channelId: 'ch1' });
    await worker(mm, { concurrency: 4 });
    const to = (key: string, channelId: string): DeliveryRequest => ({ key, revision: 1, target: { platform: 'mattermost', channelId }, message: msg(key) });
    await service.enqueue([to('mc-1', 'ch1')]);
    await until('the 429', () => mm.calls.some((c) => c.outcome === 'rate_limited'));
    await service.enqueue([to('mc-2', 'ch2')]);
    await until('both', async () => (await delivered('mc-1')()) && (await delivered('mc-2')()));
    const limitedAt = mm.calls.find((c) => c.outcome === 'rate_limited')!.at;
    expect(mm.calls.find((c) => c.channelId === 'ch2')!.at - limitedAt).toBeLessThan(700);
    expect(mm.calls.find((c) => c.channelId === 'ch1' && c.outcome === 'ok')!.at - limitedAt).toBeGreaterThanOrEqual(700);
  });

  it('fails fast on a permanent error and says why in status()', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'permanent', code: 'not_found', message: 'channel_not_found' }, { channelId: 'CGONE' });
    await worker(slack, { attempts: 5 });
    await service.enqueue([toChannel('perm-1', 'CGONE'), toChannel('perm-1', 'C1')]);
    await until('outcome', async () => (await service.status('perm-1')).every((e) => e.state !== 'pending'));
    const status = await service.status('perm-1');
    expect(status.find((e) => 'channelId' in e.target && e.target.channelId === 'CGONE')).toMatchObject({ state: 'failed', error: 'not_found: channel_not_found', attempts: 1 });
    expect(status.find((e) => 'channelId' in e.target && e.target.channelId === 'C1')).toMatchObject({ state: 'delivered' });
    expect(slack.calls.filter((c) => c.channelId === 'CGONE')).toHaveLength(1);
    expect(await counter(metrics, 'deliveries')({ outcome: 'failed' })).toBe(1);
  });

  it('asking again for a revision that failed for good retries it', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'permanent', code: 'not_in_channel', message: 'not_in_channel' });
    await worker(slack);
    await service.enqueue([toChannel('again-1', 'C1')]);
    await until('failed', async () => (await service.status('again-1'))[0]?.state === 'failed');
    await service.enqueue([toChannel('again-1', 'C1')]);
    await until('delivered', delivered('again-1'));
    expect(slack.store.copies('again-1')).toHaveLength(1);
  });

  it('retries transient errors with backoff and gives up after `attempts`, keeping the reason', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'transient' }, { channelId: 'C1' }, 2);
    slack.failNext({ kind: 'transient' }, { channelId: 'C2' }, 10);
    await worker(slack, { attempts: 3 });
    await service.enqueue([toChannel('tr-1', 'C1'), toChannel('tr-2', 'C2')]);
    await until('tr-1', delivered('tr-1'));
    await until('tr-2 failed', async () => (await service.status('tr-2'))[0]?.state === 'failed');
    expect(slack.calls.filter((c) => c.channelId === 'C1').map((c) => c.outcome)).toEqual(['transient', 'transient', 'ok']);
    expect(slack.calls.filter((c) => c.channelId === 'C2')).toHaveLength(3);
    expect((await service.status('tr-2'))[0]?.error).toMatch(/gave up after 3 attempts: 503/);
  });

  it('after an ambiguous failure, adopts the copy the platform already has instead of posting again', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'ambiguous' }, { ops: ['post'] });
    await worker(slack);
    await service.enqueue([toChannel('amb-1', 'C1')]);
    await until('delivery', delivered('amb-1'));
    expect(slack.store.copies('amb-1')).toHaveLength(1);
    expect(slack.calls.map((c) => `${c.op}:${c.outcome}`)).toEqual(['post:ambiguous', 'findPosted:ok']);
    const [entry] = await service.status('amb-1');
    expect(entry?.ref).toEqual(slack.store.copies('amb-1')[0]?.ref);
    expect(await counter(metrics, 'deliveries')({ outcome: 'adopted' })).toBe(1);
  });

  it('after an ambiguous failure that did not post, posts once', async () => {
    const slack = new RecordingAdapter();
    // Timed out before the platform acted: unknown to us, absent on the platform.
    const realPost = slack.post.bind(slack);
    let first = true;
    slack.post = async (channelId, message) => {
      if (first) {
        first = false;
        slack.calls.push({ op: 'post', at: Date.now(), channelId, outcome: 'ambiguous' });
        throw new TransientError('socket hang up', true);
      }
      return realPost(channelId, message);
    };
    await worker(slack);
    await service.enqueue([toChannel('amb-2', 'C1')]);
    await until('delivery', delivered('amb-2'));
    expect(slack.store.copies('amb-2')).toHaveLength(1);
    expect(slack.calls.map((c) => `${c.op}:${c.outcome}`)).toEqual(['post:ambiguous', 'findPosted:ok', 'post:ok']);
  });

  it('after an ambiguous thread reply, looks in the parent\'s thread and adopts the copy there', async () => {
    const slack = new RecordingAdapter();
    // The recording platform is like Slack: a reply is not among the channel-level messages.
    slack.failNext({ kind: 'ambiguous' }, { ops: ['reply'] });
    await worker(slack);
    await service.enqueue([toChannel('thr-1', 'C1'), { ...toChannel('thr-1-reply', 'C1'), parentKey: 'thr-1' }]);
    await until('reply', delivered('thr-1-reply'));
    const parent = (await service.status('thr-1'))[0]?.ref;
    expect(slack.store.copies('thr-1-reply')).toHaveLength(1);
    expect(slack.calls.filter((c) => c.key === 'thr-1-reply' || c.op === 'findPosted').map((c) => `${c.op}:${c.outcome}`)).toEqual(['reply:ambiguous', 'findPosted:ok']);
    expect(slack.calls.find((c) => c.op === 'findPosted')).toMatchObject({ channelId: 'C1', threadId: parent?.messageId });
    expect((await service.status('thr-1-reply'))[0]?.ref).toEqual(slack.store.copies('thr-1-reply')[0]?.ref);
  });

  it('delivers DMs and edits them in place', async () => {
    const slack = new RecordingAdapter();
    await worker(slack);
    const dm = (revision: number, text: string): DeliveryRequest => ({ key: 'notice-5-u3', revision, target: { platform: 'slack', userId: 'U3' }, message: msg(text) });
    await service.enqueue([dm(1, 'hello')]);
    await until('dm', delivered('notice-5-u3'));
    await service.enqueue([dm(2, 'hello again')]);
    await until('dm edit', delivered('notice-5-u3', 2));
    expect(slack.store.copies('notice-5-u3')).toEqual([expect.objectContaining({ text: 'hello again', ref: expect.objectContaining({ channelId: 'D-U3' }) })]);
  });

  it('after an ambiguous first DM, finds the DM channel through the adapter and adopts the copy', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'ambiguous' }, { ops: ['dm'] });
    await worker(slack);
    await service.enqueue([{ key: 'dm-amb', revision: 1, target: { platform: 'slack', userId: 'U7' }, message: msg('hi') }]);
    await until('dm', delivered('dm-amb'));
    expect(slack.calls.map((c) => `${c.op}:${c.outcome}`)).toEqual(['dm:ambiguous', 'dmChannelOf:ok', 'findPosted:ok']);
    // Looked in the DM channel, not under the user id (which no platform knows as a channel).
    expect(slack.calls.find((c) => c.op === 'findPosted')?.channelId).toBe('D-U7');
    expect(slack.store.copies('dm-amb')).toHaveLength(1);
    expect(await counter(metrics, 'deliveries')({ outcome: 'adopted' })).toBe(1);
  });

  it('an uncertain first DM whose lookup fails for a while is looked up again, then adopted, never doubled', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'ambiguous' }, { ops: ['dm'] });
    slack.failNext({ kind: 'transient' }, { ops: ['dmChannelOf'] });
    await worker(slack);
    await service.enqueue([{ key: 'dm-slow', revision: 1, target: { platform: 'slack', userId: 'U8' }, message: msg('hi') }]);
    await until('dm', delivered('dm-slow'));
    expect(slack.calls.map((c) => `${c.op}:${c.outcome}`)).toEqual(['dm:ambiguous', 'dmChannelOf:transient', 'dmChannelOf:ok', 'findPosted:ok']);
    expect(slack.store.copies('dm-slow')).toHaveLength(1);
  });

  it('an uncertain first DM to a user the platform no longer knows fails with the reason, without a blind resend', async () => {
    const slack = new RecordingAdapter();
    slack.failNext({ kind: 'ambiguous' }, { ops: ['dm'] });
    slack.failNext({ kind: 'permanent', code: 'not_found', message: 'user_not_found' }, { ops: ['dmChannelOf'] });
    await worker(slack);
    await service.enqueue([{ key: 'dm-gone', revision: 1, target: { platform: 'slack', userId: 'U9' }, message: msg('hi') }]);
    await until('failed', async () => (await service.status('dm-gone'))[0]?.state === 'failed');
    expect((await service.status('dm-gone'))[0]?.error).toBe('not_found: user_not_found');
    expect(slack.calls.filter((c) => c.op === 'dm')).toHaveLength(1);
  });

  it('two workers on one queue deliver each message once', async () => {
    const store = new RecordingPlatform('slack');
    const a = new RecordingAdapter('slack', store);
    const b = new RecordingAdapter('slack', store);
    a.latencyMs = 15;
    b.latencyMs = 15;
    await worker(a, { concurrency: 4 });
    await worker(b, { concurrency: 4 });
    const requests = Array.from({ length: 40 }, (_, i) => toChannel(`two-${i}`, `C${i % 5}`));
    // Both "processes" enqueue the same fan-out, as two bots reacting to one event would.
    await Promise.all([service.enqueue(requests), service.enqueue(requests)]);
    await until('all delivered', async () => {
      for (const r of requests) if (!(await delivered(r.key)())) return false;
      return true;
    });
    await new Promise((r) => setTimeout(r, 300));
    for (const r of requests) expect(store.copies(r.key), r.key).toHaveLength(1);
    expect(store.created()).toHaveLength(40);
  });

  it('paces posts to one channel without serializing other channels behind it', async () => {
    const slack = new RecordingAdapter();
    await worker(slack, { perChannelIntervalMs: 1000, concurrency: 4 });
    await service.enqueue([toChannel('pace-a1', 'CA'), toChannel('pace-a2', 'CA'), toChannel('pace-a3', 'CA'), toChannel('pace-b1', 'CB'), toChannel('pace-c1', 'CC')]);
    await until('all', async () => {
      for (const k of ['pace-a1', 'pace-a2', 'pace-a3', 'pace-b1', 'pace-c1']) if (!(await delivered(k)())) return false;
      return true;
    });
    const posts = slack.calls.filter((c) => c.op === 'post' && c.outcome === 'ok');
    const inA = posts.filter((c) => c.channelId === 'CA').map((c) => c.at);
    expect(inA).toHaveLength(3);
    for (let i = 1; i < inA.length; i++) expect(inA[i]! - inA[i - 1]!).toBeGreaterThanOrEqual(800);
    // The other channels went out before CA's backlog drained (not queued behind it).
    const lastA = Math.max(...inA);
    for (const ch of ['CB', 'CC']) expect(posts.find((c) => c.channelId === ch)!.at).toBeLessThan(lastA);
    expect(await counter(metrics, 'deliveryRetries')({ reason: 'paced' })).toBeGreaterThan(0);
  });

  it('spreads a fan-out to many channels over the platform rate, never faster', async () => {
    const slack = new RecordingAdapter();
    await worker(slack, { perChannelIntervalMs: 1000, perPlatformPerSecond: 20, concurrency: 8 });
    const requests = Array.from({ length: 40 }, (_, i) => toChannel(`fan-${i}`, `F${i}`));
    await service.enqueue(requests);
    await until('all delivered', async () => {
      for (const r of requests) if (!(await delivered(r.key)())) return false;
      return true;
    }, 30_000);
    const at = slack.calls.filter((c) => c.op === 'post' && c.outcome === 'ok').map((c) => c.at).sort((x, y) => x - y);
    expect(at).toHaveLength(40);
    // Never faster than the rate: any 10 consecutive sends span at least 9 intervals (less jitter).
    for (let i = 9; i < at.length; i++) expect(at[i]! - at[i - 9]!).toBeGreaterThanOrEqual(9 * 50 - 60);
    // And spread out rather than bunched: about 50 ms apart on average.
    expect((at[at.length - 1]! - at[0]!) / (at.length - 1)).toBeGreaterThanOrEqual(45);
  });

  it('paces each platform at its own rate when rates are given per platform', async () => {
    const store = new RecordingPlatform('slack');
    const mmStore = new RecordingPlatform('mattermost');
    const slack = new RecordingAdapter('slack', store);
    const mm = new RecordingAdapter('mattermost', mmStore);
    const w = await startDeliveryWorker({
      connection: env.connection,
      redis: env.redis,
      prefix: env.prefix,
      adapters: new Map<Platform, ChatAdapter>([['slack', slack], ['mattermost', mm]]),
      metrics,
      log: silentLogger,
      perChannelIntervalMs: 0,
      perPlatformPerSecond: { slack: 50, mattermost: 5 },
      attempts: 5,
      concurrency: 8,
    });
    workers.push(w);
    const requests: DeliveryRequest[] = [];
    for (let i = 0; i < 6; i++) {
      requests.push(toChannel(`pp-s${i}`, `S${i}`));
      requests.push({ key: `pp-m${i}`, revision: 1, target: { platform: 'mattermost', channelId: `M${i}` }, message: msg(`m${i}`) });
    }
    await service.enqueue(requests);
    await until('all delivered', async () => {
      for (const r of requests) if (!(await delivered(r.key)())) return false;
      return true;
    }, 30_000);
    const times = (a: RecordingAdapter) => a.calls.filter((c) => c.op === 'post' && c.outcome === 'ok').map((c) => c.at).sort((x, y) => x - y);
    const s = times(slack);
    const m = times(mm);
    expect(s).toHaveLength(6);
    expect(m).toHaveLength(6);
    // Mattermost at 5/s: 200 ms apart. The rate is enforced where the send is granted (Redis), so
    // each gap seen here also carries the jitter of the claim before the call: about 200 ms, and
    // 1 s for the five gaps together. Slack at 50/s is not held to Mattermost's rate.
    for (let i = 1; i < m.length; i++) expect(m[i]! - m[i - 1]!).toBeGreaterThanOrEqual(120);
    expect(m[m.length - 1]! - m[0]!).toBeGreaterThanOrEqual(5 * 200 - 150);
    expect(s[s.length - 1]! - s[0]!).toBeLessThan(m[m.length - 1]! - m[0]!);
    expect(s[s.length - 1]!).toBeLessThan(m[m.length - 1]!);
  });

  it('paces across two worker processes sharing Redis', async () => {
    const store = new RecordingPlatform('slack');
    await worker(new RecordingAdapter('slack', store), { perChannelIntervalMs: 600 });
    await worker(new RecordingAdapter('slack', store), { perChannelIntervalMs: 600 });
    await service.enqueue(Array.from({ length: 4 }, (_, i) => toChannel(`shared-${i}`, 'CS')));
    await until('all', async () => {
      for (let i = 0; i < 4; i++) if (!(await delivered(`shared-${i}`)())) return false;
      return true;
    });
    const at = store.calls.filter((c) => c.op === 'post').map((c) => c.at).sort((x, y) => x - y);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(480);
  });

  it('rejects invalid requests at enqueue and invalid job data in the worker', async () => {
    await expect(service.enqueue([{ ...toChannel('bad key', 'C1') }])).rejects.toThrow(/delivery keys/);
    const slack = new RecordingAdapter();
    await worker(slack);
    const { Queue, QueueEvents } = await import('bullmq');
    const q = new Queue('delivery', { connection: env.connection, prefix: env.prefix });
    const eventsConnection = env.connection.duplicate();
    const events = new QueueEvents('delivery', { connection: eventsConnection, prefix: env.prefix });
    await events.waitUntilReady();
    const job = await q.add('deliver', { key: 'x' }, { jobId: 'garbage-1', attempts: 5 });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/invalid delivery job/);
    expect((await q.getJob('garbage-1'))?.attemptsMade).toBe(1);
    await events.close();
    await q.close();
    await eventsConnection.quit();
    expect(slack.calls).toHaveLength(0);
  });

  it('close() lets an in-flight delivery finish', async () => {
    const slack = new RecordingAdapter();
    slack.latencyMs = 400;
    const w = await worker(slack);
    await service.enqueue([toChannel('close-1', 'C1')]);
    // The send is claimed in the outbox just before the (slow) platform call starts.
    await until('in flight', async () => ((await service.status('close-1'))[0]?.attempts ?? 0) > 0);
    expect(slack.calls).toHaveLength(0);
    await w.close();
    expect(await delivered('close-1')()).toBe(true);
    expect(slack.store.copies('close-1')).toHaveLength(1);
  });
});

describe('delivery config', () => {
  const delivery = (yaml: string) => parseConfig(`delivery: ${yaml}\n`);

  it('takes one platform rate for every platform, or a rate per platform with the default for the rest', () => {
    const one = delivery('{ perPlatformPerSecond: 50 }');
    expect(one.ok && one.config.delivery).toMatchObject({ perPlatformPerSecond: 50, platformRates: { slack: 50, mattermost: 50 } });
    const each = delivery('{ perPlatformPerSecond: { slack: 50, mattermost: 10 } }');
    expect(each.ok && each.config.delivery).toMatchObject({ perPlatformPerSecond: 50, platformRates: { slack: 50, mattermost: 10, console: 20 } });
    const none = delivery('{}');
    expect(none.ok && none.config.delivery).toMatchObject({ perPlatformPerSecond: 20, platformRates: { slack: 20, mattermost: 20 } });
  });

  it('rejects an unknown platform or a bad rate with a clear problem', () => {
    for (const bad of ['{ perPlatformPerSecond: { teams: 5 } }', '{ perPlatformPerSecond: 0 }', '{ perPlatformPerSecond: { slack: fast } }']) {
      const r = delivery(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(JSON.stringify(r.problems), bad).toMatch(/perPlatformPerSecond/);
    }
  });
});
