/**
 * Every notice message renders from the shipped templates for every kind, event and status,
 * shows the classification, and keeps user text from pinging anyone on either platform; every
 * shipped reply template is reached by some reply, and an operator's template for one status
 * replaces just that one.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUSES, type Notice, type TimelineEntry } from '../../../../src/domain/notice/notice.js';
import { noticeMessage, reportMessage, updateMessage, updateTemplate, updateTemplateNames } from '../../../../src/services/notice/messages.js';
import { createRenderer, type Renderer } from '../../../../src/render/renderer.js';
import { writeTemplates } from '../../render/inline-renderer.js';
import { toMattermostPost } from '../../../../src/render/mattermost.js';
import { toSlackMessage } from '../../../../src/render/slack.js';

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

const attack = 'Down <!channel> @here @all <!everyone>';
const notice = (kind: Notice['kind'], extra: Partial<Notice> = {}): Notice => ({
  id: '12',
  env: 'enclave-1',
  envName: 'Enclave One',
  kind,
  classification: 'SECRET//REL',
  status: kind === 'outage' ? 'investigating' : kind === 'maintenance' ? 'scheduled' : 'announced',
  summary: attack,
  components: ['api'],
  zone: 'Europe/Berlin',
  author: { platform: 'slack', userId: 'U1', personId: 'alice', name: 'Alice' },
  createdAt: '2026-11-22T00:00:00.000Z',
  updatedAt: '2026-11-22T01:00:00.000Z',
  audience: [],
  rootRevision: 2,
  updates: 1,
  reminders: [],
  timeline: [],
  reports: 1,
  ...(kind === 'outage' ? { severity: 'sev1' as const } : {}),
  ...(kind === 'maintenance' ? { start: '2026-12-01T09:00:00.000Z', end: '2026-12-01T11:00:00.000Z' } : {}),
  ...(kind === 'deploy' ? { service: 'billing', version: '2.1.0', notes: attack } : {}),
  ...extra,
});

/** Slack pings by `<!here>` and by `@here` in mrkdwn; Mattermost only by `@here` (`<!here>` is plain text there). */
const SLACK_PING = /<!(channel|here|everyone)>|(^|[^\w\u2060\\])@(channel|here|all|everyone)\b/;
const MM_PING = /(^|[^\w\u2060\\])@(channel|here|all|everyone)\b/;

function expectSafe(msg: ReturnType<typeof noticeMessage>): void {
  const opts = { mentions: () => undefined, zone: 'Europe/Berlin' };
  const slack = JSON.stringify(toSlackMessage(msg, opts));
  const mm = JSON.stringify(toMattermostPost(msg, { ...opts, buttonIntegration: () => ({ url: 'http://x', context: {} }) }));
  expect(slack).toContain('SECRET//REL');
  expect(mm).toContain('SECRET//REL');
  expect(slack).not.toMatch(SLACK_PING);
  expect(mm).not.toMatch(MM_PING);
}

