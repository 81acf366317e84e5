/**
 * Tours of duty seen from the host team, through the whole bot (Slack commands to the fake Slack,
 * real Redis, real timers): the guest joins the host rotation's queue for the tour, can only
 * hold turns that end within it, leaves it at the end without a gap, and every change of the tour
 * re-plans the host's handoffs. A tour ended early while the guest is on duty leaves the rest of
 * the turn as a gap, announced at once with a cover request.
 *
 * The host rotation hands off every 3 hours (from midnight UTC) and has one member, carol, so
 * without a guest there is no handoff at all.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/jobs/job-id.js';
import { SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

const INFRA_CHANNEL = 'C0INFRA001';
const TURN = 3 * 3_600_000;

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
  // Carol joins the directory (no chat handle: she is only ever on duty), with the teams and the rotation.
  const original = await readFile(rig.configFile, 'utf8');
  await writeFile(
    rig.configFile,
    original.replace('roles:', `  - { id: carol, name: Carol Infra }
teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice] }
  - { id: infra, name: Infra, members: [carol], managers: [alice], channels: { slack: [${INFRA_CHANNEL}] } }
rotations:
  - { id: infra-duty, team: infra, timezone: UTC, anchor: "2026-01-05 00:00", turn: 3h, members: [carol] }
roles:`),
  );
  const outcome = await rig.bot.services.reload!();
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

async function command(name: '/oncall' | '/tour', text: string, user = SLACK_ALICE): Promise<string> {
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
});
