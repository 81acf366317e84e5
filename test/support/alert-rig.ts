/**
 * What the alert and handoff tests add to a bot rig (test/e2e/alerts*.test.ts, support-handoff,
 * test/infra/alertmanager.test.ts): the payments team's rotation in the shapes they page, and an
 * Alertmanager delivery to the rig. Each test keeps in its own config what it is about (the
 * team's managers, ack timeouts, integrations, routes).
 */
import type { BotRig } from './bot-rig.js';

/**
 * Payments (alice and bob, alice managing, its channel on Slack and Mattermost) and `pay`, a
 * daily rotation whose every turn is bob's: he is paged whatever the wall clock says.
 */
export const bobPagesPayments = (mmChannelId: string) => `teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice], channels: { slack: [C0PAYMENTS], mattermost: [${mmChannelId}] } }
rotations:
  - { id: pay, team: payments, timezone: UTC, anchor: "2026-01-05 09:00", turn: 1d, members: [bob] }`;

const LAYER_NAMES = ['primary', 'secondary', 'tertiary'];

/**
 * `pay`, the payments team's daily rotation, in layers of one member each (primary first): no
 * layer ever changes hands on its own, so who holds it never depends on the wall clock.
 * `fields` adds rotation settings (e.g. `supportSla: 3s`).
 */
export function payInLayers(members: readonly string[], fields: readonly string[] = []): string {
  const layers = members.map((m, i) => `      - { name: ${LAYER_NAMES[i]}, precedence: ${i + 1}, members: [${m}] }`);
  return ['rotations:', '  - id: pay', '    team: payments', '    timezone: UTC', '    anchor: "2026-01-05 00:00"', '    turn: 1d', ...fields.map((f) => `    ${f}`), '    layers:', ...layers].join('\n');
}

/**
 * Deliver one firing alert to the rig's `prom` integration as Alertmanager does (webhook
 * version 4, grouped by alertname, bearer token); returns the HTTP status.
 */
export async function fireAlert(rig: BotRig, token: string, labels: { alertname: string } & Record<string, string>, annotations: Record<string, string> = {}): Promise<number> {
  const alert = { status: 'firing', labels, annotations, startsAt: '2026-12-05T10:00:00Z', fingerprint: `fp-${labels.alertname}` };
  const res = await fetch(`${rig.appUrl}/integrations/alertmanager/prom`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ version: '4', groupKey: `{}:{alertname="${labels.alertname}"}`, status: 'firing', alerts: [alert] }),
  });
  return res.status;
}
