/**
 * Maintenance windows run by themselves: reminders at the configured offsets, "started" at the
 * start and "completed" at the end, each a reply in every thread with every root edited; extend
 * moves the end, cancel stops what has not happened yet, complete ends a running window early. Whole bot (real timer and delivery
 * workers, real adapters) against the fake platforms and the real Redis; windows a few seconds
 * long so the timers really fire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/app.js';
import type { NoticeService } from '../../../src/services/notice/service.js';
import { rootKey, updateKey, type Notice } from '../../../src/domain/notice/notice.js';
import { SLACK_ALICE, slackKeys, startNoticeWorld, startWorldBot, until, type NoticeWorld } from './rig.js';

let world: NoticeWorld;
let bot: Bot;
let notices: NoticeService;

beforeAll(async () => {
  world = await startNoticeWorld({ slackChannels: 2, mattermostChannels: 1, reminderOffsets: ['3s'] });
  ({ bot } = await startWorldBot(world));
  notices = bot.services.notices!;
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await world?.close();
});

const author = { platform: 'slack' as const, userId: SLACK_ALICE, personId: 'alice', name: 'Alice PRE' };
const at = (ms: number) => new Date(Date.now() + ms);
const events = async (id: string) => (await notices.store.get(id))!.timeline.map((e) => e.event);
const delivered = async (key: string, count: number) => (await bot.deliveries.status(key)).filter((e) => e.state === 'delivered').length === count;

function maintenance(summary: string, start: Date, end: Date): Promise<Notice> {
  return notices.create({ env: 'prod-east', kind: 'maintenance', summary, components: ['db'], start, end, author });
}

describe('maintenance windows', () => {
  it('reminds, starts and completes on time, in every thread and on every root', { timeout: 40_000 }, async () => {
    const n = await maintenance('Database upgrade', at(5000), at(8000));
    expect(n.status).toBe('scheduled');
    await until('completed', async () => (await notices.store.get(n.id))!.status === 'completed', 20_000);
    expect(await events(n.id)).toEqual(['created', 'reminder', 'started', 'completed']);
    await until('three replies everywhere', async () => (await delivered(updateKey(n.id, 3), 3)) && (await delivered(rootKey(n.id), 3)), 10_000);
    for (const c of world.slackChannels) {
      const msgs = world.slack.messages(c);
      const root = msgs.find((m) => m.metadata?.event_payload.key === rootKey(n.id))!;
      expect(root.text).toMatch(/completed/);
      const replies = msgs.filter((m) => m.thread_ts === root.ts);
      expect(replies.map((m) => m.metadata?.event_payload.key)).toEqual([1, 2, 3].map((i) => updateKey(n.id, i)));
      expect(JSON.stringify(replies[0])).toMatch(/Reminder/);
      expect(JSON.stringify(replies[1])).toMatch(/Maintenance started/);
      expect(replies.every((m) => m.text.includes('CUI'))).toBe(true);
    }
    const started = (await notices.store.get(n.id))!.timeline.find((e) => e.event === 'started')!;
    expect(Date.parse(started.at)).toBeGreaterThanOrEqual(Date.parse(n.start!));
  });

  it('extend moves the end; cancel stops what has not happened; both update every copy', { timeout: 40_000 }, async () => {
    const extended = await maintenance('Kernel patching', at(1500), at(3000));
    const cancelled = await maintenance('Switch replacement', at(4000), at(9000));
    await notices.extend(extended.id, { ms: 4000 }, 'Alice PRE');
    await notices.cancel(cancelled.id, 'Vendor postponed', 'Alice PRE');
    expect(await notices.maintenanceWindows('prod-east', at(0), at(20_000))).toEqual(expect.not.arrayContaining([expect.objectContaining({ noticeId: cancelled.id })]));

    await new Promise((r) => setTimeout(r, 4500));
    // Past the original end, before the extended one: still running.
    expect((await notices.store.get(extended.id))!.status).toBe('in-progress');
    await until('extended window completes', async () => (await notices.store.get(extended.id))!.status === 'completed', 15_000);
    const done = (await notices.store.get(extended.id))!;
    expect(done.timeline.map((e) => e.event)).toEqual(['created', 'extended', 'started', 'completed']);
    expect(Date.parse(done.timeline.at(-1)!.at)).toBeGreaterThanOrEqual(Date.parse(extended.end!) + 4000 - 50);

    await new Promise((r) => setTimeout(r, 1000));
    expect(await events(cancelled.id)).toEqual(['created', 'cancelled']);
    await until('cancellation everywhere', async () => (await delivered(updateKey(cancelled.id, 1), 3)) && (await delivered(rootKey(cancelled.id), 3)), 10_000);
    const root = world.slack.messages(world.slackChannels[0]!).find((m) => m.metadata?.event_payload.key === rootKey(cancelled.id))!;
    expect(root.text).toMatch(/cancelled/);
    expect(slackKeys(world.slack, world.slackChannels[0]!).filter((k) => k.startsWith(`${rootKey(cancelled.id)}-u`))).toEqual([updateKey(cancelled.id, 1)]);

    // A finished window refuses changes, and only maintenance can be extended.
    await expect(notices.extend(extended.id, { ms: 60_000 }, 'Alice PRE')).rejects.toThrow(/is completed/);
    await expect(notices.complete(cancelled.id, 'Alice PRE')).rejects.toThrow(/is cancelled/);
    const outage = await notices.create({ env: 'prod-east', kind: 'outage', severity: 'sev3', summary: 'Slow', components: [], author });
    await expect(notices.extend(outage.id, { ms: 60_000 }, 'Alice PRE')).rejects.toThrow(/only maintenance windows can be extended/);
    await expect(notices.update(outage.id, { status: 'scheduled', text: 'x', by: 'a' })).rejects.toThrow(/not a status of an outage notice/);
  });

  it('complete ends a running window now, once, in every thread; a window that has not started is cancelled instead', { timeout: 40_000 }, async () => {
    const running = await maintenance('Index rebuild', at(1000), at(6000));
    const later = await maintenance('Later work', at(600_000), at(700_000));
    await until('running', async () => (await notices.store.get(running.id))!.status === 'in-progress', 15_000);
    await expect(notices.complete(later.id, 'Alice PRE')).rejects.toThrow(/has not started yet.*\/notice cancel/);
    // The start stays an instant, for the reader's zone (never ISO text on screen).
    await expect(notices.complete(later.id, 'Alice PRE')).rejects.toMatchObject({ parts: expect.arrayContaining([new Date(later.start!)]) });
    expect((await notices.store.get(later.id))!.status).toBe('scheduled');

    const before = Date.now();
    const done = await notices.complete(running.id, 'Alice PRE');
    expect(done.status).toBe('completed');
    expect(Date.parse(done.end!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(done.end!)).toBeLessThan(Date.parse(running.end!));
    await until('completion everywhere', async () => (await delivered(updateKey(running.id, 2), 3)) && (await delivered(rootKey(running.id), 3)), 10_000);
    const root = world.slack.messages(world.slackChannels[0]!).find((m) => m.metadata?.event_payload.key === rootKey(running.id))!;
    expect(root.text).toMatch(/completed/);
    const reply = world.slack.messages(world.slackChannels[0]!).find((m) => m.metadata?.event_payload.key === updateKey(running.id, 2))!;
    expect(JSON.stringify(reply)).toMatch(/Maintenance in Production East completed/);

    // Past the planned end: the stopped end timer adds nothing.
    await until('planned end passed', () => Date.now() > Date.parse(running.end!) + 1000, 15_000);
    expect(await events(running.id)).toEqual(['created', 'started', 'completed']);
    await notices.cancel(later.id, 'Not needed', 'Alice PRE');
  });
});
