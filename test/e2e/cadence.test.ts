/**
 * Cadence end to end through the whole bot against fake Slack and fake Mattermost, real Redis and
 * real BullMQ workers: config-declared cadences, create with preview and confirm, bad input that
 * saves and schedules nothing, role checks, skip/move/pause/resume/edit/delete, and one meeting's
 * life on both platforms — agenda, reminder, announcement with the agenda, RSVP counts updated
 * in place, notes — with the occurrence moved to "in a minute" through chat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMattermost } from '../fakes/mattermost.js';
import { MM_COMMAND_TOKEN, SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';
import { parseFeed } from '../support/ical-feed.js';

const CADENCE_CHANNEL = 'C0CADENCE1';
const ICAL_TOKEN = 'e2e-cadence-ical-token-0123';
const PING = /<!(channel|here|everyone)>|(^|[^\w\u2060\\])@(channel|here|all|everyone)\b/;

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig({
    roles: '{ admin: [alice], manager: [alice] }',
    extraConfig: () => `
environments:
  - { id: prod, name: Production }
cadence:
  holidays:
    de: [{ date: "2026-12-25", name: Christmas }]
  channels: { slack: [${CADENCE_CHANNEL}] }
  icalToken: ${ICAL_TOKEN}
  cadences:
    - name: upgrade-window
      title: Platform upgrade window
      schedule: monthly last fri
      time: "18:00"
      zone: Europe/Berlin
      blocking: true
      environments: [prod]
      duration: 2h
      channels: { slack: [${CADENCE_CHANNEL}] }
`,
  });
  // Config cadences are loaded in the background at start.
  await waitFor(async () => (await rig.bot.services.cadence!.store.cadences.get('upgrade-window'))?.value.planned);
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Json = Record<string, any>;
const blockButtons = (blocks: unknown): Json[] => ((blocks as Json[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements as Json[]);

/** A /cadence command on Slack; resolves the ephemeral answer (ack or response_url) as JSON text and its buttons. */
async function slack(text: string, user = SLACK_ALICE, channel = SLACK_CHANNEL): Promise<{ text: string; buttons: Json[] }> {
  const res = await rig.slack.sendCommand({ command: '/cadence', text, user_id: user, channel_id: channel });
  expect(res.status).toBe(200);
  let body = res.json as Json | undefined;
  if (!body?.text && !body?.blocks) body = (await rig.slack.waitForResponseUrl((p) => p.id === res.responseUrl.split('/').pop())).body;
  return { text: JSON.stringify(body), buttons: blockButtons(body?.blocks) };
}

async function mm(text: string, user = rig.mmAlice) {
  const res = await rig.mattermost.sendCommand(rig.appUrl, { command: '/cadence', text, token: MM_COMMAND_TOKEN, user_id: user.id, user_name: user.username, channel_id: rig.mmChannel.id });
  expect(res.status).toBe(200);
  return res.body as { text: string; props?: Record<string, unknown> };
}

const fixProps = (props: Record<string, unknown>) => JSON.parse(JSON.stringify(props).replace(/http:\/\/localhost:\d+/g, rig.appUrl)) as Record<string, unknown>;
const store = () => rig.bot.services.cadence!.store;
/** KEYS patterns are not key-prefixed by ioredis: spell the prefix out. */
const keysOf = (pattern: string) => rig.redis.keys(`${rig.prefix}:${pattern}`);
const timerKeys = async () => (await keysOf('timer:cadence-*')).length;

