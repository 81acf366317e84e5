/**
 * Every notice message renders from the shipped templates for every kind and event, shows the
 * classification, and keeps user text from pinging anyone on either platform.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Notice, TimelineEntry } from '../../../src/domain/notices/notice.js';
import { noticeMessage, reportMessage, updateMessage } from '../../../src/jobs/notice-messages.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import { toMattermostPost } from '../../../src/render/mattermost.js';
import { toSlackMessage } from '../../../src/render/slack.js';

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

const attack = 'Down <!channel> @here @all <!everyone>';
const notice = (kind: Notice['kind'], extra: Partial<Notice> = {}): Notice => ({
  id: '12',
  env: 'enclave-1',
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

  const events: [Notice['kind'], string, string][] = [
    ['outage', 'update', 'identified'],
    ['outage', 'resolved', 'resolved'],
    ['outage', 'cancelled', 'resolved'],
    ['outage', 'resolution', 'resolved'],
    ['maintenance', 'reminder', 'scheduled'],
    ['maintenance', 'started', 'in-progress'],
    ['maintenance', 'extended', 'in-progress'],
    ['maintenance', 'completed', 'completed'],
    ['maintenance', 'cancelled', 'cancelled'],
    ['deploy', 'update', 'completed'],
  ];
  it.each(events)('renders a %s %s reply', (kind, event, status) => {
    const entry: TimelineEntry = { at: '2026-11-22T01:00:00.000Z', by: 'Alice', event, status, text: attack, update: 1 };
    const msg = updateMessage(renderer, notice(kind, { status, impact: attack, postmortem: 'https://wiki.example.com/pm' }), entry);
    expectSafe(msg);
  });

  it('renders the completion report with failures and a retry button', () => {
    const msg = reportMessage(renderer, notice('outage'), { total: 3, delivered: 2, pending: 0, failed: [{ target: { platform: 'slack', channelId: 'C9' }, error: 'not_in_channel: bot not in channel' }] });
    expect(msg.title).toContain('2/3');
    expect(msg.body).toContain('C9');
    expect(msg.buttons?.[0]).toMatchObject({ actionId: 'noticeRetry', value: '12' });
  });
});