describe('notice messages', () => {
  it.each(['outage', 'maintenance', 'deploy'] as const)('renders the %s root with status and classification', (kind) => {
    const msg = noticeMessage(renderer, notice(kind, { timeline: [{ at: '2026-11-22T01:00:00.000Z', by: 'Alice', event: 'update', status: 'x', text: attack, update: 1 }] }));
    expect(msg.title).toContain('SECRET//REL');
    expectSafe(msg);
  });

  it('names the alert page an outage was declared from, as text that cannot ping or format', () => {
    const declared = noticeMessage(renderer, notice('outage', { alertPage: 'p1', declaredFrom: { title: `Checkout_Errors ${attack} {{id}}`, team: 'Payments *team*' } }));
    expect(declared.body).toContain('Declared from alert page: Checkout\\_Errors Down \\<\\!channel\\> \\@here \\@all \\<\\!everyone\\> {{id}} (team Payments \\*team\\*)');
    expectSafe(declared);
    // A notice not declared from a page (or stored before pages were named) reads as before.
    expect(noticeMessage(renderer, notice('outage', { alertPage: 'p1' })).body).not.toContain('Declared from');
    expect(noticeMessage(renderer, notice('outage')).body).toBe(noticeMessage(renderer, notice('outage', { alertPage: 'p1' })).body);
  });

  it.each(['outage', 'maintenance', 'deploy'] as const)('names the environment in the %s root, and teaches its id in the Environment field', (kind) => {
    const msg = noticeMessage(renderer, notice(kind));
    expect(msg.title).toMatch(/ (in|to) Enclave One: /);
    expect(msg.summary).toMatch(/ (in|to) Enclave One/);
    expect(msg.fields?.find((f) => f.label === 'Environment')?.value).toBe('Enclave One (enclave-1)');
    expect(`${msg.title} ${msg.summary} ${msg.context}`).not.toContain('enclave-1');
  });

  it('names the environment in every reply and in the completion report', () => {
    const entry: TimelineEntry = { at: '2026-11-22T01:00:00.000Z', by: 'Alice', event: 'update', status: 'identified', text: 'found it', update: 1 };
    const reply = updateMessage(renderer, notice('outage', { status: 'identified' }), entry);
    expect(reply.context).toMatch(/^SECRET\/\/REL · Enclave One · notice 12 update 1/);
    expect(reply.summary).toMatch(/Enclave One notice 12/);
    expect(JSON.stringify(reply)).not.toContain('enclave-1');
    expect(reportMessage(renderer, notice('outage'), { total: 1, delivered: 1, pending: 0, failed: [] }).title).toMatch(/^Notice 12 \(Enclave One\)/);
  });

  it('reads a notice stored before names were kept by its id, once', () => {
    const { envName: _, ...old } = notice('outage');
    const msg = noticeMessage(renderer, old);
    expect(msg.title).toMatch(/outage in enclave-1: /);
    expect(msg.fields?.find((f) => f.label === 'Environment')?.value).toBe('enclave-1');
  });

  // Every status of every kind as a plain update, and every event with the status it leaves.
  const events: [Notice['kind'], string, string][] = [
    ...(Object.keys(STATUSES) as Notice['kind'][]).flatMap((kind) => STATUSES[kind].map((status): [Notice['kind'], string, string] => [kind, 'update', status])),
    ['outage', 'resolved', 'resolved'],
    ['outage', 'cancelled', 'resolved'],
    ['outage', 'resolution', 'resolved'],
    ['maintenance', 'reminder', 'scheduled'],
    ['maintenance', 'started', 'in-progress'],
    ['maintenance', 'extended', 'in-progress'],
    ['maintenance', 'completed', 'completed'],
    ['maintenance', 'cancelled', 'cancelled'],
    ['deploy', 'cancelled', 'rolled-back'],
  ];
  const used = new Set<string>();
  it.each(events)('renders a %s %s reply (%s)', (kind, event, status) => {
    const entry: TimelineEntry = { at: '2026-11-22T01:00:00.000Z', by: 'Alice', event, status, text: attack, update: 1 };
    used.add(updateTemplate(renderer, kind, entry));
    const msg = updateMessage(renderer, notice(kind, { status, impact: attack, postmortem: 'https://wiki.example.com/pm' }), entry);
    expectSafe(msg);
  });

  it('reaches every shipped reply template with the replies above', async () => {
    const shipped = (await readdir(join(import.meta.dirname, '../../../../templates/notices'))).filter((f) => /^update(-.+)?\.hbs$/.test(f)).map((f) => `notices/${f.slice(0, -4)}`);
    expect(shipped.length).toBeGreaterThan(5);
    expect([...used].sort()).toEqual(shipped.sort());
  });

  it('words the statuses that differ: deploy completed, rolled back, maintenance completed', () => {
    const reply = (kind: Notice['kind'], event: string, status: string) =>
      updateMessage(renderer, notice(kind, { status }), { at: '2026-11-22T01:00:00.000Z', by: 'Alice', event, status, text: 'done', update: 2 }).body;
    expect(reply('deploy', 'update', 'completed')).toMatch(/Deployed.*billing.*2\.1\.0/);
    expect(reply('deploy', 'update', 'rolled-back')).toMatch(/Rolled back/);
    expect(reply('maintenance', 'completed', 'completed')).toMatch(/Maintenance in Enclave One completed/);
    expect(reply('outage', 'update', 'identified')).toMatch(/\*\*identified\*\* · done/);
  });

  it('renders the completion report with failures and a retry button', () => {
    const msg = reportMessage(renderer, notice('outage'), { total: 3, delivered: 2, pending: 0, failed: [{ target: { platform: 'slack', channelId: 'C9' }, error: 'not_in_channel: bot not in channel' }] });
    expect(msg.title).toContain('2/3');
    expect(msg.body).toContain('C9');
    expect(msg.buttons?.[0]).toMatchObject({ actionId: 'noticeRetry', value: '12' });
    expect(msg.buttons).toHaveLength(1);
    expectSafe(msg);
  });

  it('renders a report with nothing failed without a retry button', () => {
    const msg = reportMessage(renderer, notice('outage'), { total: 3, delivered: 3, pending: 0, failed: [] });
    expect(msg.body).toBe('Delivered to 3/3 channels.');
    expect(msg.buttons ?? []).toEqual([]);
    expect(msg.summary).toMatch(/0 failed/);
    expectSafe(msg);
  });
});