describe('config-declared cadences', () => {
  it('are listed and shown, and cannot be deleted from chat', async () => {
    const list = await slack('list');
    expect(list.text).toContain('upgrade-window');
    const show = await slack('show upgrade-window');
    expect(show.text).toContain('Platform upgrade window');
    expect(show.text).toContain('configuration file');
    const del = await slack('delete upgrade-window');
    expect(del.text).toMatch(/declared in the configuration file/);
    expect(await store().cadences.get('upgrade-window')).toBeDefined();
  });

  it('feed release coordination with blocking occurrences and the iCal feed', async () => {
    const from = new Date();
    const to = new Date(from.getTime() + 70 * 86_400_000);
    const events = await rig.bot.services.blockingEvents!('prod', from, to);
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const e of events) {
      expect(e.cadence).toBe('upgrade-window');
      // Last Friday of the month, 18:00 in Berlin, two hours.
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(e.start);
      expect(local).toBe('Fri 18:00');
      expect(e.end.getTime() - e.start.getTime()).toBe(2 * 3600_000);
    }
    expect((await fetch(`${rig.appUrl}/ical/cadence.ics?token=wrong`)).status).toBe(404);
    const feed = await fetch(`${rig.appUrl}/ical/cadence.ics?token=${ICAL_TOKEN}`);
    expect(feed.status).toBe(200);
    const ics = await feed.text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('SUMMARY:Platform upgrade window');
    expect(ics).toMatch(/UID:day2-cadence-upgrade-window-\d{8}T1800/);
    expect(parseFeed(ics).every((e) => e.summary === 'Platform upgrade window' && e.sequence === 0)).toBe(true);
    expect((await fetch(`${rig.appUrl}/ical/cadence.ics?token=${ICAL_TOKEN}`, { headers: { 'if-none-match': feed.headers.get('etag')! } })).status).toBe(304);
  });
});

