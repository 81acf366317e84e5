/**
 * Alert paging end to end through the whole bot (fake Slack + fake Mattermost, real Redis, real
 * delivery and BullMQ timer workers): the webhook's refusals store nothing; an Alertmanager
 * delivery pages the on-duty person and the team channel; a retry pages nobody twice; a joining
 * alert edits the page; no acknowledgement escalates to the managers on a real timer; the
 * source's resolve resolves it; a human resolve holds until the alerts fire again (new page).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bobPagesPayments } from '../support/alert-rig.js';
import { SLACK_ALICE, SLACK_BOB, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

const TOKEN = 'alert-test-token-0123456789';
process.env.DAY2_E2E_ALERT_TOKEN = TOKEN;
let rig: BotRig;
const PING = /<!(channel|here|everyone)>/;

beforeAll(async () => {
  rig = await startBotRig();
  await rig.extendConfig(`${bobPagesPayments(rig.mmChannel.id)}
alerts:
  defaultTeam: payments
  ackTimeoutSeconds: { high: 2, low: 60 }
  maxBodyBytes: 4096
  integrations:
    - { id: prom, kind: alertmanager, tokenEnv: DAY2_E2E_ALERT_TOKEN }
    - { id: nightly, kind: heartbeat, tokenEnv: DAY2_E2E_ALERT_TOKEN, intervalSeconds: 1, teams: [payments] }
  routes:
    - { match: { team: payments, severity: "/critical|page/" }, team: payments, urgency: high }`);
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

const alert = (name: string, status: 'firing' | 'resolved', extra: Record<string, string> = {}) => ({
  status,
  labels: { alertname: name, team: 'payments', severity: 'critical', ...extra },
  annotations: { summary: `${name} on <!channel> @here` },
  startsAt: '2026-12-05T10:00:00Z',
  endsAt: status === 'resolved' ? '2026-12-05T10:05:00Z' : '0001-01-01T00:00:00Z',
  fingerprint: `fp-${name}`,
});
const payload = (groupKey: string, alerts: unknown[]) => ({ version: '4', groupKey, status: 'firing', receiver: 'day2', externalURL: 'http://am.example', alerts });

async function post(path: string, body: unknown, token = TOKEN): Promise<{ status: number; body: any }> {
  const res = await fetch(`${rig.appUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const pages = () => rig.bot.services.alerts!.recentPages(50);
const body = (c: { args: unknown }) => JSON.stringify(c.args);
const channelPosts = (method: string) => rig.slack.callsTo(method).filter((c) => c.args.channel === 'C0PAYMENTS');

describe('alert webhooks and pages through the whole bot', () => {
  it('refuses bad calls alike and stores nothing', async () => {
    const good = payload('{}:{alertname="X"}', [alert('X', 'firing')]);
    const wrong = await post('/integrations/alertmanager/prom', good, 'nope');
    const unknown = await post('/integrations/alertmanager/nosuch', good);
    const wrongKind = await post('/integrations/grafana/prom', good);
    expect([wrong.status, unknown.status, wrongKind.status]).toEqual([401, 401, 401]);
    expect(unknown.body).toEqual(wrong.body);
    expect((await post('/integrations/alertmanager/prom', '{"alerts": [')).status).toBe(400);
    const shape = await post('/integrations/alertmanager/prom', { alerts: [{ status: 'burning', labels: {}, startsAt: '2026-12-05T10:00:00Z' }] });
    expect(shape.status).toBe(400);
    expect(shape.body.field).toBe('alerts[0].status');
    expect((await post('/integrations/alertmanager/prom', payload('g', [alert('Y'.repeat(5000), 'firing')]))).status).toBe(413);
    expect(await pages()).toEqual([]);
  });

  it('pages the on-duty person and the team channel once, edits as alerts join, escalates, resolves', async () => {
    const first = payload('{}:{team="payments"}', [alert('HighLatency', 'firing')]);
    expect((await post('/integrations/alertmanager/prom', first)).body).toMatchObject({ ok: true, opened: 1 });
    const channel = await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && JSON.stringify(c.args).includes('HighLatency'), 15_000);
    expect(JSON.stringify(channel.args)).not.toMatch(PING);
    await rig.slack.waitForCall('chat.postMessage', (c) => String(c.args.channel).startsWith('D') && JSON.stringify(c.args).includes('HighLatency'));
    expect(rig.slack.callsTo('conversations.open').map((c) => c.args.users)).toContain(SLACK_BOB);
    // Alertmanager's retry of the same delivery: no second page.
    expect((await post('/integrations/alertmanager/prom', first)).body).toMatchObject({ opened: 0, unchanged: 1 });
    expect(await pages()).toHaveLength(1);
    // A second alert joins the group: the page is edited, not posted again.
    await post('/integrations/alertmanager/prom', payload('{}:{team="payments"}', [alert('HighLatency', 'firing'), alert('ErrorRate', 'firing')]));
    await rig.slack.waitForCall('chat.update', (c) => c.args.channel === 'C0PAYMENTS' && JSON.stringify(c.args).includes('ErrorRate'), 15_000);
    expect(channelPosts('chat.postMessage').filter((c) => JSON.stringify(c.args).includes('HighLatency'))).toHaveLength(1);
    // Nobody acknowledges within 2 s: the managers (alice) are paged, on the real timer.
    await rig.slack.waitForCall('chat.postMessage', (c) => JSON.stringify(c.args).includes('has not been acknowledged'), 15_000);
    expect(rig.slack.callsTo('conversations.open').map((c) => c.args.users)).toContain(SLACK_ALICE);
    expect((await pages())[0]!.steps.map((s) => s.layer)).toEqual([0, 'managers']);
    // The source resolves both alerts.
    await post('/integrations/alertmanager/prom', payload('{}:{team="payments"}', [alert('HighLatency', 'resolved'), alert('ErrorRate', 'resolved')]));
    await rig.slack.waitForCall('chat.update', (c) => c.args.channel === 'C0PAYMENTS' && JSON.stringify(c.args).includes('Resolved by the alert source'), 15_000);
    expect((await pages())[0]).toMatchObject({ resolvedBy: 'source' });
  }, 60_000);

  it('keeps a human resolve until the alert fires again, then opens a new linked page', async () => {
    const key = '{}:{alertname="DiskFull"}';
    await post('/integrations/alertmanager/prom', payload(key, [alert('DiskFull', 'firing')]));
    const opened = (await pages()).find((p) => !p.resolvedAt)!;
    await rig.bot.services.alerts!.respondToPage(opened.id, 'resolve', { person: 'bob', isAdmin: false }, new Date());
    // Repeats of the still-firing alert do not reopen it.
    expect((await post('/integrations/alertmanager/prom', payload(key, [alert('DiskFull', 'firing')]))).body).toMatchObject({ opened: 0 });
    await post('/integrations/alertmanager/prom', payload(key, [alert('DiskFull', 'resolved')]));
    const again = { ...alert('DiskFull', 'firing'), startsAt: '2026-12-05T11:00:00Z' };
    expect((await post('/integrations/alertmanager/prom', payload(key, [again]))).body).toMatchObject({ opened: 1 });
    const newest = (await pages()).find((p) => !p.resolvedAt)!;
    expect(newest.previousPageId).toBe(opened.id);
    expect((await pages()).find((p) => p.id === opened.id)).toMatchObject({ resolvedBy: 'bob' });
  }, 30_000);

  it('lets only the team, its managers, layer holders and admins answer', async () => {
    const open = (await pages()).find((p) => !p.resolvedAt)!;
    await expect(rig.bot.services.alerts!.respondToPage(open.id, 'ack', { person: 'carol', isAdmin: false }, new Date())).rejects.toThrow(/Only members of Payments/);
    const acked = await rig.bot.services.alerts!.respondToPage(open.id, 'ack', { person: 'bob', isAdmin: false }, new Date());
    expect(acked.ackedBy).toBe('bob');
  });

  it('pages a missed heartbeat and resolves it on the next beat', async () => {
    expect((await post('/integrations/heartbeat/nightly', '')).status).toBe(200);
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && body(c).includes('HeartbeatMissed'), 15_000);
    expect((await post('/integrations/heartbeat/nightly', '')).body).toMatchObject({ ok: true });
    await rig.slack.waitForCall('chat.update', (c) => c.args.channel === 'C0PAYMENTS' && body(c).includes('HeartbeatMissed') && body(c).includes('Resolved by the alert source'), 15_000);
  }, 30_000);

  it('lists open and resolved pages with /oncall pages, and names an unknown team', async () => {
    const answer = async (text: string) => JSON.stringify((await rig.slack.commandAnswer({ command: '/oncall', text, user_id: SLACK_BOB, channel_id: SLACK_CHANNEL })).body);
    const list = await answer('pages payments');
    const all = await pages();
    // The heartbeat keeps missing (nobody beats any more), so look for the acknowledged page.
    expect(list).toContain(all.find((p) => p.ackedBy === 'bob' && !p.resolvedAt)!.id);
    expect(list).toMatch(/acknowledged by/);
    expect(list).toContain(all.find((p) => p.resolvedBy === 'source')!.id);
    expect(list).toMatch(/Recently resolved/);
    expect(await answer('pages nosuch')).toMatch(/Unknown team \\"nosuch\\"/);
  });
});
