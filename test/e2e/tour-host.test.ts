/**
 * Tours of duty seen from the host team, through the whole bot (Slack commands to the fake Slack,
 * real Redis, real timers): the guest joins the host rotation's queue for the tour, can only
 * hold turns that end within it, leaves it at the end without a gap, and every change of the tour
 * re-plans the host's handoffs. A tour ended early while the guest is on duty leaves the rest of
 * the turn as a gap, announced at once with a cover request. While the tour runs the guest acts as a
 * member of the host team (support requests, the calendar address, "your team" defaults). The
 * mid-tour check-in follows the end as it moves, and the host team's channel gets the start and
 * end announcements and the lessons learned.
 *
 * The host rotation hands off every 3 hours (from midnight UTC) and has one member, carol, so
 * without a guest there is no handoff at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/delivery/job-id.js';
import { SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

const INFRA_CHANNEL = 'C0INFRA001';
const TURN = 3 * 3_600_000;

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
  // Carol joins the directory (no chat handle: she is only ever on duty), with the teams and the rotation.
  await rig.extendConfig(`  - { id: carol, name: Carol Infra }
teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice] }
  - { id: infra, name: Infra, members: [carol], managers: [alice], channels: { slack: [${INFRA_CHANNEL}] } }
rotations:
  - { id: infra-duty, team: infra, timezone: UTC, anchor: "2026-01-05 00:00", turn: 3h, members: [carol] }`);
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

async function command(name: '/oncall' | '/tour' | '/support', text: string, user = SLACK_ALICE): Promise<string> {
  const res = await rig.slack.sendCommand({ command: name, text, user_id: user, channel_id: SLACK_CHANNEL });
  expect(res.status).toBe(200);
  let body = res.json as { text?: string; blocks?: unknown[] } | undefined;
  if (!body?.text && !body?.blocks) body = (await rig.slack.waitForResponseUrl((p) => p.id === res.responseUrl.split('/').at(-1))).body as { text?: string };
  return JSON.stringify(body);
}

/** The instant the next handoff timer of the host rotation is set for, if any. */
async function nextHandoffTimer(): Promise<number | null> {
  const pointer = await rig.redis.get('timer:oncall-handoff:infra-duty.primary');
  if (!pointer) return null;
  const m = /-(\d{13})-[0-9a-f]{16}$/.exec(pointer);
  expect(m, pointer).not.toBeNull();
  const at = Number(m![1]);
  expect(pointer).toBe(jobId('t', ['oncall-handoff', 'infra-duty.primary', at]));
  return at;
}

/** The instant the tour's check-in timer is set for, if any. */
async function checkinTimer(tourId: string): Promise<number | null> {
  const pointer = await rig.redis.get(`timer:tour-checkin:${tourId}`);
  if (!pointer) return null;
  const at = Number(/-(\d{13})-[0-9a-f]{16}$/.exec(pointer)?.[1]);
  expect(pointer).toBe(jobId('t', ['tour-checkin', tourId, at]));
  return at;
}

const text = (c: { args: unknown }) => JSON.stringify(c.args);
const posts = (pred: (c: { args: Record<string, unknown> }) => boolean) => rig.slack.callsTo('chat.postMessage').filter(pred);
/** The DM channel the fake Slack opened for a user. */
const dmOf = (user: string) => (rig.slack.callsTo('conversations.open').find((c) => c.args.users === user)?.response as { channel?: { id?: string } } | undefined)?.channel?.id;

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The checks reason about "the current turn": start them clear of a handoff. */
async function awayFromHandoff(): Promise<void> {
  const left = TURN - (Date.now() % TURN);
  if (left < 20_000) await new Promise((r) => setTimeout(r, left + 100));
}

const segments = (from: number, to: number) => rig.bot.services.oncall!.segments('infra-duty', new Date(from), new Date(to), new Date());

