/**
 * Notices end to end through the whole bot: signed Slack commands and button clicks, Mattermost
 * slash commands, the real adapters, delivery and timer workers on the real Redis, the fake
 * platforms on loopback. One notice goes to every subscribed channel on both platforms; updates
 * land in every thread and edit every root; the author gets the completion report with a retry
 * button; bad input and the wrong PRE change nothing. Every answer about a notice shows its
 * classification.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/app.js';
import { wallClockToInstant } from '../../src/time/when.js';
import { parseFeed } from '../support/ical-feed.js';
import { MM_TOKEN, SLACK_ALICE, SLACK_BOB, SLACK_CAROL, SLACK_DANA, mattermostKeys, slackKeys, startNoticeWorld, startWorldBot, until, type NoticeWorld } from '../integration/notices/rig.js';

const HERE = 'C0CMDROOM1';
let world: NoticeWorld;
let bot: Bot;
let url: string;

beforeAll(async () => {
  world = await startNoticeWorld({ slackChannels: 3, mattermostChannels: 2 });
  // Answers that list channels show them by name, as their members know them.
  world.slackChannels.forEach((c, i) => world.slack.nameChannel(c, `ops-${i}`));
  world.slack.nameChannel('C0LATESUB1', 'late-sub');
  ({ bot, url } = await startWorldBot(world));
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await world?.close();
});

type Answer = { text: string; blocks: unknown[] };

/** The command's answer: the acknowledgement, or the ephemeral that follows on response_url. */
async function slackCommand(text: string, user = SLACK_ALICE, channel = HERE): Promise<Answer> {
  const { status, body } = await world.slack.commandAnswer({ command: '/notice', text, user_id: user, channel_id: channel });
  expect(status).toBe(200);
  return { text: JSON.stringify(body), blocks: body.blocks ?? [] };
}

function buttonValue(a: Answer, actionId: string): string {
  for (const b of a.blocks as { elements?: { action_id?: string; value?: string }[] }[]) {
    const hit = b.elements?.find((e) => e.action_id === actionId);
    if (hit?.value) return hit.value;
  }
  throw new Error(`no ${actionId} button in ${a.text}`);
}

async function click(actionId: string, value: string, user = SLACK_ALICE) {
  const res = await world.slack.clickButton({ actionId, value, user_id: user, channel_id: HERE, message_ts: '1700000000.000100', isEphemeral: true });
  expect(res.status).toBe(200);
  return res;
}

/** The newest open notice, once the confirmation (answered after its acknowledgement) has made it. */
const noticeIdOf = async (count = 1) => {
  await until('notice stored', async () => (await bot.services.notices!.store.open()).length >= count);
  return (await bot.services.notices!.store.open())[0]!.id;
};
const slackPosts = () => world.slack.callsTo('chat.postMessage').length;
const mmPosts = () => world.mattermost.callsTo('POST', '/api/v4/posts').length;
const auditCount = () => bot.services.redis.xlen('audit');

