/**
 * The three payloads: Alertmanager's webhook (version 4), Grafana's webhook contact point (the
 * documented example) and Day2's generic JSON, and the field a refusal names.
 */
import { describe, expect, it } from 'vitest';
import { parseAlertPayload } from '../../../../src/domain/alert/payloads.js';

// Grafana's documented webhook contact point example (Grafana alerting docs, "Webhook notifier").
const grafanaExample = {
  receiver: 'My Super Webhook',
  status: 'firing',
  orgId: 1,
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'High memory usage', team: 'blue', zone: 'us-1' },
      annotations: { description: 'The system has high memory usage', runbook_url: 'https://myrunbook.com/runbook/1234', summary: 'This alert was triggered for zone us-1' },
      startsAt: '2021-10-12T09:51:03.157076+02:00',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://play.grafana.org/alerting/1afz29v7z/edit',
      fingerprint: 'c6eadffa33fcdf37',
      silenceURL: 'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1',
      dashboardURL: '',
      panelURL: '',
      values: { B: 44.23943737541908, C: 1 },
    },
    {
      status: 'firing',
      labels: { alertname: 'High CPU usage', team: 'blue', zone: 'eu-1' },
      annotations: { description: 'The system has high CPU usage', runbook_url: 'https://myrunbook.com/runbook/1234', summary: 'This alert was triggered for zone eu-1' },
      startsAt: '2021-10-12T09:56:03.157076+02:00',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://play.grafana.org/alerting/d1rdpdv7k/edit',
      fingerprint: 'bc97ff14869b13e3',
      silenceURL: 'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT1%2Cteam%3Dblue%2Czone%3Deu-1',
      dashboardURL: '',
      panelURL: '',
      values: { B: 44.23943737541908, C: 1 },
    },
  ],
  groupLabels: {},
  commonLabels: { team: 'blue' },
  commonAnnotations: {},
  externalURL: 'https://play.grafana.org/',
  version: '1',
  groupKey: '{}:{}',
  truncatedAlerts: 0,
  title: '[FIRING:2]  (blue)',
  state: 'alerting',
  message: '**Firing**\n\nLabels:\n - alertname = T2\n - team = blue\n - zone = us-1',
};

describe('parseAlertPayload', () => {
  it("reads Grafana's documented example as one group of two alerts", () => {
    const r = parseAlertPayload('grafana', grafanaExample);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.batch.alerts.map((a) => [a.groupKey, a.fingerprint, a.status])).toEqual([
      ['{}:{}', 'c6eadffa33fcdf37', 'firing'],
      ['{}:{}', 'bc97ff14869b13e3', 'firing'],
    ]);
    expect(r.batch.alerts[0]!.labels.team).toBe('blue');
    expect(r.batch.alerts[0]!.url).toBe('https://play.grafana.org/alerting/1afz29v7z/edit');
    // Only an Alertmanager integration is silenced through the source's API.
    expect(r.batch.sourceUrl).toBeUndefined();
  });

  it('groups Alertmanager alerts by groupKey, else by fingerprint, and ignores a firing alert\'s forecast end', () => {
    const alert = { status: 'firing', labels: { alertname: 'A' }, startsAt: '2026-12-05T10:00:00.123456789Z', endsAt: '2026-12-05T10:05:00Z' };
    const withKey = parseAlertPayload('alertmanager', { version: '4', groupKey: 'g', externalURL: 'http://am:9093', alerts: [alert] });
    expect(withKey.ok && withKey.batch.alerts[0]).toMatchObject({ groupKey: 'g', fingerprint: 'alertname=A' });
    expect(withKey.ok && withKey.batch.alerts[0]!.endsAt).toBeUndefined();
    expect(withKey.ok && withKey.batch.sourceUrl).toBe('http://am:9093');
    const noKey = parseAlertPayload('alertmanager', { alerts: [{ ...alert, fingerprint: 'f1' }] });
    expect(noKey.ok && noKey.batch.alerts[0]!.groupKey).toBe('f1');
  });

  it('reads the generic JSON: group, else id', () => {
    const r = parseAlertPayload('webhook', { alerts: [{ id: 'db-1', status: 'firing', summary: 'DB slow', labels: { team: 'core' } }, { id: 'db-2', group: 'db', status: 'resolved', summary: 'x' }] }, new Date('2026-12-05T10:00:00Z'));
    expect(r.ok && r.batch.alerts.map((a) => [a.groupKey, a.annotations.summary, a.startsAt])).toEqual([
      ['db-1', 'DB slow', '2026-12-05T10:00:00.000Z'],
      ['db', 'x', '2026-12-05T10:00:00.000Z'],
    ]);
  });

  it('names the first wrong field', () => {
    expect(parseAlertPayload('alertmanager', { alerts: [] })).toMatchObject({ ok: false, field: 'alerts' });
    expect(parseAlertPayload('alertmanager', { alerts: [{ status: 'firing', labels: { a: 1 }, startsAt: '2026-12-05T10:00:00Z' }] })).toMatchObject({ ok: false, field: 'alerts[0].labels.a' });
    expect(parseAlertPayload('grafana', { alerts: [{ status: 'firing', labels: {}, startsAt: 'yesterday' }] })).toMatchObject({ ok: false, field: 'alerts[0].startsAt' });
    expect(parseAlertPayload('webhook', { alerts: [{ id: 'x', status: 'firing' }] })).toMatchObject({ ok: false, field: 'alerts[0].summary' });
    expect(parseAlertPayload('webhook', { alerts: [{ id: 'x', status: 'firing', summary: 's', colour: 'red' }] })).toMatchObject({ ok: false, field: 'alerts[0]' });
    expect(parseAlertPayload('webhook', [])).toMatchObject({ ok: false, field: '(body)' });
  });
});
