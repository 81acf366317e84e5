/**
 * Onboarding SLA escalation reaches the managers by DM on every platform: Slack config holds the
 * manager's user id, Mattermost config her username, which the bot turns into a user id. Whole
 * bot, fake platforms, real Redis and delivery workers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ALICE, startBotRig, type BotRig } from '../support/bot-rig.js';

const INTAKE = 'C0INTAKE2';

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig({
    extraConfig: ({ mmChannelId }) => `
teams:
  - { id: platform, name: Platform, managers: [alice] }
environments:
  - { id: prod, name: Production }
onboarding:
  intake: { slack: [${INTAKE}], mattermost: [${mmChannelId}] }
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

describe('onboarding SLA escalation', () => {
  it('DMs the manager on Mattermost (username resolved to a user id) and on Slack, once per round', async () => {
    const svc = rig.bot.services.onboarding!;
    const now = new Date();
    const draft = { platform: 'mattermost' as const, userId: rig.mmBob.id, mode: 'chat' as const, answers: { capability: 'Ledger', description: 'd', team: 't', contacts: 'c', repository: 'https://x.example', environments: ['prod'], users: 1, data_volume: 'lt10g', ia_maturity: 'none', custom_buildpacks: false, go_live: '2027-01-01' }, presented: [], history: [], startedAt: now.toISOString(), updatedAt: now.toISOString() };
    const req = await svc.submit(draft, { platform: 'mattermost', userId: rig.mmBob.id, name: 'bob', personId: 'bob' }, now);
    // Two processes (or a retried job) firing the same round escalate once.
    await Promise.all([svc.onSlaDue(req.id, 1, now), svc.onSlaDue(req.id, 1, now)]);

    const dm = rig.mattermost.directChannel(rig.mattermost.bot.id, rig.mmAlice.id);
    const post = await waitFor(() => rig.mattermost.postsIn(dm.id).find((p) => p.message.includes('Still unclaimed') && p.message.includes(req.id)));
    expect(post.user_id).toBe(rig.mattermost.bot.id);
    expect(rig.mattermost.callsTo('GET', '/api/v4/users/username/alice').length).toBeGreaterThanOrEqual(1);
    const slackDm = await waitFor(() => rig.slack.callsTo('chat.postMessage').find((c) => c.args.channel !== INTAKE && JSON.stringify(c.args).includes('Still unclaimed') && JSON.stringify(c.args).includes(req.id)));
    const opened = rig.slack.callsTo('conversations.open').find((c) => (c.response?.channel as { id?: string } | undefined)?.id === slackDm.args.channel);
    expect(opened?.args.users).toBe(SLACK_ALICE);
    // The requester (bob) is no manager: no escalation DM reaches him.
    const bobDm = rig.mattermost.directChannel(rig.mattermost.bot.id, rig.mmBob.id);
    expect(rig.mattermost.postsIn(bobDm.id).some((p) => p.message.includes('Still unclaimed'))).toBe(false);

    await new Promise((r) => setTimeout(r, 300));
    expect(rig.mattermost.postsIn(dm.id).filter((p) => p.message.includes('Still unclaimed'))).toHaveLength(1);
    expect(rig.slack.callsTo('chat.postMessage').filter((c) => c.args.channel !== INTAKE && JSON.stringify(c.args).includes('Still unclaimed'))).toHaveLength(1);
  }, 30_000);
});