describe('creating a cadence', () => {
  it.each([
    ['a time like 25:00', 'bad-time weekly mon 25:00', /hours go from 00 to 23/],
    ['an unknown zone', 'bad-zone weekly mon 10:00 Mars/Olympus', /not an IANA time zone/],
    ['an RRULE that does not parse', 'bad-rule RRULE:FREQ=SOMETIMES 10:00', /RRULE/],
    ['an RRULE that never occurs', 'never RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 10:00', /never occurs/],
    ['a channel the bot cannot post in', 'secret weekly mon 10:00 UTC <#C0SECRET1|secret>', /cannot post in/],
    ['an unknown schedule', 'odd fortnightly mon 10:00', /is not a schedule/],
    ['a missing time', 'no-time weekly mon', /time of day is missing/],
    ['a duplicate name', 'upgrade-window weekly mon 10:00', /already exists/],
    ['an unknown holiday calendar', 'hol weekly mon 10:00 holidays=fr:skip', /unknown holiday calendar \W+fr\W+ \(configured: de\)/],
  ])('refuses %s with a specific error and saves and schedules nothing', async (_what, input, problem) => {
    const before = { cadences: (await store().cadences.list()).length, timers: await timerKeys(), drafts: (await keysOf('cadence-draft:*')).length };
    const answer = await slack(`create ${input}`);
    expect(answer.text).toMatch(problem);
    expect(answer.text).toContain('Usage');
    expect(answer.buttons).toEqual([]);
    expect((await store().cadences.list()).length).toBe(before.cadences);
    expect(await timerKeys()).toBe(before.timers);
    expect((await keysOf('cadence-draft:*')).length).toBe(before.drafts);
  });

  it('refuses someone without the manager, PRE or admin role', async () => {
    const answer = await slack('create bobs weekly mon 10:00', SLACK_BOB);
    // The roles as the team calls them, and the config keys that grant them.
    expect(answer.text).toMatch(/Only people with the \*manager, PRE or admin\* role can do this\. An admin can grant it under `roles:` in the Day2 configuration \(as manager, pre or admin\)\./);
    expect(await store().cadences.get('bobs')).toBeUndefined();
  });

  it('previews the next five occurrences in the creator zone, saves on confirm, and manages it', async () => {
    const preview = await slack('create platform-sync monthly 2nd tue 10:00 America/New_York here kind=meeting title="Platform sync <!channel>" holidays=de:shift');
    expect(preview.text).toContain('Next five occurrences');
    expect(preview.text).toContain('Europe/Berlin'); // Alice reads them in her zone…
    expect(preview.text).toMatch(/16:00/); // …10:00 New York is 16:00 in Berlin (outside the DST mismatch weeks)
    expect(preview.text).not.toMatch(PING);
    expect(preview.text.match(/Tue \d{1,2} \w{3} \d{4}, 16:00 [A-Z]/g)?.length).toBe(5);
    expect(await store().cadences.get('platform-sync')).toBeUndefined();
    const confirm = preview.buttons.find((b) => b.action_id === 'cadenceConfirm')!;
    expect(confirm).toBeDefined();
    const click = await rig.slack.clickButton({ actionId: 'cadenceConfirm', value: confirm.value, user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL, message_ts: '1.1', isEphemeral: true });
    expect(click.status).toBe(200);
    const saved = await waitFor(async () => (await store().cadences.get('platform-sync'))?.value.planned && (await store().cadences.get('platform-sync'))!.value);
    expect(saved).toMatchObject({ kind: 'meeting', zone: 'America/New_York', time: { hour: 10, minute: 0 }, holidays: { calendar: 'de', policy: 'shift' }, channels: [{ platform: 'slack', channelId: SLACK_CHANNEL }] });
    // The same draft cannot be confirmed twice.
    await rig.slack.clickButton({ actionId: 'cadenceConfirm', value: confirm.value, user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL, message_ts: '1.1', isEphemeral: true });
    expect((await store().cadences.list()).filter((c) => c.id === 'platform-sync')).toHaveLength(1);

    const first = saved.planned!;
    const firstDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(first.at));
    expect((await slack(`skip platform-sync ${firstDate}`)).text).toMatch(/Skipped platform-sync/);
    const afterSkip = (await store().cadences.get('platform-sync'))!.value;
    expect(afterSkip.skips).toEqual([first.occurrence]);
    expect(afterSkip.planned!.occurrence).not.toBe(first.occurrence);

    expect((await slack('skip platform-sync 2020-01-01')).text).toMatch(/no occurrence on 2020-01-01|already happened/);
    expect((await slack('move platform-sync 2026-13-40 "2027-01-01 10:00"')).text).toMatch(/not a date/);

    const secondDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(afterSkip.planned!.at));
    const d = Number(secondDate.slice(8, 10));
    const moveTo = `${secondDate.slice(0, 8)}${String(d! + 1).padStart(2, '0')} 11:30`;
    expect((await slack(`move platform-sync ${secondDate} "${moveTo}"`)).text).toMatch(/Moved platform-sync/);
    const afterMove = (await store().cadences.get('platform-sync'))!.value;
    // Read in Alice's zone (Berlin): 11:30 Berlin.
    const moved = new Date(afterMove.moves[afterSkip.planned!.occurrence]!);
    expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(moved)).toBe('11:30');
    expect(afterMove.planned!.at).toBe(moved.toISOString());

    expect((await slack('pause platform-sync')).text).toMatch(/Paused/);
    expect((await store().cadences.get('platform-sync'))!.value.planned).toBeUndefined();
    expect((await slack('pause platform-sync')).text).toMatch(/already paused/);
    expect((await slack('resume platform-sync')).text).toMatch(/Resumed/);
    expect((await store().cadences.get('platform-sync'))!.value.planned).toBeDefined();

    expect((await slack('edit platform-sync time=25:00')).text).toMatch(/hours go from 00 to 23/);
    expect((await slack('edit platform-sync time=09:15 reminders=2d,30m')).text).toMatch(/Updated/);
    const edited = (await store().cadences.get('platform-sync'))!.value;
    expect(edited).toMatchObject({ time: { hour: 9, minute: 15 }, reminders: ['2d', '30m'] });
    // The skipped and the moved day are the same days at the new time: neither comes back.
    expect(edited.skips).toEqual([first.occurrence.replace(/T\d{4}$/, 'T0915')]);
    expect(edited.moves).toEqual({ [afterSkip.planned!.occurrence.replace(/T\d{4}$/, 'T0915')]: moved.toISOString() });
    expect((await slack('edit platform-sync time=09:15', SLACK_BOB)).text).toMatch(/manager|pre|admin/);

    expect((await slack('delete platform-sync')).text).toMatch(/Deleted/);
    expect(await store().cadences.get('platform-sync')).toBeUndefined();
    expect(await keysOf('timer:cadence-*:platform-sync.*')).toEqual([]);
    expect(await timerKeys()).toBeGreaterThan(0); // the pattern does find the other cadences' timers
  });
});

