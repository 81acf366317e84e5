/**
 * On-call end to end through the whole bot (fake Slack + fake Mattermost, real Redis and workers):
 * a rotation declared in the config file, `/oncall who`, covers (overrides) that change the answer
 * on both platforms, leave, schedules and the specific errors for bad input, which change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPartsOf } from '../../src/time/when.js';
import { MM_COMMAND_TOKEN, SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';
import { parseFeed } from '../support/ical-feed.js';

let rig: BotRig;
const PING = /<!(channel|here|everyone)>|(^|[^\w\u2060\\])@(channel|here|all|everyone)\b/;

beforeAll(async () => {
  rig = await startBotRig();
  await rig.extendConfig(`  - { id: carol, name: Carol Outsider }
teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice], channels: { slack: [C0PAYMENTS], mattermost: [${rig.mmChannel.id}] } }
  - { id: infra, name: Infra, members: [carol] }
  - { id: core, name: Core, members: [alice, bob] }
rotations:
  - { id: core-tribute, team: core, timezone: UTC, anchor: "2026-01-05 09:00", turn: 1d, members: [alice, bob] }
  - { id: pay, team: payments, timezone: Europe/Berlin, anchor: "2026-01-05 09:00", turn: 1d, members: [alice], supportSla: 2s }`);
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

/** The command's answer: the acknowledgement, or the ephemeral that follows on response_url. */
async function slack(text: string, user = SLACK_ALICE): Promise<string> {
  const { status, body } = await rig.slack.commandAnswer({ command: '/oncall', text, user_id: user, channel_id: SLACK_CHANNEL });
  expect(status).toBe(200);
  return JSON.stringify(body);
}

async function mattermost(text: string, user = rig.mmBob): Promise<string> {
  const res = await rig.mattermost.sendCommand(rig.appUrl, { command: '/oncall', text, token: MM_COMMAND_TOKEN, user_id: user.id, user_name: user.username, channel_id: rig.mmChannel.id });
  expect(res.status).toBe(200);
  return JSON.stringify(res.body);
}

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function mattermostSupport(text: string, user = rig.mmAlice): Promise<string> {
  const res = await rig.mattermost.sendCommand(rig.appUrl, { command: '/support', text, token: MM_COMMAND_TOKEN, user_id: user.id, user_name: user.username, channel_id: rig.mmChannel.id });
  expect(res.status).toBe(200);
  return JSON.stringify(res.body);
}

const overrides = async () => (await rig.bot.services.oncall!.state('pay')).overrides.length;
const audits = () => rig.redis.xlen('audit');