describe('a guest on tour in the host rotation', () => {
  it('joins the queue for the tour, only for turns that end within it; extending and ending re-plan the handoffs', async () => {
    await awayFromHandoff();
    expect(await nextHandoffTimer()).toBeNull();

    // Two hours: no 3-hour turn fits, so bob never holds one and there is still no handoff.
    expect(await command('/tour', 'assign @bob infra now "in 2h"')).toMatch(/goes on a tour of duty with Infra/);
    const now = Date.now();
    expect((await segments(now, now + 2 * 86_400_000)).map((s) => s.person)).toEqual(expect.arrayContaining(['carol']));
    expect((await segments(now, now + 2 * 86_400_000)).some((s) => s.person === 'bob' || s.person === null)).toBe(false);
    expect(await nextHandoffTimer()).toBeNull();

    // Extended to two days: bob takes turns in the host rotation, never one past the end.
    expect(await command('/tour', 'extend @bob "in 2d"')).toMatch(/Infra/);
    const tour = (await rig.bot.services.tours!.all()).find((t) => t.person === 'bob')!;
    const end = Date.parse(tour.to);
    const segs = await segments(now, now + 3 * 86_400_000);
    const bobs = segs.filter((s) => s.person === 'bob');
    expect(bobs.length).toBeGreaterThan(5);
    for (const s of bobs) {
      expect(s.source).toBe('rotation');
      expect(s.end.getTime()).toBeLessThanOrEqual(end);
      expect(s.end.getTime() - s.start.getTime()).toBe(TURN);
    }
    // Carol alone after the tour, and no gap anywhere.
    expect(segs.filter((s) => s.start.getTime() >= end).every((s) => s.person === 'carol')).toBe(true);
    expect(segs.some((s) => s.person === null)).toBe(false);
    // The first handoff to bob is planned (the queue was carol, bob: carol's next turn, then his).
    const firstBob = bobs[0]!.start.getTime();
    expect(await nextHandoffTimer()).toBe(firstBob);
    // Schedule, who and the ledger read the same resolved turns.
    expect(await command('/oncall', 'schedule infra from=now to="in 2d"')).toContain(`<@${SLACK_BOB}>`);
    expect(await command('/oncall', 'who infra')).toMatch(new RegExp(`next: <@${SLACK_BOB}>`));

    // Ended before bob's first turn: back to carol alone, no handoff left to make.
    expect(await command('/tour', 'end @bob')).toMatch(/has ended/);
    const after = await segments(Date.now(), Date.now() + 3 * 86_400_000);
    expect(after.every((s) => s.person === 'carol')).toBe(true);
    expect(await nextHandoffTimer()).toBeNull();
  }, 60_000);

  it('ended early while the guest is on duty: the rest of the turn is a gap with a cover request to the host team', async () => {
    // A tour that began a turn before the current one (chat only takes tours from now on, the
    // service takes any): the queue was carol, alice, so alice holds the current turn.
    await awayFromHandoff();
    const now = Date.now();
    const current = Math.floor(now / TURN) * TURN;
    await rig.bot.services.tours!.assign({ person: 'alice', host: 'infra', from: new Date(current - TURN), to: new Date(now + 86_400_000), assignedBy: 'alice' }, new Date(now));
    expect((await rig.bot.services.oncall!.duty('infra-duty', new Date()))[0]?.current).toMatchObject({ person: 'alice', source: 'rotation' });

    expect(await command('/tour', 'end @alice')).toMatch(/has ended/);
    const cover = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === INFRA_CHANNEL && JSON.stringify(c.args).includes('tour of duty ended mid-turn'), 15_000);
    expect(JSON.stringify(cover.args)).toContain('oncallcover');
    const duty = (await rig.bot.services.oncall!.duty('infra-duty', new Date()))[0]!;
    expect(duty.current).toMatchObject({ person: null, gap: 'tour-ended' });
    expect(duty.current!.end.getTime()).toBe(current + TURN);
    expect(await command('/oncall', 'who infra')).toMatch(/a guest's tour ended: cover needed/);
    // The turn alice had begun stays hers up to the end of the tour.
    const hers = (await segments(current, current + TURN)).find((s) => s.person === 'alice');
    expect(hers?.start.getTime()).toBe(current);
  }, 60_000);

  it('a guest on tour is a member of the host team: support Ack / Resolve, the calendar address, the default team', async () => {
    // Not yet on tour: bob (of Payments, which has no rotation) may ask Infra, not answer for it.
    expect(await command('/oncall', 'ical infra', SLACK_BOB)).toMatch(/Only members of Infra or an admin/);
    expect(await command('/support', 'Deploys hang', SLACK_BOB)).toMatch(/Which team\? Add team=&lt;id&gt;/);
    expect(await command('/support', 'team=infra Deploys hang', SLACK_BOB)).toMatch(/Sent to Infra/);
    const post = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === INFRA_CHANNEL && text(c).includes('Deploys hang'), 15_000);
    const ts = String((post.response as { ts?: string }).ts);
    const id = (post.args.blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'supportack')!.value!;
    const clickAs = async (actionId: 'supportack' | 'supportresolve') => {
      // The clicker's answer comes back as an ephemeral message.
      const seen = rig.slack.ephemerals.length;
      await rig.slack.clickButton({ actionId, value: id, user_id: SLACK_BOB, channel_id: INFRA_CHANNEL, message_ts: ts });
      await until(() => rig.slack.ephemerals.slice(seen).some((e) => e.user === SLACK_BOB));
      return JSON.stringify(rig.slack.ephemerals.slice(seen).filter((e) => e.user === SLACK_BOB));
    };
    expect(await clickAs('supportack')).toMatch(/Only members of Infra can take its support requests/);
    expect((await rig.bot.services.support!.get(id))?.ackedAt).toBeUndefined();

    expect(await command('/tour', 'assign @bob infra now "in 1h"')).toMatch(/goes on a tour of duty with Infra/);
    expect(await command('/oncall', 'ical infra', SLACK_BOB)).toMatch(/ical\/oncall\/infra\.ics\?token=/);
    // His only team with a rotation is now the host: a request without team= goes there.
    expect(await command('/support', 'Builds are red', SLACK_BOB)).toMatch(/Sent to Infra/);
    expect(await clickAs('supportack')).toMatch(/You have support request/);
    expect(await clickAs('supportresolve')).toMatch(/is resolved/);
    expect(await rig.bot.services.support!.get(id)).toMatchObject({ ackedBy: 'bob', resolvedBy: 'bob' });
    expect(await command('/tour', 'end @bob')).toMatch(/has ended/);
  }, 60_000);

  it('the check-in moves with the end and is sent; the host channel gets the start, the end and the lessons', async () => {
    const inHost = (what: string) => posts((c) => c.args.channel === INFRA_CHANNEL && text(c).includes(what)).length;
    const lessonsDms = () => posts((c) => c.args.channel === dmOf(SLACK_BOB) && text(c).includes('tourlessons'));
    const [started, ended, asked] = [inHost('Tour of duty starts'), inHost('Tour of duty ended'), lessonsDms().length];
    expect(await command('/tour', 'assign @bob infra now "in 1h" Learn the on-call tools')).toMatch(/goes on a tour of duty with Infra/);
    const tour = (await rig.bot.services.tours!.all()).find((t) => t.person === 'bob' && Date.parse(t.to) > Date.now())!;
    const from = Date.parse(tour.from);
    expect(await checkinTimer(tour.id)).toBe(from + Math.floor((Date.parse(tour.to) - from) / 2));
    await until(() => inHost('Tour of duty starts') > started);

    // Extended: the check-in moves to the new midpoint.
    expect(await command('/tour', 'extend @bob "in 3h"')).toMatch(/Infra/);
    const longer = (await rig.bot.services.tours!.all()).find((t) => t.id === tour.id)!;
    expect(await checkinTimer(tour.id)).toBe(from + Math.floor((Date.parse(longer.to) - from) / 2));

    // Shortened to end in a few seconds: the check-in comes at the new midpoint, once, then the end.
    expect(await command('/tour', 'extend @bob "in 6s"')).toMatch(/Infra/);
    const checkin = await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && text(c).includes('Halfway through your tour with Infra'), 15_000);
    expect(checkin.args.channel).toBe(dmOf(SLACK_BOB));
    await until(() => inHost('Tour of duty ended') > ended);
    expect((await rig.bot.services.tours!.all()).find((t) => t.id === tour.id)?.checkedInAt).toBeDefined();
    expect(await checkinTimer(tour.id)).toBeNull();
    expect(rig.slack.callsTo('chat.postMessage').filter((c) => text(c).includes('Halfway through your tour with Infra'))).toHaveLength(1);

    // The lessons learned reach the host team's channel.
    await until(() => lessonsDms().length > asked);
    const lessons = lessonsDms().at(-1)!;
    const value = (lessons.args.blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'tourlessons')!.value!;
    const viewsBefore = rig.slack.views.size;
    await rig.slack.clickButton({ actionId: 'tourlessons', value, user_id: SLACK_BOB, channel_id: String(lessons.args.channel), message_ts: String((lessons.response as { ts?: string }).ts) });
    await until(() => rig.slack.views.size > viewsBefore);
    const viewId = [...rig.slack.views.keys()].at(-1)!;
    expect((await rig.slack.submitView({ viewId, user_id: SLACK_BOB, values: { well: 'Shadowing the pager', change: 'More runbooks' } })).status).toBe(200);
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === INFRA_CHANNEL && text(c).includes('Shadowing the pager'), 15_000);
  }, 60_000);
});