describe('one meeting on both platforms', () => {
  it('reminder -> announcement with agenda -> RSVP counts -> notes', async () => {
    // Created on Mattermost, announced there ("here") and in a Slack channel from the config.
    const preview = await mm(`create weekly-sync weekly wed 10:00 UTC here ${CADENCE_CHANNEL} kind=meeting reminders=1m`);
    expect(preview.text).toContain('Next five occurrences');
    const confirm = await waitFor(() => rig.mattermost.ephemerals.find((e) => e.user_id === rig.mmAlice.id && FakeMattermost.actionsOf(e).some((a) => a.id === 'cadenceConfirm')));
    await rig.mattermost.clickButton({ channel_id: rig.mmChannel.id, props: fixProps(confirm.props) }, 'cadenceConfirm', { user_id: rig.mmAlice.id });
    const saved = await waitFor(async () => (await store().cadences.get('weekly-sync'))?.value.planned && (await store().cadences.get('weekly-sync'))!.value);

    expect((await mm('agenda add weekly-sync "Redis 7 upgrade @here"')).text).toMatch(/Added to the agenda/);
    expect((await slack('agenda add weekly-sync "Postgres failover drill"', SLACK_BOB)).text).toMatch(/Added to the agenda/);
    expect((await slack('agenda weekly-sync')).text).toContain('Postgres failover drill');

    // Bring the next occurrence to just over a minute from now, so its 1m reminder is due at once.
    const date = saved.planned!.at.slice(0, 10);
    expect((await slack(`move weekly-sync ${date} "in 63s"`)).text).toMatch(/Moved weekly-sync/);

    const isReminder = (s: string) => s.includes('Reminder') && s.includes('weekly-sync');
    await waitFor(() => rig.slack.messages(CADENCE_CHANNEL).find((m) => isReminder(JSON.stringify(m))));
    await waitFor(() => rig.mattermost.postsIn(rig.mmChannel.id).find((p) => isReminder(JSON.stringify(p))));

    const isAnnouncement = (s: string) => s.includes('cadenceGoing') && s.includes('weekly-sync');
    const slackMsg = await waitFor(() => rig.slack.messages(CADENCE_CHANNEL).find((m) => isAnnouncement(JSON.stringify(m))), 90_000);
    const mmPost = await waitFor(() => rig.mattermost.postsIn(rig.mmChannel.id).find((p) => isAnnouncement(JSON.stringify(p))), 20_000);
    for (const text of [JSON.stringify(slackMsg), JSON.stringify(mmPost)]) {
      expect(text).toContain('Redis 7 upgrade');
      expect(text).toContain('Postgres failover drill');
      expect(text).not.toMatch(PING);
    }
    // Archived with the occurrence: the next one starts with an empty agenda.
    expect((await store().cadences.get('weekly-sync'))!.value.agenda).toEqual([]);

    // Bob answers on Slack, Alice on Mattermost; both copies show both answers.
    const going = blockButtons(slackMsg.blocks).find((b) => b.action_id === 'cadenceGoing')!;
    await rig.slack.clickButton({ actionId: 'cadenceGoing', value: going.value, user_id: SLACK_BOB, channel_id: CADENCE_CHANNEL, message_ts: slackMsg.ts });
    await rig.mattermost.clickButton({ id: mmPost.id, channel_id: rig.mmChannel.id, props: fixProps(mmPost.props) }, 'cadenceMaybe', { user_id: rig.mmAlice.id });
    const counts = (s: string) => /Going[^0-9]*1/.test(s) && /Maybe[^0-9]*1/.test(s);
    await waitFor(() => counts(JSON.stringify(rig.slack.messages(CADENCE_CHANNEL).find((m) => m.ts === slackMsg.ts))), 15_000);
    await waitFor(() => counts(JSON.stringify(rig.mattermost.postsIn(rig.mmChannel.id).find((p) => p.id === mmPost.id))), 15_000);
    // Still one announcement per channel.
    expect(rig.slack.messages(CADENCE_CHANNEL).filter((m) => isAnnouncement(JSON.stringify(m)))).toHaveLength(1);
    expect(rig.mattermost.postsIn(rig.mmChannel.id).filter((p) => isAnnouncement(JSON.stringify(p)))).toHaveLength(1);

    // Notes go to the occurrence and to its channels; Bob has no role for them.
    expect((await slack('notes weekly-sync "Decided: Redis 7 in January"', SLACK_BOB)).text).toMatch(/role/);
    expect((await slack('notes weekly-sync "Decided: Redis 7 in January"')).text).toMatch(/Notes added/);
    await waitFor(() => rig.slack.messages(CADENCE_CHANNEL).find((m) => JSON.stringify(m).includes('Decided: Redis 7 in January')));
    await waitFor(() => rig.mattermost.postsIn(rig.mmChannel.id).find((p) => JSON.stringify(p).includes('Decided: Redis 7 in January')));
    const show = await slack('show weekly-sync');
    expect(show.text).toMatch(/fired/);

    // The first item was covered; the other is carried over to the next occurrence.
    expect((await slack('agenda carry weekly-sync', SLACK_BOB)).text).toMatch(/You need the manager, PRE or admin role to change an archived agenda\./);
    expect((await slack('agenda covered weekly-sync 1')).text).toMatch(/Marked item 1 covered/);
    expect((await slack('agenda carry weekly-sync')).text).toMatch(/Carried 1 item over/);
    expect((await store().cadences.get('weekly-sync'))!.value.agenda.map((a) => a.text)).toEqual(['Postgres failover drill']);
    expect((await slack('agenda carry weekly-sync')).text).toMatch(/already on the next/); // not doubled
    expect((await store().cadences.get('weekly-sync'))!.value.agenda).toHaveLength(1);
  }, 120_000);
});

