/** The alerts section of the config file: cross-references and the clear problems it reports. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config.js';

const base = `people: [{ id: alice, name: Alice }]
teams: [{ id: payments, name: Payments, members: [alice] }]
roles: { admin: [alice] }
`;

describe('alerts config', () => {
  it('accepts integrations, routes and a default team', () => {
    const r = parseConfig(`${base}alerts:
  defaultTeam: payments
  ackTimeoutSeconds: { high: 30 }
  integrations: [{ id: prom, kind: alertmanager, tokenEnv: DAY2_PROM_TOKEN, silences: { url: "http://am:9093" } }]
  routes: [{ match: { team: payments, severity: "/critical|page/" }, team: payments }]`);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config.alerts).toMatchObject({ ackTimeoutSeconds: { high: 30, low: 1800 }, integrations: [{ silences: { onAck: true, ackMinutes: 60, maintenance: false, envLabel: 'env' } }] });
  });

  it('takes maintenance silences with their labels, and refuses silences where no Alertmanager is', () => {
    const ok = parseConfig(`${base}alerts:
  defaultTeam: payments
  integrations: [{ id: prom, kind: alertmanager, tokenEnv: DAY2_T, silences: { url: "http://am:9093", maintenance: true, envLabel: environment, componentLabel: service } }]`);
    expect(ok.ok && ok.config.alerts.integrations[0]!.silences).toMatchObject({ maintenance: true, envLabel: 'environment', componentLabel: 'service' });
    const bad = parseConfig(`${base}alerts:
  defaultTeam: payments
  integrations: [{ id: graf, kind: grafana, tokenEnv: DAY2_T, silences: { url: "http://am:9093", maintenance: true, envLabel: "no-dashes" } }]`);
    const text = bad.ok ? '' : bad.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(text).toMatch(/alerts\.integrations\[0\]\.silences\.envLabel: a label name/);
    const kind = parseConfig(`${base}alerts:
  defaultTeam: payments
  integrations: [{ id: graf, kind: grafana, tokenEnv: DAY2_T, silences: { url: "http://am:9093", maintenance: true } }]`);
    expect(kind.ok ? '' : kind.problems.map((p) => `${p.path}: ${p.message}`).join('\n')).toMatch(/alerts\.integrations\[0\]\.silences: only an alertmanager integration/);
  });

  it('names unknown teams, duplicate ids, a missing default team and a token written inline', () => {
    const r = parseConfig(`${base}alerts:
  integrations: [{ id: prom, kind: alertmanager, tokenEnv: DAY2_T, teams: [nosuch] }, { id: prom, kind: grafana, tokenEnv: "s3cr3t-value" }]
  routes: [{ match: { team: x }, team: ghosts }]`);
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(text).toMatch(/alerts\.integrations\[0\]\.teams\[0\]: unknown team "nosuch"/);
    expect(text).toMatch(/alerts\.integrations\[1\]\.id: duplicate id "prom"/);
    expect(text).toMatch(/alerts\.integrations\[1\]\.tokenEnv: the name of an environment variable/);
    expect(text).toMatch(/alerts\.routes\[0\]\.team: unknown team "ghosts"/);
    expect(text).toMatch(/alerts\.defaultTeam: required when integrations are declared/);
  });
});
