/**
 * "Declare outage" on an alert page, through the whole bot: the button is on the page on both
 * platforms; a PRE clicking it on Slack (a signed block_actions request) gets the `/notice
 * outage` preview pre-filled from the alerts' labels; Confirm sends the notice, which records the
 * page, and every copy of the page then links the notice. The preview, the notice's root in every
 * subscribed channel and `/notice show` name the page it was declared from (title and team name).
 * Someone who is not a PRE is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bobPagesPayments, fireAlert } from '../support/alert-rig.js';
import { SLACK_ALICE, SLACK_BOB, startBotRig, type BotRig } from '../support/bot-rig.js';

type Json = Record<string, unknown>;
const TOKEN = 'alert-declare-token-0123456789';
process.env.DAY2_E2E_DECLARE_TOKEN = TOKEN;
let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
  await rig.extendConfig(`environments:
  - { id: prod, name: Production, pres: [alice] }
${bobPagesPayments(rig.mmChannel.id)}
alerts:
  defaultTeam: payments
  ackTimeoutSeconds: { high: 600, low: 600 }
  integrations:
    - { id: prom, kind: alertmanager, tokenEnv: DAY2_E2E_DECLARE_TOKEN }
  routes:
    - { match: { team: payments }, team: payments }
notices:
  subscriptions:
    - { env: prod, platform: slack, channel: C0OUTAGES }
    - { env: prod, platform: mattermost, channel: ${rig.mmChannel.id} }`);
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

const buttons = (blocks: unknown): Json[] => ((blocks as Json[] | undefined) ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements as Json[]);
const text = (x: unknown) => JSON.stringify(x);
/** What every message about the notice says about its origin: the page's title and team, by name. */
const DECLARED_FROM = 'Declared from alert page: CheckoutErrors (team Payments)';

async function firePage(): Promise<string> {
  const labels = { alertname: 'CheckoutErrors', team: 'payments', env: 'prod', severity: 'warning', service: 'checkout' };
  expect(await fireAlert(rig, TOKEN, labels, { summary: 'Checkout fails for 5% of carts' })).toBe(200);
  await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && text(c.args).includes('CheckoutErrors'), 15_000);
  return (await rig.bot.services.alerts!.recentPages(5))[0]!.id;
}

describe('Declare outage on an alert page', () => {
  it('opens the pre-filled outage preview for a PRE, and links page and notice on Confirm', async () => {
    const pageId = await firePage();
    const posted = rig.slack.messages('C0PAYMENTS').find((m) => text(m.blocks).includes('CheckoutErrors'))!;
    const declare = buttons(posted.blocks).find((b) => b.action_id === 'alertdeclare')!;
    expect(declare).toMatchObject({ value: pageId });
    // The Mattermost copy has the button too.
    const mmPost = await waitFor(async () => rig.mattermost.postsIn(rig.mmChannel.id).find((p) => text(p).includes('CheckoutErrors')));
    expect(text(mmPost.props)).toContain('alertdeclare');

    // Bob answers pages (team member) but is no PRE: refused, nothing drafted.
    const refused = await rig.slack.clickButton({ actionId: 'alertdeclare', value: pageId, user_id: SLACK_BOB, channel_id: 'C0PAYMENTS', message_ts: posted.ts });
    expect(refused.status).toBe(200);
    const no = await answerTo(SLACK_BOB, () => true);
    expect(text(no)).toMatch(/pre|admin/i);
    expect(text(no)).not.toContain('noticeConfirm');

    const click = await rig.slack.clickButton({ actionId: 'alertdeclare', value: pageId, user_id: SLACK_ALICE, channel_id: 'C0PAYMENTS', message_ts: posted.ts });
    expect(click.status).toBe(200);
    const preview = await answerTo(SLACK_ALICE, (a) => text(a).includes('Preview'));
    const shown = text(preview);
    expect(shown).toContain('Preview: outage notice for Production');
    expect(shown).toContain('sev3'); // severity=warning
    expect(shown).toContain('checkout'); // the service label
    expect(shown).toContain('Checkout fails for 5% of carts');
    expect(shown).toContain(DECLARED_FROM);
    const confirm = buttons(preview.blocks).find((b) => b.action_id === 'noticeConfirm')!;

    await rig.slack.clickButton({ actionId: 'noticeConfirm', value: String(confirm.value), user_id: SLACK_ALICE, channel_id: 'C0PAYMENTS', message_ts: '1.1', isEphemeral: true });
    const page = await waitFor(async () => (await rig.bot.services.alerts!.recentPages(5)).find((p) => p.id === pageId && p.outageNoticeId));
    const notice = await rig.bot.services.notices!.store.get(page.outageNoticeId!);
    expect(notice).toMatchObject({ kind: 'outage', env: 'prod', severity: 'sev3', components: ['checkout'], alertPage: pageId, declaredFrom: { title: 'CheckoutErrors', team: 'Payments' } });
    // The notice's root, on both platforms, and /notice show say which page it came from.
    await waitFor(async () => rig.slack.messages('C0OUTAGES').find((m) => text(m).includes(`notice ${notice!.id}`) && text(m).includes(DECLARED_FROM)));
    await waitFor(async () => rig.mattermost.postsIn(rig.mmChannel.id).find((p) => text(p).includes(`notice ${notice!.id}`) && text(p).includes(DECLARED_FROM)));
    const show = await rig.slack.commandAnswer({ command: '/notice', text: `show ${notice!.id}`, user_id: SLACK_ALICE, channel_id: 'C0OUTAGES' });
    expect(text(show.body)).toContain(DECLARED_FROM);
    // Every copy of the page links the notice, and loses the button.
    const edited = await rig.slack.waitForCall('chat.update', (c) => c.args.channel === 'C0PAYMENTS' && text(c.args).includes(`Outage notice`) && text(c.args).includes(notice!.id), 15_000);
    expect(buttons(edited.args.blocks).map((b) => b.action_id)).not.toContain('alertdeclare');
    await waitFor(async () => (text(rig.mattermost.posts.get(mmPost.id)?.message).includes('Outage notice') ? true : undefined));

    // A second press on the page is answered, and declares nothing twice.
    const again = await rig.slack.clickButton({ actionId: 'alertdeclare', value: pageId, user_id: SLACK_ALICE, channel_id: 'C0PAYMENTS', message_ts: posted.ts });
    expect(again.status).toBe(200);
    await answerTo(SLACK_ALICE, (a) => text(a).includes(`already has outage notice ${notice!.id}`));
  }, 60_000);
});

/** The ephemeral answer Day2 posted to `user` (chat.postEphemeral), blocks decoded. */
async function answerTo(user: string, pred: (a: { text: string; blocks: unknown[] }) => boolean): Promise<{ text: string; blocks: unknown[] }> {
  const decode = (args: Json) => ({ text: String(args.text ?? ''), blocks: (typeof args.blocks === 'string' ? JSON.parse(args.blocks) : (args.blocks ?? [])) as unknown[] });
  const call = await rig.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === user && pred(decode(c.args)), 15_000);
  return decode(call.args);
}

async function waitFor<T>(fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