describe('a resiliency exercise', () => {
  it('counts RSVPs by role, then sends lessons learned to the channel and to the participants; action items until done', async () => {
    const preview = await slack(`create drill quarterly 2nd wed 14:00 UTC ${CADENCE_CHANNEL} kind=exercise invite=pre,manager reminders=none`);
    expect(preview.text).toContain('Next five occurrences');
    const draft = preview.buttons.find((b) => b.action_id === 'cadenceConfirm')!.value as string;
    await rig.slack.clickButton({ actionId: 'cadenceConfirm', value: draft, user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL, message_ts: '2.1', isEphemeral: true });
    const saved = await waitFor(async () => (await store().cadences.get('drill'))?.value.planned && (await store().cadences.get('drill'))!.value);
    expect((await slack(`move drill ${saved.planned!.at.slice(0, 10)} "in 2s"`)).text).toMatch(/Moved drill/);

    const isDrill = (s: string) => s.includes('cadenceGoing') && s.includes('Run sheet');
    const msg = await waitFor(() => rig.slack.messages(CADENCE_CHANNEL).find((m) => isDrill(JSON.stringify(m))), 20_000);
    // Alice (manager in this config) is invited by name.
    expect(JSON.stringify(msg)).toContain(`<@${SLACK_ALICE}>`);
    const going = blockButtons(msg.blocks).find((b) => b.action_id === 'cadenceGoing')!;
    // Alice holds manager: the count by role shows it.
    await rig.slack.clickButton({ actionId: 'cadenceGoing', value: going.value, user_id: SLACK_ALICE, channel_id: CADENCE_CHANNEL, message_ts: msg.ts });
    await rig.slack.clickButton({ actionId: 'cadenceGoing', value: going.value, user_id: SLACK_BOB, channel_id: CADENCE_CHANNEL, message_ts: msg.ts });
    await waitFor(() => /manager: 1/.test(JSON.stringify(rig.slack.messages(CADENCE_CHANNEL).find((m) => m.ts === msg.ts))) && /Going[^0-9]*2/.test(JSON.stringify(rig.slack.messages(CADENCE_CHANNEL).find((m) => m.ts === msg.ts))), 15_000);

    expect((await slack('notes drill "Lesson: failover took 4 minutes"')).text).toMatch(/Notes added/);
    await waitFor(() => rig.slack.messages(CADENCE_CHANNEL).find((m) => JSON.stringify(m).includes('Lessons learned') && JSON.stringify(m).includes('failover took 4 minutes')));
    // Each participant gets them directly too.
    await waitFor(() => rig.slack.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.args).includes('failover took 4 minutes') && String((c.args as Json).channel) !== CADENCE_CHANNEL).length >= 2 || undefined, 15_000);

    const added = await slack('action drill @bob due="in 3d" Automate the failover');
    const id = /Action item (\S+) added/.exec(added.text)?.[1];
    expect(id).toMatch(/^\d{8}T1400-1$/);
    expect((await slack('show drill')).text).toContain('Automate the failover');
    expect((await slack('done drill 20200101T1400-7')).text).toMatch(/no action item/);
    expect((await slack(`done drill ${id}`)).text).toMatch(/is done/);
    expect((await slack('show drill')).text).not.toContain('Automate the failover');
  }, 60_000);
});
