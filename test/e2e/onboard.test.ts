/**
 * Onboarding end to end through the whole bot: the questionnaire as a Slack modal and a
 * Mattermost dialog (errors shown in the form, then valid pages), the review, submission, the
 * intake card, claiming by an ObE, the meeting and its reminders, against the fake platforms and
 * real Redis/BullMQ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeMattermost } from '../fakes/mattermost.js';
import { MM_COMMAND_TOKEN, SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

const INTAKE = 'C0INTAKE1';
const PING = /<!(channel|here|everyone)>|(^|[^\w\u2060\\])@(channel|here|all|everyone)\b/;

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig({
    roles: '{ admin: [alice], obe: [alice] }',
    extraConfig: ({ mmChannelId }) => `
teams:
  - { id: platform, name: Platform, managers: [alice] }
environments:
  - { id: staging, name: Staging, description: For trying things }
  - { id: prod, name: Production }
onboarding:
  intake: { slack: [${INTAKE}], mattermost: [${mmChannelId}] }
  services:
    - { id: postgres, name: PostgreSQL }
    - { id: kafka, name: Kafka, environments: [prod] }
  welcome:
    roadmap: { prod: "Kubernetes 1.31 in Q1" }
    help: { staging: "Ask in the staging help channel" }
`,
  });
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Json = Record<string, any>;
const blockActions = (blocks: unknown): Json[] => ((blocks as Json[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements as Json[]);
const slackPosts = (pred: (text: string) => boolean) => rig.slack.callsTo('chat.postMessage').filter((c) => pred(JSON.stringify(c.args)));

const page1Valid = {
  capability: 'Payments API <!channel> @here',
  description: 'Takes *payments*\n@title not a marker\n' + 'x'.repeat(2500),
  team: 'Money',
  contacts: 'bob, carol',
  repository: 'https://git.example.com/money/payments',
  environments: ['staging', 'prod'],
  services: ['postgres'],
  users: '5000',
  data_volume: '10g-100g',
  ia_maturity: 'documented',
  custom_buildpacks: true,
};

describe('onboarding through Slack', () => {
  it('runs the modal with field errors, then pages, review and submission', async () => {
    const started = await rig.slack.sendCommand({ command: '/onboard', text: 'start', user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    expect(started.status).toBe(200);
    const open1 = await waitFor(() => rig.slack.callsTo('views.open')[0]);
    expect(open1.response).toMatchObject({ ok: true });
    const viewId = [...rig.slack.views.keys()].at(-1)!;
    const blocks1 = (rig.slack.views.get(viewId)!.blocks as Json[]).filter((b) => b.type === 'input').map((b) => b.block_id);
    // The follow-up "which buildpacks?" waits for the page where "custom buildpacks" is answered.
    expect(blocks1).toContain('custom_buildpacks');
    expect(blocks1).not.toContain('buildpacks');

    const bad = await rig.slack.submitView({ viewId, user_id: SLACK_BOB, values: { ...page1Valid, repository: 'git@example.com:money', users: 'lots' } });
    expect(bad.status).toBe(200);
    expect(bad.json?.response_action).toBe('errors');
    expect(Object.keys(bad.json?.errors ?? {}).sort()).toEqual(['repository', 'users']);
    expect(JSON.stringify(bad.json)).toMatch(/not a whole number/);
    const draft = await rig.bot.services.onboarding!.store.drafts.get(`slack.${SLACK_BOB}`);
    expect(draft?.value.answers ?? {}).toEqual({}); // nothing saved until valid

    const good = await rig.slack.submitView({ viewId, user_id: SLACK_BOB, values: page1Valid });
    expect(good.status).toBe(200);
    expect(good.json?.response_action).toBeUndefined();
    const saved = await waitFor(() => rig.slack.ephemerals.find((e) => e.user === SLACK_BOB && blockActions(e.blocks).some((a) => a.action_id === 'onboardNext')));
    const next = blockActions(saved.blocks).find((a) => a.action_id === 'onboardNext')!;

    // A closed modal loses nothing: the draft holds page 1.
    expect((await rig.bot.services.onboarding!.store.drafts.get(`slack.${SLACK_BOB}`))?.value.answers.team).toBe('Money');

    await rig.slack.clickButton({ actionId: 'onboardNext', value: next.value, user_id: SLACK_BOB, channel_id: SLACK_CHANNEL, message_ts: '1.1', isEphemeral: true });
    await waitFor(() => rig.slack.callsTo('views.open')[1]);
    const viewId2 = [...rig.slack.views.keys()].at(-1)!;
    const blocks2 = (rig.slack.views.get(viewId2)!.blocks as Json[]).filter((b) => b.type === 'input').map((b) => b.block_id);
    expect(blocks2).toEqual(['buildpacks', 'integrations', 'go_live']);

    const missing = await rig.slack.submitView({ viewId: viewId2, user_id: SLACK_BOB, values: { go_live: '2027-03-01' } });
    expect(missing.json).toMatchObject({ response_action: 'errors', errors: { buildpacks: expect.stringMatching(/needs an answer/) } });
    await rig.slack.submitView({ viewId: viewId2, user_id: SLACK_BOB, values: { buildpacks: 'rust-musl', go_live: '2027-03-01' } });
    const reviewMsg = await waitFor(() => rig.slack.ephemerals.find((e) => e.user === SLACK_BOB && blockActions(e.blocks).some((a) => a.action_id === 'onboardSubmit')));
    expect(JSON.stringify(reviewMsg.blocks)).toContain('rust-musl');

    const submit = blockActions(reviewMsg.blocks).find((a) => a.action_id === 'onboardSubmit')!;
    await rig.slack.clickButton({ actionId: 'onboardSubmit', value: submit.value, user_id: SLACK_BOB, channel_id: SLACK_CHANNEL, message_ts: '1.2', isEphemeral: true });

    const card = await waitFor(() => rig.slack.messages(INTAKE).find((m) => JSON.stringify(m.blocks).includes('onboardClaim')));
    const cardText = JSON.stringify(card);
    expect(cardText).toContain('ob-1');
    expect(cardText).toContain('Payments API');
    // Markup-bearing parts (mrkdwn sections, fallback text) stay inert; plain_text never pings.
    const mrkdwn = [card.text, ...(card.blocks as Json[]).flatMap((b) => [b.text?.type === 'mrkdwn' ? b.text.text : '', ...((b.elements as Json[] | undefined) ?? []).map((e) => (e.type === 'mrkdwn' ? e.text : ''))])].join('\n');
    expect(mrkdwn).toContain('&lt;!channel&gt;');
    expect(mrkdwn).not.toMatch(PING);
    // …while the answer is stored verbatim.
    expect((await rig.bot.services.onboarding!.store.requests.get('ob-1'))!.value.answers.capability).toBe('Payments API <!channel> @here');
    expect(cardText.length).toBeLessThan(13_000);
    expect(blockActions(card.blocks).map((a) => a.action_id)).toEqual(['onboardClaim', 'onboardAsk', 'onboardDecline']);

    // The requester gets a summary and the welcome pack, by DM.
    await waitFor(() => slackPosts((t) => t.includes('ob-1 submitted')).length > 0 || undefined);
    const welcome = await waitFor(() => slackPosts((t) => t.includes('Welcome to the platform'))[0]);
    expect(JSON.stringify(welcome.args)).toContain('Kafka');
    expect(JSON.stringify(welcome.args)).toContain('Kubernetes 1.31');
    expect(await rig.bot.services.onboarding!.store.drafts.get(`slack.${SLACK_BOB}`)).toBeUndefined();
    // The SLA timer stands for the unclaimed request.
    expect(await rig.redis.exists('timer:onboard-sla:ob-1')).toBe(1);
  }, 30_000);

  it('refuses Claim to someone without the ObE role and changes nothing', async () => {
    const card = rig.slack.messages(INTAKE).find((m) => JSON.stringify(m.blocks).includes('onboardClaim'))!;
    const res = await rig.slack.clickButton({ actionId: 'onboardClaim', value: 'ob-1', user_id: SLACK_BOB, channel_id: INTAKE, message_ts: card.ts });
    expect(res.status).toBe(200);
    const answer = await waitFor(() => rig.slack.ephemerals.find((e) => e.user === SLACK_BOB && e.text.includes('obe')));
    expect(answer.text).toMatch(/obe/);
    expect((await rig.bot.services.onboarding!.store.requests.get('ob-1'))!.value.status).toBe('submitted');
  });

  it('lets an ObE claim from the card; the requester is told and the card loses its buttons', async () => {
    const card = rig.slack.messages(INTAKE).find((m) => JSON.stringify(m.blocks).includes('onboardClaim'))!;
    await rig.slack.clickButton({ actionId: 'onboardClaim', value: 'ob-1', user_id: SLACK_ALICE, channel_id: INTAKE, message_ts: card.ts });
    await waitFor(async () => (await rig.bot.services.onboarding!.store.requests.get('ob-1'))?.value.status === 'claimed' || undefined);
    await waitFor(() => slackPosts((t) => t.includes('is your onboarding engineer'))[0]);
    await waitFor(() => rig.slack.callsTo('chat.update').find((c) => JSON.stringify(c.args).includes('claimed') && !JSON.stringify(c.args).includes('onboardClaim')));
    expect(await rig.redis.exists('timer:onboard-sla:ob-1')).toBe(0);
    const metrics = await rig.bot.metrics.registry.getSingleMetricAsString('day2_onboarding_time_to_claim_seconds');
    expect(metrics).toMatch(/day2_onboarding_time_to_claim_seconds_count 1/);
  });

  it('Ask a question: a modal for the ObE, errors in the form, then the requester is asked', async () => {
    const card = rig.slack.messages(INTAKE).find((m) => JSON.stringify(m).includes('ob-1'))!;
    const opened = rig.slack.callsTo('views.open').length;
    await rig.slack.clickButton({ actionId: 'onboardAsk', value: 'ob-1', user_id: SLACK_ALICE, channel_id: INTAKE, message_ts: card.ts });
    await waitFor(() => rig.slack.callsTo('views.open')[opened]);
    const viewId = [...rig.slack.views.keys()].at(-1)!;
    const empty = await rig.slack.submitView({ viewId, user_id: SLACK_ALICE, values: { question: '   ' } });
    expect(empty.json).toMatchObject({ response_action: 'errors', errors: { question: 'Write the question.' } });
    await rig.slack.submitView({ viewId, user_id: SLACK_ALICE, values: { question: 'Which database? @channel' } });
    const asked = await waitFor(() => slackPosts((t) => t.includes('Which database?'))[0]);
    expect(JSON.stringify(asked.args)).not.toMatch(/(^|[^\w\u2060\\])@channel\b/);
    // The requester answers with a note; the ObE hears of it.
    await rig.slack.sendCommand({ command: '/onboard', text: 'note ob-1 "Postgres 16"', user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    await waitFor(() => slackPosts((t) => t.includes('Postgres 16'))[0]);
  });

  it('schedules the meeting: both told, reminders set, bad input explained', async () => {
    const bad = await rig.slack.sendCommand({ command: '/onboard', text: 'meeting ob-1 "2001-01-01 10:00"', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(bad.json ?? bad.text)).toMatch(/passed/);
    const res = await rig.slack.sendCommand({ command: '/onboard', text: 'meeting ob-1 "2030-01-10 10:00" 45m', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(res.status).toBe(200);
    const req = await waitFor(async () => {
      const r = (await rig.bot.services.onboarding!.store.requests.get('ob-1'))?.value;
      return r?.status === 'meeting-scheduled' ? r : undefined;
    });
    expect(req.meeting).toEqual({ at: '2030-01-10T09:00:00.000Z', minutes: 45, zone: 'Europe/Berlin' });
    await waitFor(() => slackPosts((t) => t.includes('Onboarding meeting for ob-1')).length >= 2 || undefined);
    expect(await rig.redis.exists('timer:onboard-reminder:ob-1-1440m', 'timer:onboard-reminder:ob-1-15m')).toBe(2);
  });

  it('shows status, export and list, and refuses another requester', async () => {
    const status = await rig.slack.sendCommand({ command: '/onboard', text: 'status ob-1', user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(status.json)).toMatch(/meeting scheduled/);
    const json = await rig.slack.sendCommand({ command: '/onboard', text: 'export ob-1 json', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(json.json)).toContain('rust-musl');
    const badFormat = await rig.slack.sendCommand({ command: '/onboard', text: 'export ob-1 pdf', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(badFormat.json)).toMatch(/md, json/);
    const list = await rig.slack.sendCommand({ command: '/onboard', text: 'list open', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(list.json)).toContain('ob-1');
    const bogus = await rig.slack.sendCommand({ command: '/onboard', text: 'status banana', user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(bogus.json)).toMatch(/not a request id[\s\S]*status \[id\]/);
  });

  it('runs the rest of the lifecycle: only the claiming ObE moves it, each step told, then stats', async () => {
    const notObe = await rig.slack.sendCommand({ command: '/onboard', text: 'done ob-1', user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(notObe.json)).toMatch(/obe/);
    const early = await rig.slack.sendCommand({ command: '/onboard', text: 'done ob-1', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(early.json)).toMatch(/mark it in progress first/);
    await rig.slack.sendCommand({ command: '/onboard', text: 'progress ob-1 "Namespaces created"', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    await waitFor(() => slackPosts((t) => t.includes('is under way'))[0]);
    await rig.slack.sendCommand({ command: '/onboard', text: 'done ob-1', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    await waitFor(() => slackPosts((t) => t.includes('is onboarded'))[0]);
    const r = (await rig.bot.services.onboarding!.store.requests.get('ob-1'))!.value;
    expect(r.events.filter((e) => e.kind === 'status').map((e) => e.status)).toEqual(['submitted', 'claimed', 'meeting-scheduled', 'in-progress', 'onboarded']);
    // Closing cancels the meeting reminders.
    expect(await rig.redis.exists('timer:onboard-reminder:ob-1-1440m')).toBe(0);
    const stats = await rig.slack.sendCommand({ command: '/onboard', text: 'stats', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(stats.json)).toMatch(/onboarded 1/);
    const audit = await rig.redis.xrange('audit', '-', '+');
    expect(audit.map(([, f]) => f.join(' ')).join('\n')).toMatch(/onboard[\s\S]*done/);
  });

  it('SLA: an unclaimed request is re-posted to intake and escalated to the manager, once per round', async () => {
    const svc = rig.bot.services.onboarding!;
    const draft = { platform: 'slack' as const, userId: SLACK_BOB, mode: 'chat' as const, answers: { capability: 'Queue', description: 'q', team: 't', contacts: 'c', repository: 'https://x.example', environments: ['prod'], users: 1, data_volume: 'lt10g', ia_maturity: 'none', custom_buildpacks: false, go_live: '2027-01-01' }, presented: [], history: [], startedAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
    const req = await svc.submit(draft, { platform: 'slack', userId: SLACK_BOB, name: 'bob', personId: 'bob' }, new Date());
    // Two processes (or a retried job) firing the same round escalate once.
    await Promise.all([svc.onSlaDue(req.id, 1, new Date()), svc.onSlaDue(req.id, 1, new Date())]);
    const repost = await waitFor(() => rig.slack.messages(INTAKE).find((m) => JSON.stringify(m).includes('Still unclaimed') && JSON.stringify(m).includes(req.id)));
    expect(JSON.stringify(repost)).toContain(`<@${SLACK_ALICE}>`);
    await waitFor(() => rig.slack.callsTo('chat.postMessage').find((c) => c.args.channel !== INTAKE && JSON.stringify(c.args).includes('Still unclaimed')));
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.slack.messages(INTAKE).filter((m) => JSON.stringify(m).includes('Still unclaimed'))).toHaveLength(1);
    const after = (await svc.store.requests.get(req.id))!.value;
    expect(after.escalations).toBe(1);
    expect(after.events.at(-1)).toMatchObject({ kind: 'sla' });
    // The next round is timed, one business day on.
    expect(await rig.redis.exists(`timer:onboard-sla:${req.id}`)).toBe(1);
  });
});

describe('onboarding as a Slack DM conversation', () => {
  it('starts with --chat from a channel, continues in the DM with plain messages', async () => {
    const started = await rig.slack.sendCommand({ command: '/onboard', text: 'start --chat', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(JSON.stringify(started.json)).toMatch(/direct messages/);
    const first = await waitFor(() => rig.slack.callsTo('chat.postMessage').find((c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('Question 1 of')));
    const dm = String(first.args.channel);
    const before = rig.slack.callsTo('chat.postMessage').length;
    await rig.slack.sendEvent({ type: 'message', channel_type: 'im', channel: dm, user: SLACK_ALICE, text: 'skip', ts: `${Date.now() / 1000}` });
    const refused = await waitFor(() => rig.slack.callsTo('chat.postMessage').slice(before).find((c) => JSON.stringify(c.args).includes('cannot be skipped')));
    expect(refused.args.channel).toBe(dm);
    await rig.slack.sendEvent({ type: 'message', channel_type: 'im', channel: dm, user: SLACK_ALICE, text: 'Search', ts: `${Date.now() / 1000}` });
    await waitFor(() => rig.slack.callsTo('chat.postMessage').slice(before).find((c) => JSON.stringify(c.args).includes('What does it do?')));
    expect((await rig.bot.services.onboarding!.store.drafts.get(`slack.${SLACK_ALICE}`))?.value.answers).toEqual({ capability: 'Search' });
    await rig.slack.sendEvent({ type: 'message', channel_type: 'im', channel: dm, user: SLACK_ALICE, text: 'cancel', ts: `${Date.now() / 1000}` });
    await waitFor(async () => ((await rig.bot.services.onboarding!.store.drafts.get(`slack.${SLACK_ALICE}`)) === undefined ? true : undefined));
  });
});

describe('onboarding through Mattermost', () => {
  it('runs the dialog in pages of five with errors shown in the dialog, then submits', async () => {
    const bob = rig.mmBob;
    // The rig's bot does not know its public port; point the integration URLs at it.
    const fix = (u: string) => u.replace(/^http:\/\/localhost:\d+/, rig.appUrl);
    const fixProps = (props: Record<string, unknown>) => JSON.parse(JSON.stringify(props).replace(/http:\/\/localhost:\d+/g, rig.appUrl)) as Record<string, unknown>;
    const before = rig.mattermost.dialogs.length;
    const res = await rig.mattermost.sendCommand(rig.appUrl, { command: '/onboard', text: 'start', token: MM_COMMAND_TOKEN, user_id: bob.id, user_name: bob.username, channel_id: rig.mmChannel.id });
    expect(res.status).toBe(200);
    const nextDialog = async (n: number) => {
      const d = await waitFor(() => rig.mattermost.dialogs[n]);
      return { ...d, url: fix(d.url) };
    };
    let dialog = await nextDialog(before);
    expect(dialog.dialog.elements.map((e) => e.name)).toEqual(['capability', 'description', 'team', 'contacts', 'repository']);

    const rejected = await rig.mattermost.submitDialog(dialog, { submission: { capability: 'Ledger', description: 'Books', team: 'Money', contacts: 'bob', repository: 'ftp://x' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ errors: { repository: expect.stringMatching(/http/) } });

    const pages: Record<string, unknown>[] = [
      { capability: 'Ledger', description: 'Books @all @channel **bold** <!here>', team: 'Money', contacts: 'bob', repository: 'https://git.example.com/money/ledger' },
      { environments: ['staging'], users: 12, data_volume: 'lt10g', ia_maturity: 'none' },
      { custom_buildpacks: false },
      { go_live: '2027-06-01' },
    ];
    let clicks = 0;
    for (let i = 0; i < pages.length; i++) {
      const ok = await rig.mattermost.submitDialog(dialog, { submission: pages[i]! });
      expect(ok.status).toBe(200);
      expect(ok.body ?? {}).not.toHaveProperty('errors');
      if (i === pages.length - 1) break;
      const saved = await waitFor(() => rig.mattermost.ephemerals.filter((e) => e.user_id === bob.id && FakeMattermost.actionsOf(e).some((a) => a.id === 'onboardNext'))[clicks]);
      clicks += 1;
      await rig.mattermost.clickButton({ channel_id: rig.mmChannel.id, props: fixProps(saved.props) }, 'onboardNext', { user_id: bob.id });
      dialog = await nextDialog(before + i + 1);
    }
    const review = await waitFor(() => rig.mattermost.ephemerals.find((e) => e.user_id === bob.id && FakeMattermost.actionsOf(e).some((a) => a.id === 'onboardSubmit')));
    await rig.mattermost.clickButton({ channel_id: rig.mmChannel.id, props: fixProps(review.props) }, 'onboardSubmit', { user_id: bob.id });
    const card = await waitFor(() => rig.mattermost.postsIn(rig.mmChannel.id).find((p) => JSON.stringify(p).includes('Ledger') && FakeMattermost.actionsOf(p).some((a) => a.id === 'onboardClaim')));
    const stored = (await rig.bot.services.onboarding!.store.requests.list()).map((r) => r.value).find((r) => r.title === 'Ledger')!;
    // Stored verbatim, shown inert on Mattermost.
    expect(stored.answers.description).toBe('Books @all @channel **bold** <!here>');
    expect(JSON.stringify(card)).toContain('Books');
    expect(JSON.stringify(card)).not.toMatch(/(^|[^\w\u2060\\])@(all|channel|here)\b/);
    expect(JSON.stringify(card)).toContain(stored.id);
    expect(stored.requester).toMatchObject({ platform: 'mattermost', userId: bob.id, personId: 'bob' });
    // Its card is in the Slack intake channel too (both platforms' intake channels get every request).
    await waitFor(() => rig.slack.messages(INTAKE).find((m) => JSON.stringify(m).includes(stored.id)));
    expect(stored.answers).toMatchObject({ users: 12, custom_buildpacks: false, environments: ['staging'] });
    expect(stored.answers).not.toHaveProperty('buildpacks');

    // An ObE declines from the Mattermost card; the requester hears it in a Mattermost DM.
    const clicked = await rig.mattermost.clickButton({ id: card.id, channel_id: rig.mmChannel.id, props: fixProps(card.props) }, 'onboardDecline', { user_id: rig.mmAlice.id });
    expect(clicked.status).toBe(200);
    await waitFor(async () => ((await rig.bot.services.onboarding!.store.requests.get(stored.id))?.value.status === 'declined' ? true : undefined));
    const dm = rig.mattermost.directChannel(rig.mattermost.bot.id, bob.id);
    await waitFor(() => rig.mattermost.postsIn(dm.id).find((p) => p.message.includes('declined')));
    // The card is edited: no buttons left.
    await waitFor(() => (rig.mattermost.postsIn(rig.mmChannel.id).find((p) => p.id === card.id && p.message.includes('declined') && FakeMattermost.actionsOf(p).length === 0) ? true : undefined));
  }, 30_000);

  it('bare /onboard shows the family help, which fits and lists the commands', async () => {
    const res = await rig.mattermost.sendCommand(rig.appUrl, { command: '/onboard', text: '', token: MM_COMMAND_TOKEN, user_id: rig.mmBob.id, user_name: 'bob', channel_id: rig.mmChannel.id });
    expect(JSON.stringify(res.body)).toMatch(/meeting[\s\S]*stats/);
    const slack = await rig.slack.sendCommand({ command: '/day2', text: 'help onboard', user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    expect(slack.status).toBe(200);
    expect(JSON.stringify(slack.json)).toContain('resume');
  });
});