describe('/oncall through the whole bot', () => {
  it('answers who is on duty from the config declaration, on Slack and Mattermost', async () => {
    const s = await slack('who payments');
    expect(s).toContain('Payments');
    expect(s).toContain(`<@${SLACK_ALICE}>`);
    expect(s).toMatch(/until/);
    const m = await mattermost('who payments');
    expect(m).toContain('@alice');
  });

  it('hands off at the planned instant: DMs to the outgoing and incoming person, a post to the team channel', async () => {
    const saved = await slack(`override payments <@${SLACK_BOB}> "in 2s" "in 1h"`);
    expect(saved).toMatch(/is on duty for Payments/);
    const post = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS', 15_000);
    expect(JSON.stringify(post.args)).toMatch(/taking over from/);
    await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('You are on duty'));
    await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('Handed over'));
    const dmUsers = rig.slack.callsTo('conversations.open').map((c) => c.args.users);
    expect(dmUsers).toEqual(expect.arrayContaining([SLACK_ALICE, SLACK_BOB]));
    // Mattermost: the team channel, and DMs to both: bob is known to Day2 since he used /oncall
    // there; alice never has, so her id comes from a username lookup.
    await until(() => rig.mattermost.postsIn(rig.mmChannel.id).some((p) => p.message.includes('taking over from')));
    const dmTo = (userId: string) => rig.mattermost.directChannel(rig.mattermost.bot.id, userId).id;
    await until(() => rig.mattermost.postsIn(dmTo(rig.mmAlice.id)).some((p) => JSON.stringify(p).includes('Handed over')));
    await until(() => rig.mattermost.postsIn(dmTo(rig.mmBob.id)).some((p) => JSON.stringify(p).includes('You are on duty')));
    // Once only, even though the plan was made twice (at the reload and after the override).
    await new Promise((r) => setTimeout(r, 1500));
    expect(rig.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0PAYMENTS')).toHaveLength(1);
  }, 30_000);

  it('refuses bad input with a specific error and changes nothing', async () => {
    const before = { overrides: await overrides(), audits: await audits() };
    const cases: [string, string, RegExp][] = [
      ['override nope @bob now "in 2h"', SLACK_ALICE, /Unknown team \\"nope\\". Teams with a rotation: core, payments/],
      ['override payments @zed now "in 2h"', SLACK_ALICE, /Unknown user \\"@\u2060?zed\\"/],
      ['override payments carol now "in 2h"', SLACK_ALICE, /Carol Outsider \(carol\) is not a member of team payments/],
      ['override payments @bob "in 3h" "in 1h"', SLACK_ALICE, /\\"to\\" .* must be after \\"from\\"/],
      ['override payments @bob "2020-01-01 10:00" "2020-01-01 12:00"', SLACK_ALICE, /starts in the past/],
      ['override payments @bob someday "in 2h"', SLACK_ALICE, /\\"someday\\" is not a date or time/],
      ['override payments @bob 2026-02-30 "in 2h"', SLACK_ALICE, /is not a real date/],
      ['override payments @alice now "in 2h"', SLACK_BOB, /Only Payments' managers \(Alice Admin\) or an admin/],
      ['override payments @bob now "in 2h" slot=tertiary', SLACK_ALICE, /no layer slot \\"tertiary\\"; its slots are primary/],
      ['who nope', SLACK_ALICE, /Unknown team \\"nope\\"/],
      ['leave @alice tomorrow "in 3d"', SLACK_BOB, /Only Alice Admin themselves, a manager/],
    ];
    for (const [text, user, expected] of cases) {
      const answer = await slack(text, user);
      expect(answer, text).toMatch(expected);
      expect(answer, text).toMatch(/Usage|Only/);
    }
    expect(await overrides()).toBe(before.overrides);
    expect(await audits()).toBe(before.audits);
    expect(await rig.bot.services.oncall!.state('pay')).toMatchObject({ swaps: [], memberEdits: [] });
  });

  it('an override from Slack changes who is on duty everywhere, and is audited', async () => {
    const before = await audits();
    const saved = await slack(`override payments <@${SLACK_BOB}> now "in 2h"`);
    expect(saved).toMatch(/is on duty for Payments/);
    expect(await audits()).toBe(before + 1);
    expect(await slack('who payments')).toContain(`<@${SLACK_BOB}>`);
    const m = await mattermost('who payments', rig.mmAlice);
    expect(m).toContain('@bob');
    expect(m).toMatch(/next: @alice/);
  });

  it('bob covers himself; the schedule (past range too) shows the cover and his own turns', async () => {
    const mine = await mattermost('override payments @bob "in 3h" "in 4h"');
    expect(mine).toMatch(/is on duty for Payments/);
    const sched = await slack('schedule payments from=today to="in 1d"');
    expect(sched).toContain(`<@${SLACK_ALICE}>`);
    expect(sched).toMatch(/cover/);
    const me = await slack('me', SLACK_BOB);
    expect(me).toMatch(/Payments · primary · cover/);
  });

  it('shows the ledger: hours and covers per person', async () => {
    const s = await slack('stats payments from=today to="in 1d"');
    expect(s).toMatch(/On-call ledger/);
    expect(s).toMatch(new RegExp(`<@${SLACK_BOB}>: [0-9.]+ h on duty, [0-9.]+ h at weekends, 0 turns, covers given [1-9]`));
    expect(await slack('stats payments from="in 1d" to=today')).toMatch(/must be later than/);
    // An error names only what was typed, and says what the default end was.
    expect(await slack('stats payments from="in 1d"')).toMatch(/the report ends now when no/);
    expect(await slack('schedule payments to="-1d"')).not.toContain('"from" (');
  });

  it('swaps two turns with accept buttons in a DM; both are told; either can undo', async () => {
    const svc = rig.bot.services.oncall!;
    const now = new Date();
    const segs = await svc.segments('core-tribute', new Date(now.getTime() + 3_600_000 * 25), new Date(now.getTime() + 4 * 86_400_000), now);
    const mine = segs.find((x) => x.person === 'alice')!;
    const theirs = segs.find((x) => x.person === 'bob')!;
    // Alice types times in her zone (Europe/Berlin).
    const berlin = (d: Date) => {
      const p = localPartsOf(d, 'Europe/Berlin');
      const two = (n: number) => String(n).padStart(2, '0');
      return `"${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}"`;
    };
    expect(await slack(`swap core ${berlin(mine.turnStart)} <@${SLACK_ALICE}> ${berlin(theirs.turnStart)}`)).toMatch(/cannot swap with yourself/);
    expect(await slack(`swap core ${berlin(theirs.turnStart)} <@${SLACK_BOB}> ${berlin(mine.turnStart)}`)).toMatch(/Your turn: Alice Admin has no turn on [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}\./);
    expect((await svc.state('core-tribute')).pendingSwaps).toHaveLength(0);

    expect(await slack(`swap core ${berlin(mine.turnStart)} <@${SLACK_BOB}> ${berlin(theirs.turnStart)}`)).toMatch(/Asked/);
    const request = await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('Swap request'));
    const blocks = request.args.blocks as { elements?: { action_id?: string; value?: string }[] }[];
    const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'oncallswapyes')?.value;
    expect(value).toBeTruthy();
    const ts = String((request.response as { ts?: string } | undefined)?.ts ?? '1700000000.000100');
    // Only bob may answer.
    const wrong = await rig.slack.clickButton({ actionId: 'oncallswapyes', value: value!, user_id: SLACK_ALICE, channel_id: String(request.args.channel), message_ts: ts });
    expect(wrong.status).toBe(200);
    await until(() => rig.slack.ephemerals.some((e) => e.user === SLACK_ALICE && e.text.includes('Only the person asked can answer this swap')));
    expect((await svc.state('core-tribute')).swaps).toHaveLength(0);
    await rig.slack.clickButton({ actionId: 'oncallswapyes', value: value!, user_id: SLACK_BOB, channel_id: String(request.args.channel), message_ts: ts });
    await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('Swap accepted'));
    const after = await svc.segments('core-tribute', mine.turnStart, new Date(mine.turnStart.getTime() + 1), new Date());
    expect(after[0]).toMatchObject({ person: 'bob', source: 'swap', turnStart: mine.turnStart, turnEnd: mine.turnEnd });
    const swapId = (await svc.state('core-tribute')).swaps[0]!.id;

    expect(await slack(`unswap core ${swapId}`, SLACK_BOB)).toMatch(/is undone/);
    expect((await svc.segments('core-tribute', mine.turnStart, new Date(mine.turnStart.getTime() + 1), new Date()))[0]?.person).toBe('alice');

    // Asked again, bob declines: alice by DM, bob on the request itself; nothing is swapped.
    const asked = rig.slack.callsTo('chat.postMessage').length;
    expect(await slack(`swap core ${berlin(mine.turnStart)} <@${SLACK_BOB}> ${berlin(theirs.turnStart)}`)).toMatch(/Asked/);
    const again = await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('Swap request') && rig.slack.callsTo('chat.postMessage').indexOf(c) >= asked);
    const no = (again.args.blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'oncallswapno')?.value;
    await rig.slack.clickButton({ actionId: 'oncallswapno', value: no!, user_id: SLACK_BOB, channel_id: String(again.args.channel), message_ts: ts });
    await rig.slack.waitForCall('chat.update', (c) => JSON.stringify(c.args).includes('Swap declined'));
    await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('Swap declined'));
    const state = await svc.state('core-tribute');
    expect(state.swaps).toHaveLength(0);
    expect(state.pendingSwaps).toHaveLength(0);
    expect((await svc.segments('core-tribute', mine.turnStart, new Date(mine.turnStart.getTime() + 1), new Date()))[0]?.person).toBe('alice');

    // Asked a third time, alice withdraws before bob answers: only she may, and bob is told.
    expect(await slack(`swap core ${berlin(mine.turnStart)} <@${SLACK_BOB}> ${berlin(theirs.turnStart)}`)).toMatch(/Asked/);
    const pendingId = (await svc.state('core-tribute')).pendingSwaps[0]!.id;
    expect(await slack(`unswap core ${pendingId}`, SLACK_BOB)).toMatch(/Only the person who asked for this swap can withdraw it/);
    expect(await slack(`unswap core ${pendingId}`)).toMatch(/withdrew swap request/);
    await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('withdrew swap request'));
    expect((await svc.state('core-tribute')).pendingSwaps).toHaveLength(0);
  }, 30_000);

  it('previews a queue removal, applies it on Confirm and tells everyone whose turns moved', async () => {
    const svc = rig.bot.services.oncall!;
    expect(await slack('add core @alice')).toMatch(/already in the primary queue of core/);
    expect(await slack('remove core carol')).toMatch(/is not a member of team core/);
    expect(await slack('remove core @bob', SLACK_BOB)).toMatch(/Only Core's managers \(none configured\)/);
    expect((await svc.state('core-tribute')).memberEdits).toHaveLength(0);

    const res = await rig.slack.sendCommand({ command: '/oncall', text: `remove core <@${SLACK_BOB}>`, user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    let body = res.json as { text?: string; blocks?: { elements?: { action_id?: string; value?: string }[] }[] } | undefined;
    if (!body?.blocks) body = (await rig.slack.waitForResponseUrl((p) => p.id === res.responseUrl.split('/').at(-1))).body as typeof body;
    expect(JSON.stringify(body)).toMatch(/would change hands/);
    expect((await svc.state('core-tribute')).memberEdits).toHaveLength(0); // a preview changes nothing
    const value = body!.blocks!.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'oncalleditok')!.value!;
    const click = await rig.slack.clickButton({ actionId: 'oncalleditok', value, user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL, message_ts: '1700000000.000200', isEphemeral: true });
    const done = await rig.slack.waitForResponseUrl((p) => p.id === click.responseUrl.split('/').at(-1));
    expect(JSON.stringify(done.body)).toMatch(/left the Core primary queue/);
    expect((await svc.state('core-tribute')).memberEdits).toMatchObject([{ person: 'bob', kind: 'remove', layer: 'primary' }]);
    await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('Your Core turns changed'));
    const now = new Date();
    const ahead = await svc.segments('core-tribute', new Date(now.getTime() + 86_400_000 * 2), new Date(now.getTime() + 86_400_000 * 6), now);
    expect(new Set(ahead.map((x) => x.person))).toEqual(new Set(['alice']));
  }, 30_000);

  it('routes /support to the tribute with Ack / Resolve; unanswered it re-notifies, then escalates to the manager', async () => {
    const asked = await mattermostSupport('ask team=payments Refunds are stuck @channel');
    expect(asked).toMatch(/Sent to Payments/);
    expect(asked).toMatch(/@bob\u2060? is on duty and has it/);
    const post = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && JSON.stringify(c.args).includes('Support request for Payments'));
    expect(JSON.stringify(post.args)).not.toMatch(PING);
    const ts = String((post.response as { ts?: string }).ts);
    const value = (post.args.blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'supportack')!.value!;
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && c.args.thread_ts === ts && JSON.stringify(c.args).includes('Still waiting'), 15_000);
    const escalation = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && c.args.thread_ts === ts && JSON.stringify(c.args).includes('Escalated'), 15_000);
    expect(JSON.stringify(escalation.args)).toContain(`<@${SLACK_ALICE}>`); // no secondary layer: the manager
    await rig.slack.clickButton({ actionId: 'supportack', value, user_id: SLACK_BOB, channel_id: 'C0PAYMENTS', message_ts: ts });
    await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && JSON.stringify(c.args).includes('Acknowledged by'));
    await rig.slack.clickButton({ actionId: 'supportresolve', value, user_id: SLACK_BOB, channel_id: 'C0PAYMENTS', message_ts: ts });
    await rig.slack.waitForCall('chat.update', (c) => c.args.ts === ts && JSON.stringify(c.args).includes('Resolved by'));
    // The asker (on Mattermost) hears it is resolved.
    await until(() => [...rig.mattermost.posts.values()].some((p) => p.message.includes('is resolved by')));
    const r = await rig.bot.services.support!.get(value);
    expect(r).toMatchObject({ ackedBy: 'bob', resolvedBy: 'bob', stage: 2, escalatedTo: ['alice'] });
    // The ledger shows how long acknowledging and resolving took, for the team and for bob.
    const took = (at: string | undefined) => `${Math.round((Date.parse(at!) - Date.parse(r!.createdAt)) / 1000)} s`;
    const stats = await slack('stats payments');
    expect(stats).toContain(`Support: 1 request (1 acknowledged, 1 resolved, 0 open); time to ack median ${took(r!.ackedAt)}, p90 ${took(r!.ackedAt)}; time to resolve median ${took(r!.resolvedAt)}, p90 ${took(r!.resolvedAt)}`);
    expect(stats).toContain(`<@${SLACK_BOB}> on duty: 1 request; ack median ${took(r!.ackedAt)}`);
    expect(await slack('stats core')).toContain('Support: no requests in this range.');
  }, 40_000);

  it('serves the resolved turns as a private iCalendar feed', async () => {
    expect(await slack('ical payments', SLACK_BOB)).toMatch(/ical\/oncall\/payments\.ics\?token=/);
    expect(await slack('ical infra')).toMatch(/Team \\"infra\\" has no rotation/);
    const answer = await slack('ical payments');
    const token = /token=([A-Za-z0-9_-]+)/.exec(answer)![1]!;
    const feed = await fetch(`${rig.appUrl}/ical/oncall/payments.ics?token=${token}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/text\/calendar/);
    const body = await feed.text();
    expect(body).toContain('BEGIN:VCALENDAR');
    // A calendar client can read it, and revalidate it: unchanged, it is a 304.
    const parsed = parseFeed(body);
    expect(parsed.length).toBeGreaterThan(0);
    expect(feed.headers.get('cache-control')).toBe('private, max-age=300');
    expect((await fetch(`${rig.appUrl}/ical/oncall/payments.ics?token=${token}`, { headers: { 'if-none-match': feed.headers.get('etag')! } })).status).toBe(304);
    expect(body).toContain('SUMMARY:Payments primary: Alice Admin');
    expect(body).toContain('SUMMARY:Payments primary: Bob Builder'); // the cover
    expect((await fetch(`${rig.appUrl}/ical/oncall/payments.ics?token=wrong${token}`)).status).toBe(404);
    expect((await fetch(`${rig.appUrl}/ical/oncall/core.ics?token=${token}`)).status).toBe(404);
    expect((await fetch(`${rig.appUrl}/ical/oncall/payments.ics?token=${token}&from=yesterday`)).status).toBe(400);
    const impossible = await fetch(`${rig.appUrl}/ical/oncall/payments.ics?token=${token}&from=2026-02-30`);
    expect(impossible.status).toBe(400);
    expect(await impossible.text()).toContain('from: 2026-02-30 is not a date: February 2026 has 28 days');
    const past = await (await fetch(`${rig.appUrl}/ical/oncall/payments.ics?token=${token}&from=2026-02-01&to=2026-02-03`)).text();
    expect(past.match(/BEGIN:VEVENT/g)).toHaveLength(3); // daily 09:00 Berlin turns overlapping 1–3 February
    // Whole turns: the first began on 31 January at 09:00 Berlin, before the window.
    expect(parseFeed(past)[0]!.start.toISOString()).toBe('2026-01-31T08:00:00.000Z');
  });

  it('records leave for oneself and never lets user text ping a channel', async () => {
    const answer = await mattermost('leave @alice "in 2d" "in 5d"', rig.mmAlice);
    expect(answer).toMatch(/Leave recorded/);
    const records = await rig.bot.services.oncall!.schedule('pay', new Date());
    expect(records.changes.absences.map((a) => a.person)).toEqual(['alice']);
    // The same leave typed twice is one leave, and the second answer says so.
    expect(await mattermost('leave @alice 2027-03-01 2027-03-05', rig.mmAlice)).toMatch(/Leave recorded/);
    expect(await mattermost('leave @alice 2027-03-01 2027-03-05', rig.mmAlice)).toMatch(/was already recorded: nothing changed/);
    const march = (await rig.bot.services.oncall!.schedule('pay', new Date('2027-02-28T00:00:00Z'))).changes.absences.filter((a) => new Date(a.from).getUTCFullYear() === 2027);
    expect(march).toHaveLength(1);
    // Alice is the whole queue: while she is away her turns are explicit gaps.
    expect(await slack('schedule payments from="in 3d" to="in 4d"')).toMatch(/gap.*nobody-available/);
    const attack = await slack('who @channel');
    expect(attack).toMatch(/Unknown team/);
    expect(attack).not.toMatch(PING);
  });

  it('tours of duty: away from home rotations during the tour, announced at start and end, ended early by a manager', async () => {
    const tourCmd = async (text: string, user = SLACK_ALICE) => {
      const res = await rig.slack.sendCommand({ command: '/tour', text, user_id: user, channel_id: SLACK_CHANNEL });
      let body = res.json as { text?: string } | undefined;
      if (!body?.text) body = (await rig.slack.waitForResponseUrl((p) => p.id === res.responseUrl.split('/').at(-1))).body as { text?: string };
      return JSON.stringify(body);
    };
    expect(await tourCmd('assign @alice payments "in 1h" "in 2h"')).toMatch(/already a member of Payments/);
    expect(await tourCmd('assign @alice nope "in 1h" "in 2h"')).toMatch(/Unknown team \\"nope\\"/);
    expect(await tourCmd('assign @alice infra "in 2h" "in 1h"')).toMatch(/must be after/);
    expect(await tourCmd('assign @alice infra "in 1h" "in 2h"', SLACK_BOB)).toMatch(/manager|admin/);
    expect(await rig.bot.services.tours!.all()).toHaveLength(0);

    expect(await tourCmd('assign @alice infra "in 1s" "in 1h" Learn the deploy pipeline')).toMatch(/goes on a tour of duty with Infra/);
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && JSON.stringify(c.args).includes('Tour of duty starts'), 15_000);
    await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('start checklist'));
    // Alice is the whole core queue: while she is on tour nobody from it is on duty.
    const svc = rig.bot.services.oncall!;
    const during = await svc.segments('core-tribute', new Date(), new Date(Date.now() + 50 * 60_000), new Date());
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((x) => x.person !== null)).toEqual([]);
    expect(await slack('who core')).not.toMatch(new RegExp(`<@${SLACK_ALICE}> until`));
    expect(await tourCmd('list')).toMatch(/with Infra/);

    expect(await tourCmd('end @alice')).toMatch(/has ended; they are back/);
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && JSON.stringify(c.args).includes('Tour of duty ended'), 15_000);
    const lessons = await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('tourlessons'));
    expect(JSON.stringify(lessons.args)).toMatch(/Your tour with Infra is over/);
    // The questionnaire: the button opens a form; the answers go to both teams and are kept.
    const answerValue = (lessons.args.blocks as { elements?: { action_id?: string; value?: string }[] }[]).flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'tourlessons')!.value!;
    const viewsBefore = rig.slack.views.size;
    await rig.slack.clickButton({ actionId: 'tourlessons', value: answerValue, user_id: SLACK_ALICE, channel_id: String(lessons.args.channel), message_ts: String((lessons.response as { ts?: string }).ts) });
    await until(() => rig.slack.views.size > viewsBefore);
    const viewId = [...rig.slack.views.keys()].at(-1)!;
    const submitted = await rig.slack.submitView({ viewId, user_id: SLACK_ALICE, values: { well: 'Pairing on deploys', change: 'Runbooks @channel are stale' } });
    expect(submitted.status).toBe(200);
    const posted = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && JSON.stringify(c.args).includes('Pairing on deploys'));
    expect(JSON.stringify(posted.args)).not.toMatch(PING);
    expect((await rig.bot.services.tours!.all()).find((t) => t.person === 'alice')?.lessons).toMatchObject({ well: 'Pairing on deploys', change: 'Runbooks @channel are stale' });
    const after = await svc.segments('core-tribute', new Date(), new Date(Date.now() + 2 * 86_400_000), new Date());
    expect(after.some((x) => x.person === 'alice')).toBe(true);
    // A guest on tour counts as a member of the host team for covers.
    expect(await slack('override payments carol now "in 30m"')).toMatch(/not a member of team payments/);
    expect(await tourCmd('assign carol payments now "in 1h"')).toMatch(/goes on a tour of duty with Payments/);
    expect(await slack('override payments carol now "in 30m"')).toMatch(/is on duty for Payments/);
    // Carol's later override replaced bob's cover, so bob is free: he never toured, alice just did.
    // Alice's tour lasted seconds of her core turn: she kept the turn, so she is on duty now.
    expect(await tourCmd('suggest infra')).toMatch(new RegExp(`<@${SLACK_BOB}> — has never been on a tour\\. Considered 2 people; left out 1 on duty\\.`));
  }, 40_000);

  it('two bot processes on one Redis run each handoff once', async () => {
    const twin = await rig.twin();
    // The twin starts from the rig's first config; give it the same file the first bot runs on.
    expect(await twin.bot.services.reload!()).toMatchObject({ ok: true });
    const handoffPosts = () => rig.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === 'C0PAYMENTS' && JSON.stringify(c.args).includes('handoff')).length;
    const before = handoffPosts();
    expect(await slack('override payments @alice "in 2s" "in 3s"')).toMatch(/is on duty for Payments/);
    // Two handoffs: to alice at +2 s, back to carol at +3 s; each posted once although both bots plan and run timers.
    await until(() => handoffPosts() >= before + 2, 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(handoffPosts()).toBe(before + 2);
  }, 40_000);
});