describe('reply template lookup', () => {
  it('tries kind and event, event, kind and status, status, then the plain update', () => {
    expect(updateTemplateNames('maintenance', { event: 'started', status: 'in-progress' })).toEqual([
      'notices/update-maintenance-started',
      'notices/update-started',
      'notices/update-maintenance-in-progress',
      'notices/update-in-progress',
      'notices/update',
    ]);
    expect(updateTemplateNames('outage', { event: 'update', status: 'monitoring' })).toEqual(['notices/update-outage-monitoring', 'notices/update-monitoring', 'notices/update']);
    // An event named like its status is tried once.
    expect(updateTemplateNames('outage', { event: 'resolved', status: 'resolved' })).toEqual(['notices/update-outage-resolved', 'notices/update-resolved', 'notices/update']);
  });

  it('finds the shipped templates: events first, then the kind\'s status, then the plain update', () => {
    expect(updateTemplate(renderer, 'outage', { event: 'cancelled', status: 'resolved' })).toBe('notices/update-cancelled');
    expect(updateTemplate(renderer, 'deploy', { event: 'update', status: 'completed' })).toBe('notices/update-deploy-completed');
    expect(updateTemplate(renderer, 'maintenance', { event: 'completed', status: 'completed' })).toBe('notices/update-completed');
    expect(updateTemplate(renderer, 'maintenance', { event: 'update', status: 'in-progress' })).toBe('notices/update');
    expect(updateTemplate(renderer, 'outage', { event: 'update', status: 'identified' })).toBe('notices/update');
  });

  describe('with an operator overlay for one status', () => {
    let overlay: Awaited<ReturnType<typeof writeTemplates>>;
    let custom: Renderer;
    beforeAll(async () => {
      overlay = await writeTemplates({ 'notices/update-outage-identified': '🔎 Cause found: {{entry.text}}\n@context\n{{classification}}', 'notices/update-rolled-back': '↩ {{entry.text}}\n@context\n{{classification}}' });
      custom = await createRenderer({ overlayDir: overlay.dir });
    });
    afterAll(() => overlay?.cleanup());

    it('uses it for that status only, and a kind-specific shipped template still wins over it', () => {
      const entry = (status: string): TimelineEntry => ({ at: '2026-11-22T01:00:00.000Z', by: 'Alice', event: 'update', status, text: 'bad push', update: 1 });
      expect(updateMessage(custom, notice('outage', { status: 'identified' }), entry('identified')).body).toBe('🔎 Cause found: bad push');
      expect(updateMessage(custom, notice('outage', { status: 'monitoring' }), entry('monitoring')).body).toMatch(/\*\*monitoring\*\* · bad push/);
      expect(updateTemplate(custom, 'deploy', entry('rolled-back'))).toBe('notices/update-deploy-rolled-back');
    });
  });
});