describe('notices through the whole bot', () => {
  it('refuses bad input and the wrong PRE with specific errors, storing and sending nothing', async () => {
    const before = { slack: slackPosts(), mm: mmPosts(), audit: await auditCount() };
    const cases: [string, string, RegExp][] = [
      ['outage prod-east sev5 Broken', SLACK_ALICE, /sev5.*not one of sev1, sev2, sev3, sev4/],
      ['outage prod-west sev2 Broken', SLACK_ALICE, /unknown environment \\"prod-west\\"/],
      ['outage prod-east sev2 Broken', SLACK_BOB, /Only Production East's PREs \(Alice PRE\) or an admin/],
      ['maintenance prod-east "2020-01-01 10:00" 2h Old news', SLACK_ALICE, /in the past/],
      ['maintenance prod-east "2099-01-01 10:00" "2099-01-01 09:00" Backwards', SLACK_ALICE, /is not after the start/],
      ['update 999 identified Nothing here', SLACK_ALICE, /there is no notice \\"999\\"/],
      ['subscribe prod-east', SLACK_BOB, /Only Production East's PREs/],
    ];
    for (const [text, user, expected] of cases) {
      const a = await slackCommand(text, user);
      expect(a.text, text).toMatch(expected);
    }
    expect(await bot.services.notices!.store.open()).toHaveLength(0);
    expect(await bot.services.redis.keys('rec:{notice-drafts}:*')).toHaveLength(0);
    expect({ slack: slackPosts(), mm: mmPosts(), audit: await auditCount() }).toEqual(before);
  });

  it('previews the audience, sends on confirm, and reports failures with a retry that fixes them', async () => {
    // One more Slack channel subscribes in chat; one configured channel has lost the bot.
    expect((await slackCommand('subscribe prod-east outage', SLACK_ALICE, 'C0LATESUB1')).text).toMatch(/now gets outage notices for Production East\./);
    world.slack.setChannelState(world.slackChannels[1]!, 'not_in_channel');

    const preview = await slackCommand('outage prod-east sev2 components=api API returns 503 for @here <!channel>');
    expect(preview.text).toMatch(/6 channels/);
    expect(JSON.stringify(preview)).toMatch(/Preview: outage notice for Production East/);
    expect(preview.text).toMatch(/4 on Slack, 2 on Mattermost/);
    expect(slackPosts()).toBe(0);
    await click('noticeConfirm', buttonValue(preview, 'noticeConfirm'));
    // A second press (a retried click) does not make a second notice.
    await click('noticeConfirm', buttonValue(preview, 'noticeConfirm'));
    const id = await noticeIdOf();
    expect(await bot.services.notices!.store.open()).toHaveLength(1);

    const root = `notice-${id}`;
    const okSlack = [world.slackChannels[0]!, world.slackChannels[2]!, 'C0LATESUB1'];
    await until('root everywhere', () => okSlack.every((c) => slackKeys(world.slack, c).includes(root)) && world.mmChannels.every((c) => mattermostKeys(world.mattermost, c.id).includes(root)));

    // The report reaches Alice in a DM: 5 of 6, the failure and its reason, a retry button.
    const dm = await world.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && String(c.args.text).includes(`Notice ${id}`), 20_000);
    const dmText = JSON.stringify(dm.args);
    expect(dmText).toMatch(/delivered to 5\/6/);
    expect(dmText).toContain(world.slackChannels[1]!);
    expect(dmText).toMatch(/not_in_channel|not in/i);
    expect(dmText).toContain('noticeRetry');

    world.slack.setChannelState(world.slackChannels[1]!, undefined);
    await click('noticeRetry', id);
    await until('retried channel', () => slackKeys(world.slack, world.slackChannels[1]!).includes(root));
    await world.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && /delivered to 6\/6/.test(JSON.stringify(c.args)), 20_000);

    // Every copy once, classification on every one, no ping from the summary.
    for (const c of [...world.slackChannels, 'C0LATESUB1']) {
      expect(slackKeys(world.slack, c).filter((k) => k === root), c).toHaveLength(1);
      const m = world.slack.messages(c).find((x) => x.metadata?.event_payload.key === root)!;
      expect(JSON.stringify(m)).toContain('CUI');
      expect(JSON.stringify(m)).not.toMatch(/<!channel>|<!here>/);
      // Readers see the environment's name; the Environment field teaches its id too.
      expect(JSON.stringify(m)).toMatch(/SEV2 outage in Production East: investigating/);
      expect(JSON.stringify(m)).toMatch(/Environment\*?\\n\*?Production East \(prod-east\)/);
      expect(JSON.stringify(m)).not.toMatch(/outage in prod-east/);
    }
    for (const c of world.mmChannels) {
      const posts = world.mattermost.postsIn(c.id).filter((p) => p.props.day2_key === root);
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0])).toContain('CUI');
      expect(JSON.stringify(posts[0])).toMatch(/SEV2 outage in Production East: investigating/);
      expect(JSON.stringify(posts[0])).toContain('Production East (prod-east)');
      expect(posts[0]!.message).not.toMatch(/(^|\s)@(here|channel|all)\b/);
    }
  }, 60_000);

  it('posts each update as a reply in every thread and edits every root to the new status', async () => {
    const id = await noticeIdOf();
    const root = `notice-${id}`;
    // From Mattermost this time: the same person, the same rights.
    const res = await world.mattermost.sendCommand(url, { command: '/notice', text: `update ${id} identified Bad config push found`, token: MM_TOKEN, user_id: world.mm.alice.id, user_name: 'alice', channel_id: world.mmChannels[0]!.id });
    expect(res.status).toBe(200);
    const u1 = `${root}-u1`;
    const allSlack = [...world.slackChannels, 'C0LATESUB1'];
    await until('update 1 everywhere', () => allSlack.every((c) => slackKeys(world.slack, c).includes(u1)) && world.mmChannels.every((c) => mattermostKeys(world.mattermost, c.id).includes(u1)));
    await until('roots edited', () => allSlack.every((c) => /identified/.test(world.slack.messages(c).find((m) => m.metadata?.event_payload.key === root)!.text)) && world.mmChannels.every((c) => /identified/.test(JSON.stringify(world.mattermost.postsIn(c.id).find((p) => p.props.day2_key === root)))));

    for (const c of allSlack) {
      const msgs = world.slack.messages(c);
      const rootMsg = msgs.find((m) => m.metadata?.event_payload.key === root)!;
      const reply = msgs.filter((m) => m.metadata?.event_payload.key === u1);
      expect(reply, c).toHaveLength(1);
      expect(reply[0]!.thread_ts).toBe(rootMsg.ts);
      expect(rootMsg.edited).toBeDefined();
      expect(JSON.stringify(reply[0])).toContain('CUI');
      expect(JSON.stringify(reply[0])).toMatch(/CUI · Production East · notice \d+ update 1/);
    }
    for (const c of world.mmChannels) {
      const posts = world.mattermost.postsIn(c.id);
      const rootPost = posts.find((p) => p.props.day2_key === root)!;
      const reply = posts.filter((p) => p.props.day2_key === u1);
      expect(reply).toHaveLength(1);
      expect(reply[0]!.root_id).toBe(rootPost.id);
      expect(rootPost.edit_at).toBeGreaterThan(0);
    }

    // Resolved: asks for what is missing; a resolved notice then refuses further updates.
    const resolved = await slackCommand(`update ${id} resolved postmortem=https://wiki.example.com/pm/1 Rolled back`);
    expect(resolved.text).toMatch(/an impact and duration summary/);
    expect(resolved.text).not.toMatch(/a postmortem link/);
    const again = await slackCommand(`update ${id} monitoring Too late`);
    expect(again.text).toMatch(/is resolved; a resolved notice cannot change/);
    await until('resolution everywhere', () => allSlack.every((c) => slackKeys(world.slack, c).includes(`${root}-u2`)));
    expect(allSlack.flatMap((c) => slackKeys(world.slack, c)).filter((k) => k === `${root}-u3`)).toHaveLength(0);

    await until('root edits done', async () => (await bot.services.notices!.report(id)).delivered === 6, 20_000);
    const show = await slackCommand(`show ${id}`);
    expect(show.text).toMatch(/6 delivered, 0 pending, 0 failed of 6/);
    expect(JSON.stringify(show)).toMatch(/outage in Production East \(resolved\)/);
    expect(show.text).toMatch(/resolved/);
    expect(show.text).toMatch(/replies 2\/2/);
    expect(show.text).toContain('slack #ops-0');
    expect(show.text).toContain(`mattermost ${world.mmChannels[0]!.display_name}`);

    // The resolution's button opens a form; what it gets is added to every copy.
    const opened = world.slack.callsTo('views.open').length;
    await click('noticeResolution', buttonValue(resolved, 'noticeResolution'));
    const view = await world.slack.waitForCall('views.open', () => world.slack.callsTo('views.open').length > opened);
    const viewId = String((view.response as { view?: { id?: string } }).view?.id);
    const bad = await world.slack.submitView({ viewId, user_id: SLACK_ALICE, values: { impact: undefined, postmortem: 'not a link' } });
    expect(bad.text).toMatch(/https/);
    const good = await world.slack.submitView({ viewId, user_id: SLACK_ALICE, values: { impact: '503s for 5% of calls, 40 min' } });
    expect(good.status).toBe(200);
    await until('resolution details everywhere', () => allSlack.every((c) => slackKeys(world.slack, c).includes(`${root}-u3`)) && world.mmChannels.every((c) => mattermostKeys(world.mattermost, c.id).includes(`${root}-u3`)));
    await until('roots show the impact', () => allSlack.every((c) => JSON.stringify(world.slack.messages(c).find((m) => m.metadata?.event_payload.key === root)).includes('40 min')));
    expect((await bot.services.notices!.store.get(id))!.impact).toBe('503s for 5% of calls, 40 min');
    // The resolved outage's page shows what it cost and where the postmortem is.
    const resolvedShow = JSON.stringify(await slackCommand(`show ${id}`));
    expect(resolvedShow).toMatch(/Impact[^]*503s for 5% of calls, 40 min/);
    expect(resolvedShow).toMatch(/Postmortem[^]*wiki\.example\.com\/pm\/1/);
  }, 60_000);

  it('announces maintenance, lists it, and serves it in the environment iCal feed', async () => {
    // Twenty days ahead (inside the feed's year), 09:00 in Alice's zone.
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const start = wallClockToInstant({ year: y, month: m, day: d }, { hour: 9, minute: 0 }, 'Europe/Berlin');
    const preview = await slackCommand(`maintenance prod-east "${day} 09:00" 2h components=db Database upgrade`);
    await click('noticeConfirm', buttonValue(preview, 'noticeConfirm'));
    await until('maintenance stored', async () => (await bot.services.maintenanceWindows!('prod-east', new Date(), new Date('2100-01-01'))).length === 1);
    const list = await slackCommand('list prod-east');
    expect(list.text).toMatch(/maintenance/);
    expect(JSON.stringify(list)).toMatch(/notices for Production East/);
    expect(list.text).toMatch(/Database upgrade/);
    const windows = await bot.services.maintenanceWindows!('prod-east', new Date(start.getTime() - 3600_000), new Date(start.getTime() + 3600_000));
    expect(windows).toHaveLength(1);
    expect(windows[0]!.start.toISOString()).toBe(start.toISOString());
    expect(windows[0]!.end.getTime() - start.getTime()).toBe(2 * 3600_000);
    expect(await bot.services.maintenanceWindows!('prod-east', new Date(start.getTime() + 2 * 3600_000), new Date(start.getTime() + 3 * 3600_000))).toHaveLength(0);
    expect(await bot.services.maintenanceWindows!('staging', new Date(start.getTime() - 3600_000), new Date(start.getTime() + 3600_000))).toHaveLength(0);

    const ical = await slackCommand('ical prod-east');
    const token = /token=([A-Za-z0-9_-]+)/.exec(ical.text)![1]!;
    const feed = await fetch(`${url}/ical/maintenance/prod-east.ics?token=${token}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/text\/calendar/);
    const body = await feed.text();
    expect(body).toContain('BEGIN:VEVENT');
    expect(body).toContain(`DTSTART:${start.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`);
    expect(body).toContain('Database upgrade');
    expect(parseFeed(body).map((e) => e.start)).toContainEqual(start);
    expect(parseFeed(body).map((e) => e.summary)).toContain('[CUI] Production East maintenance: Database upgrade');
    expect(feed.headers.get('cache-control')).toBe('private, max-age=300');
    expect((await fetch(`${url}/ical/maintenance/prod-east.ics?token=wrong${token}`)).status).toBe(404);
    expect((await fetch(`${url}/ical/maintenance/staging.ics?token=${token}`)).status).toBe(404);
  }, 30_000);

  it('extends and completes a running maintenance from chat: the new end in the reader\'s zone, the classification in every answer', { timeout: 40_000 }, async () => {
    const preview = await slackCommand('maintenance prod-east now 2h components=cache Cache resize');
    await click('noticeConfirm', buttonValue(preview, 'noticeConfirm'));
    await until('maintenance running', async () => (await bot.services.notices!.store.open()).some((n) => n.summary === 'Cache resize' && n.status === 'in-progress'), 20_000);
    const id = (await bot.services.notices!.store.open()).find((n) => n.summary === 'Cache resize')!.id;

    const extended = await slackCommand(`extend ${id} 30m`);
    const end = (await bot.services.notices!.store.get(id))!.end!;
    // A Slack date token (each reader's own zone), not the stored ISO instant.
    expect(extended.text).toContain(`<!date^${Math.floor(Date.parse(end) / 1000)}^`);
    expect(extended.text).not.toContain(end);
    expect(extended.text).toContain('CUI');

    const completed = await slackCommand(`complete ${id}`);
    expect(completed.text).toMatch(new RegExp(`Maintenance \\W*${id}\\W* in Production East is completed`));
    expect(completed.text).toContain('CUI');
    const done = (await bot.services.notices!.store.get(id))!;
    expect(done.status).toBe('completed');
    expect(Date.parse(done.end!)).toBeLessThanOrEqual(Date.now());
    expect(done.timeline.map((e) => e.event)).toEqual(['created', 'started', 'extended', 'completed']);
    // The window's end timer was stopped with it: completed once, not again at the old end.
    expect(await bot.services.maintenanceWindows!('prod-east', new Date(Date.now() + 60_000), new Date(Date.now() + 3 * 3600_000))).toEqual(expect.not.arrayContaining([expect.objectContaining({ noticeId: id })]));

    const channel = world.slackChannels[0]!;
    await until('completion reply', () => slackKeys(world.slack, channel).includes(`notice-${id}-u3`), 20_000);
    const reply = world.slack.messages(channel).find((m) => m.metadata?.event_payload.key === `notice-${id}-u3`)!;
    expect(JSON.stringify(reply)).toMatch(/Maintenance in Production East completed/);
    expect(JSON.stringify(reply)).toContain('CUI');
    expect((await slackCommand(`complete ${id}`)).text).toMatch(/is completed; a completed notice cannot change/);
  });

  it('announces a deploy from Mattermost: preview in the command answer, Send button, copies on both platforms', { timeout: 30_000 }, async () => {
    const before = (await bot.services.notices!.store.open()).length;
    const res = await world.mattermost.sendCommand(url, { command: '/notice', text: 'deploy prod-east billing-api 2.14.0 Faster invoices', token: MM_TOKEN, user_id: world.mm.alice.id, user_name: 'alice', channel_id: world.mmChannels[1]!.id });
    expect(res.status).toBe(200);
    await until('preview', () => world.mattermost.ephemerals.some((e) => /Preview: deploy notice/.test(JSON.stringify(e))));
    const preview = [...world.mattermost.ephemerals].reverse().find((e) => /Preview: deploy notice/.test(JSON.stringify(e)))!;
    expect(JSON.stringify(preview)).toMatch(/on Mattermost/);
    // Buttons call DAY2_PUBLIC_URL (default localhost:3000); this bot listens on a random port.
    const props = JSON.parse(JSON.stringify(preview.props).replaceAll('http://localhost:3000', url)) as Record<string, unknown>;
    const clicked = await world.mattermost.clickButton({ channel_id: world.mmChannels[1]!.id, props }, 'noticeConfirm', { user_id: world.mm.alice.id, user_name: 'alice' });
    expect(clicked.reachedApp).toBe(true);
    expect(clicked.status).toBe(200);
    await until('deploy stored', async () => (await bot.services.notices!.store.open()).length > before);
    const deploy = (await bot.services.notices!.store.open()).find((n) => n.kind === 'deploy')!;
    expect(deploy).toMatchObject({ service: 'billing-api', version: '2.14.0', status: 'announced', classification: 'CUI' });
    await until('deploy everywhere', async () => (await bot.services.notices!.report(deploy.id)).delivered === deploy.audience.length);
    const post = world.mattermost.postsIn(world.mmChannels[0]!.id).find((p) => p.props.day2_key === `notice-${deploy.id}`)!;
    expect(JSON.stringify(post)).toMatch(/billing-api/);
    expect(JSON.stringify(post)).toContain('CUI');
  });

  it('moves a deploy through its statuses: each in every thread with its own wording, the root following', { timeout: 30_000 }, async () => {
    const deploy = (await bot.services.notices!.store.open()).find((n) => n.kind === 'deploy')!;
    const root = `notice-${deploy.id}`;
    const rolling = await slackCommand(`update ${deploy.id} in-progress Rolling out to 10%`);
    expect(rolling.text).toMatch(/Update 1 of notice/);
    expect(rolling.text).toMatch(/in-progress/);
    expect(rolling.text).toContain('CUI');
    const live = await slackCommand(`update ${deploy.id} completed Live everywhere`);
    expect(live.text).toMatch(/Update 2 of notice/);
    await until('both replies everywhere', () => world.slackChannels.every((c) => slackKeys(world.slack, c).includes(`${root}-u2`)) && world.mmChannels.every((c) => mattermostKeys(world.mattermost, c.id).includes(`${root}-u2`)));
    await until('roots completed', async () => (await bot.services.notices!.report(deploy.id)).delivered === deploy.audience.length && world.slackChannels.every((c) => /completed/.test(world.slack.messages(c).find((m) => m.metadata?.event_payload.key === root)!.text)));
    for (const c of world.slackChannels) {
      const msgs = world.slack.messages(c);
      const text = (n: number) => JSON.stringify(msgs.find((m) => m.metadata?.event_payload.key === `${root}-u${n}`));
      expect(text(1)).toMatch(/Deploying.*billing-api.*2\.14\.0.*Rolling out to 10%/);
      expect(text(2)).toMatch(/Deployed.*billing-api.*Live everywhere/);
      expect(text(2)).toContain('CUI');
    }
    const post = world.mattermost.postsIn(world.mmChannels[0]!.id).find((p) => p.props.day2_key === `${root}-u2`)!;
    expect(JSON.stringify(post)).toMatch(/Deployed/);
    // Completed is final: no rolling back the record afterwards.
    expect((await slackCommand(`update ${deploy.id} rolled-back Oops`)).text).toMatch(/is completed; a completed notice cannot change/);
    expect((await bot.services.notices!.store.get(deploy.id))!.timeline.map((e) => e.status)).toEqual(['announced', 'in-progress', 'completed']);
  });

  it('lists, removes and refuses to remove subscriptions, each in its own channel', async () => {
    // An admin sees every channel's subscriptions, configured and from chat, wherever they ask.
    const all = await slackCommand('subscriptions', SLACK_DANA, 'C0RANDOM01');
    expect(all.text).toMatch(/all channels/);
    for (const c of ['#ops-0', '#ops-1', '#ops-2', '#late-sub', ...world.mmChannels.map((m) => m.display_name)]) expect(all.text).toContain(c);
    for (const id of [...world.slackChannels, ...world.mmChannels.map((m) => m.id)]) expect(all.text).not.toContain(id);
    const notAdmin = await slackCommand('subscriptions', SLACK_CAROL, 'C0RANDOM01');
    expect(notAdmin.text).toMatch(/this channel/);
    expect(notAdmin.text).toMatch(/No subscriptions/);

    const here = await slackCommand('subscriptions', SLACK_ALICE, 'C0LATESUB1');
    expect(here.text).toMatch(/this channel/);
    expect(here.text).toContain('#late-sub');
    // The name to read, the id to type in /notice unsubscribe.
    expect(here.text).toContain('Production East (prod-east)');
    expect(here.text).not.toContain('#ops-0');
    const configured = await slackCommand('subscriptions', SLACK_ALICE, world.slackChannels[0]!);
    expect(configured.text).toMatch(/from the config file/);

    const refused = await slackCommand('unsubscribe prod-east', SLACK_ALICE, world.slackChannels[0]!);
    expect(refused.text).toMatch(/comes from the config file/);
    const notSubscribed = await slackCommand('unsubscribe staging', SLACK_BOB, 'C0LATESUB1');
    expect(notSubscribed.text).toMatch(/not subscribed to Staging/);
    const removed = await slackCommand('unsubscribe prod-east', SLACK_ALICE, 'C0LATESUB1');
    expect(removed.text).toMatch(/no longer gets notices for Production East/);
    expect(removed.text).toContain('CUI');
    expect((await bot.services.notices!.audience('prod-east', 'outage', [])).map((t) => t.channelId)).not.toContain('C0LATESUB1');
    expect(await bot.services.notices!.audience('prod-east', 'outage', [])).toHaveLength(5);
  });

  it('shows notices only where they belong: PREs and admins anywhere, others in subscribed channels', async () => {
    const id = (await bot.services.notices!.store.open()).find((n) => n.env === 'prod-east')!.id;
    const elsewhere = await slackCommand('list', SLACK_CAROL, 'C0RANDOM01');
    expect(elsewhere.text).toMatch(/Nothing active or upcoming/);
    expect((await slackCommand(`show ${id}`, SLACK_CAROL, 'C0RANDOM01')).text).toMatch(/its PREs and admins may read it anywhere/);
    const subscribed = await slackCommand('list', SLACK_CAROL, world.slackChannels[0]!);
    expect(subscribed.text).toMatch(/\[CUI\] Production East (outage|maintenance|deploy) /);
    expect((await slackCommand(`show ${id}`, SLACK_CAROL, world.slackChannels[0]!)).text).toMatch(/Delivery ledger/);
    expect((await slackCommand('list', SLACK_ALICE, 'C0RANDOM01')).text).toMatch(/Production East/);
  });
});

