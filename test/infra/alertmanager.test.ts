/**
 * Alert paging against a real Alertmanager: alerts pushed through its API reach Day2 through
 * its webhook receiver (bearer token in http_config, as operators configure it). Asserts the
 * page, its edit as an alert joins the group, escalation on the real BullMQ timer, resolution
 * when Alertmanager sends resolved, the silence an acknowledgement creates in Alertmanager, and
 * the silence a maintenance notice's window creates (moved when extended, expired when cancelled),
 * including a window confirmed before the operator switched maintenance silences on.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSilencer } from '../../src/services/alert/silences.js';
import { bobPagesPayments } from '../support/alert-rig.js';
import { SLACK_ALICE, startBotRig, type BotRig } from '../support/bot-rig.js';
import { pushAlerts, startAlertmanager, type Alertmanager } from './support/alertmanager.js';
import { freePort } from './support/servers.js';

const TOKEN = 'am-infra-token-9876543210';
process.env.DAY2_INFRA_AM_TOKEN = TOKEN;
let rig: BotRig;
let am: Alertmanager;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'day2-am-'));
  rig = await startBotRig();
  const port = await freePort();
  await rig.extendConfig(`environments:
  - { id: prod, name: Production, pres: [alice] }
${bobPagesPayments(rig.mmChannel.id)}
alerts:
  defaultTeam: payments
  ackTimeoutSeconds: { high: 2, low: 60 }
  integrations:
    - { id: am, kind: alertmanager, tokenEnv: DAY2_INFRA_AM_TOKEN, silences: { url: "http://127.0.0.1:${port}", ackMinutes: 30, maintenance: true, componentLabel: component } }
  routes:
    - { match: { team: payments }, team: payments }`);
  am = await startAlertmanager(
    root,
    `global: { resolve_timeout: 5s }
route:
  receiver: day2
  group_by: [team, env]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: day2
    webhook_configs:
      - url: ${rig.appUrl}/integrations/alertmanager/am
        send_resolved: true
        http_config: { authorization: { type: Bearer, credentials: ${TOKEN} } }
`,
    port,
  );
}, 120_000);

afterAll(async () => {
  await am?.stop();
  await rig?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const body = (c: { args: unknown }) => JSON.stringify(c.args);
const pages = () => rig.bot.services.alerts!.recentPages(20);

describe('paging from a real Alertmanager', () => {
  it('pages, edits as alerts join, escalates on the timer and resolves when Alertmanager does', async () => {
    const startsAt = new Date().toISOString();
    await pushAlerts(am.url, [{ labels: { alertname: 'ApiDown', team: 'payments', env: 'prod' }, annotations: { summary: 'API is down' }, startsAt }]);
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && body(c).includes('ApiDown'), 20_000);
    await pushAlerts(am.url, [{ labels: { alertname: 'QueueBacklog', team: 'payments', env: 'prod' }, startsAt }]);
    await rig.slack.waitForCall('chat.update', (c) => c.args.channel === 'C0PAYMENTS' && body(c).includes('QueueBacklog'), 20_000);
    expect(await pages()).toHaveLength(1);
    await rig.slack.waitForCall('chat.postMessage', (c) => body(c).includes('has not been acknowledged'), 20_000);
    expect(rig.slack.callsTo('conversations.open').map((c) => c.args.users)).toContain(SLACK_ALICE);
    const now = new Date().toISOString();
    await pushAlerts(am.url, [
      { labels: { alertname: 'ApiDown', team: 'payments', env: 'prod' }, annotations: { summary: 'API is down' }, startsAt, endsAt: now },
      { labels: { alertname: 'QueueBacklog', team: 'payments', env: 'prod' }, startsAt, endsAt: now },
    ]);
    await rig.slack.waitForCall('chat.update', (c) => c.args.channel === 'C0PAYMENTS' && body(c).includes('Resolved by the alert source'), 20_000);
    expect((await pages())[0]).toMatchObject({ resolvedBy: 'source' });
  });

  it('acknowledging creates a silence in Alertmanager, lifted when the page resolves', async () => {
    await pushAlerts(am.url, [{ labels: { alertname: 'DiskFull', team: 'payments', env: 'staging' }, startsAt: new Date().toISOString() }]);
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && body(c).includes('DiskFull'), 20_000);
    const page = (await pages()).find((p) => !p.resolvedAt)!;
    const acked = await rig.bot.services.alerts!.respondToPage(page.id, 'ack', { person: 'bob', isAdmin: false }, new Date());
    expect(acked.silenceIds).toHaveLength(1);
    const silences = (await (await fetch(`${am.url}/api/v2/silences`)).json()) as { id: string; status: { state: string }; matchers: { name: string; value: string }[] }[];
    const made = silences.find((s) => s.id === acked.silenceIds[0])!;
    expect(made.status.state).toBe('active');
    expect(made.matchers.map((m) => `${m.name}=${m.value}`).sort()).toEqual(['alertname=DiskFull', 'env=staging', 'team=payments']);
    await rig.bot.services.alerts!.respondToPage(page.id, 'resolve', { person: 'bob', isAdmin: false }, new Date());
    const after = (await (await fetch(`${am.url}/api/v2/silence/${made.id}`)).json()) as { status: { state: string } };
    expect(after.status.state).toBe('expired');
  });
});

interface AmSilence {
  id: string;
  comment: string;
  startsAt: string;
  endsAt: string;
  status: { state: string };
  matchers: { name: string; value: string; isRegex: boolean }[];
}

const silencesOf = async (noticeId: string) => ((await (await fetch(`${am.url}/api/v2/silences`)).json()) as AmSilence[]).filter((s) => s.comment.includes(`Day2 notice ${noticeId})`));
async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('maintenance windows silence their environment in a real Alertmanager', () => {
  const author = { platform: 'slack' as const, userId: 'U0ALICE01', personId: 'alice', name: 'Alice Admin' };

  it('a confirmed window becomes one silence for env and components, moved when extended, expired when cancelled', async () => {
    const notices = rig.bot.services.notices!;
    const start = new Date(Date.now() + 3600_000);
    const end = new Date(start.getTime() + 2 * 3600_000);
    const n = await notices.create({ env: 'prod', kind: 'maintenance', summary: 'Database upgrade', components: ['api', 'db.main'], start, end, author });
    const made = await eventually('the maintenance silence', async () => (await silencesOf(n.id)).find((s) => s.status.state === 'pending'));
    expect(made.matchers.map((m) => `${m.name}${m.isRegex ? '=~' : '='}${m.value}`).sort()).toEqual(['component=~api|db\\.main', 'env=prod']);
    expect([Date.parse(made.startsAt), Date.parse(made.endsAt)]).toEqual([start.getTime(), end.getTime()]);
    // How a run that died before recording the id finds it again (src/services/alert/maintenance.ts).
    expect(await httpSilencer().findByComment(am.url, `(Day2 notice ${n.id})`)).toBe(made.id);

    const longer = await notices.extend(n.id, { ms: 3600_000 }, 'Alice Admin');
    await eventually('the silence moved', async () => (await silencesOf(n.id)).find((s) => s.status.state === 'pending' && Date.parse(s.endsAt) === Date.parse(longer.end!)));
    // Moved, not doubled: one silence stands for the window.
    expect((await silencesOf(n.id)).filter((s) => s.status.state !== 'expired')).toHaveLength(1);

    await notices.cancel(n.id, 'postponed', 'Alice Admin');
    await eventually('the silence expired', async () => ((await silencesOf(n.id)).every((s) => s.status.state === 'expired') ? true : undefined));
    // Expiring it again (a retried timer) is not an error: Alertmanager's "already expired" is what was wanted.
    await expect(httpSilencer().expire(am.url, (await silencesOf(n.id))[0]!.id)).resolves.toBeUndefined();
    expect(await httpSilencer().findByComment(am.url, `(Day2 notice ${n.id})`)).toBeUndefined();
  });

  it('a page opening during a window says so', async () => {
    const notices = rig.bot.services.notices!;
    const n = await notices.create({ env: 'prod', kind: 'maintenance', summary: 'Network work', components: [], start: new Date(), end: new Date(Date.now() + 3600_000), author });
    // Alertmanager silences what this integration sends; alerts reaching Day2 another way still page.
    const alerts = rig.bot.services.alerts!;
    const page = await alerts.ingest(
      alerts.webhook.config().integrations.find((i) => i.id === 'am')!,
      { alerts: [{ groupKey: 'maint-test', fingerprint: 'maint-1', status: 'firing', labels: { alertname: 'Flapping', team: 'payments', env: 'prod' }, annotations: {}, startsAt: new Date().toISOString() }] },
    );
    expect(page.opened).toBe(1);
    await rig.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0PAYMENTS' && body(c).includes('Flapping') && body(c).includes('Production is in a maintenance window') && body(c).includes(n.id), 20_000);
    await notices.complete(n.id, 'Alice Admin');
  });

  it('a window confirmed before maintenance silences were switched on gets its silence at the reload that switches them on', async () => {
    const notices = rig.bot.services.notices!;
    const switchTo = async (on: boolean) => {
      const text = await readFile(rig.configFile, 'utf8');
      await writeFile(rig.configFile, text.replace(/maintenance: (true|false)/, `maintenance: ${on}`));
      const outcome = await rig.bot.services.reload!();
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
    };
    await switchTo(false);
    const start = new Date(Date.now() + 2 * 3600_000);
    const n = await notices.create({ env: 'prod', kind: 'maintenance', summary: 'Storage move', components: [], start, end: new Date(start.getTime() + 3600_000), author });
    // Nothing to do while switched off (the timer would have run within this second).
    await new Promise((r) => setTimeout(r, 1000));
    expect(await silencesOf(n.id)).toEqual([]);

    await switchTo(true);
    const made = await eventually('the caught-up silence', async () => (await silencesOf(n.id)).find((s) => s.status.state === 'pending'));
    expect(Date.parse(made.startsAt)).toBe(start.getTime());
    // A further reload does not make a second one.
    await switchTo(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await silencesOf(n.id)).filter((s) => s.status.state !== 'expired')).toHaveLength(1);
    await notices.cancel(n.id, 'moved to next week', 'Alice Admin');
    await eventually('the silence expired', async () => ((await silencesOf(n.id)).every((s) => s.status.state === 'expired') ? true : undefined));
  });
});
