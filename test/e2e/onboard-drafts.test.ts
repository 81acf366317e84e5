/**
 * Onboarding drafts end to end: a Slack modal closed mid-page, or a Mattermost dialog cancelled,
 * loses nothing; `/onboard resume` opens the page again with what was kept. Whole bot, fake
 * platforms, real Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MM_COMMAND_TOKEN, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig({
    extraConfig: () => `
environments:
  - { id: staging, name: Staging }
  - { id: prod, name: Production }
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
const draftOf = async (key: string) => (await rig.bot.services.onboarding!.store.drafts.get(key))?.value;
const inputs = (viewId: string) => Object.fromEntries((rig.slack.views.get(viewId)!.blocks as Json[]).filter((b) => b.type === 'input').map((b) => [b.block_id as string, b.element as Json]));

describe('a closed Slack modal loses nothing', () => {
  it('keeps the valid answers of the closed page; /onboard resume reopens it with them filled in', async () => {
    await rig.slack.sendCommand({ command: '/onboard', text: 'start', user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    await waitFor(() => rig.slack.callsTo('views.open')[0]);
    const viewId = [...rig.slack.views.keys()].at(-1)!;
    expect(rig.slack.views.get(viewId)!.notify_on_close).toBe(true);

    // Half the page typed, one answer not valid (a repository that is not a URL), then closed.
    const closed = await rig.slack.closeView({ viewId, user_id: SLACK_BOB, values: { capability: 'Ledger', team: 'Money', repository: 'not a url', users: '1200', environments: ['prod'] } });
    expect(closed?.status).toBe(200);
    const told = await waitFor(() => rig.slack.ephemerals.find((e) => e.user === SLACK_BOB && e.text.includes('/onboard resume')));
    expect(told.channel).toBe(SLACK_CHANNEL);

    const draft = await waitFor(async () => {
      const d = await draftOf(`slack.${SLACK_BOB}`);
      return d && Object.keys(d.answers).length > 0 ? d : undefined;
    });
    expect(draft.answers).toMatchObject({ capability: 'Ledger', team: 'Money', users: 1200, environments: ['prod'] });
    expect(draft.answers).not.toHaveProperty('repository');
    // The page is not finished: nothing was marked presented.
    expect(draft.presented).toEqual([]);

    await rig.slack.sendCommand({ command: '/onboard', text: 'resume', user_id: SLACK_BOB, channel_id: SLACK_CHANNEL });
    await waitFor(() => rig.slack.callsTo('views.open')[1]);
    const again = [...rig.slack.views.keys()].at(-1)!;
    expect(again).not.toBe(viewId);
    const el = inputs(again);
    expect(el.capability?.initial_value).toBe('Ledger');
    expect(el.team?.initial_value).toBe('Money');
    expect(el.users?.initial_value).toBe('1200');
    expect((el.environments?.initial_options as Json[]).map((o) => o.value)).toEqual(['prod']);
    expect(el.repository?.initial_value).toBeUndefined();

    // Closing the reopened page with nothing new keeps the draft as it was.
    await rig.slack.closeView({ viewId: again, user_id: SLACK_BOB, values: {} });
    await waitFor(() => rig.slack.ephemerals.filter((e) => e.user === SLACK_BOB && e.text.includes('/onboard resume'))[1]);
    expect((await draftOf(`slack.${SLACK_BOB}`))?.answers).toEqual(draft.answers);
  }, 30_000);
});

describe('a cancelled Mattermost dialog loses nothing', () => {
  it('keeps the pages finished before (a cancel sends no values) and says how to resume', async () => {
    const bob = rig.mmBob;
    const fix = (u: string) => u.replace(/^http:\/\/localhost:\d+/, rig.appUrl);
    const before = rig.mattermost.dialogs.length;
    await rig.mattermost.sendCommand(rig.appUrl, { command: '/onboard', text: 'start', token: MM_COMMAND_TOKEN, user_id: bob.id, user_name: bob.username, channel_id: rig.mmChannel.id });
    const first = await waitFor(() => rig.mattermost.dialogs[before]);
    expect(first.dialog.notify_on_cancel).toBe(true);
    const page1 = { capability: 'Ledger', description: 'Books', team: 'Money', contacts: 'bob', repository: 'https://git.example.com/money/ledger' };
    const ok = await rig.mattermost.submitDialog({ ...first, url: fix(first.url) }, { submission: page1 });
    expect(ok.body ?? {}).not.toHaveProperty('errors');

    await rig.mattermost.sendCommand(rig.appUrl, { command: '/onboard', text: 'resume', token: MM_COMMAND_TOKEN, user_id: bob.id, user_name: bob.username, channel_id: rig.mmChannel.id });
    const second = await waitFor(() => rig.mattermost.dialogs[before + 1]);
    expect(second.dialog.elements.map((e) => e.name)).toContain('environments');
    const cancelled = await rig.mattermost.cancelDialog({ ...second, url: fix(second.url) });
    expect(cancelled?.status).toBe(200);
    await waitFor(() => rig.mattermost.ephemerals.find((e) => e.user_id === bob.id && e.message.includes('/onboard resume') && e.message.includes('every page you finished')));
    const draft = await draftOf(`mattermost.${bob.id}`);
    expect(draft?.answers).toMatchObject(page1);

    await rig.mattermost.sendCommand(rig.appUrl, { command: '/onboard', text: 'resume', token: MM_COMMAND_TOKEN, user_id: bob.id, user_name: bob.username, channel_id: rig.mmChannel.id });
    const third = await waitFor(() => rig.mattermost.dialogs[before + 2]);
    expect(third.dialog.elements.map((e) => e.name)).toEqual(second.dialog.elements.map((e) => e.name));
  }, 30_000);
});
