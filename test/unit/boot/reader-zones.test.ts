/** Which zone a queued message is shown in: its DM's person, or its channel's audience. */
import { describe, expect, it } from 'vitest';
import { withReaderZones, zoneLookup } from '../../../src/boot/reader-zones.js';
import { parseConfig, type Config } from '../../../src/config.js';
import type { DeliveryRequest } from '../../../src/delivery/job.js';
import type { DeliveryService } from '../../../src/delivery/service.js';

const MM_SUB = 'abcdefghijklmnopqrstuvwxyz';
const config = (() => {
  const r = parseConfig(`timezone: Europe/Berlin
people:
  - { id: alice, name: Alice, slack: U0ALICE01, timezone: America/New_York }
  - { id: bob, name: Bob, slack: U0BOB0001 }
teams:
  - { id: payments, name: Payments, members: [alice, bob], channels: { slack: [C0PAY0001] } }
environments:
  - { id: prod, name: Prod, timezone: Asia/Singapore, channels: { slack: [C0PROD001] } }
  - { id: stage, name: Stage, channels: { slack: [C0STAGE01] } }
notices:
  subscriptions:
    - { env: prod, platform: mattermost, channel: ${MM_SUB} }
rotations:
  - { id: pay, team: payments, timezone: Australia/Sydney, anchor: "2026-01-05 09:00", turn: 1w, members: [alice, bob] }
roles: { admin: [alice] }
`);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
})();

describe('zoneLookup', () => {
  const zone = zoneLookup(config);
  it.each([
    ['an environment channel: its zone', { platform: 'slack', channelId: 'C0PROD001' }, 'Asia/Singapore'],
    ['an environment without a zone: the default', { platform: 'slack', channelId: 'C0STAGE01' }, 'Europe/Berlin'],
    ['a notice subscription: its environment', { platform: 'mattermost', channelId: MM_SUB }, 'Asia/Singapore'],
    ["a team channel: its rotation's zone", { platform: 'slack', channelId: 'C0PAY0001' }, 'Australia/Sydney'],
    ["a DM on Slack: the person's zone", { platform: 'slack', userId: 'U0ALICE01' }, 'America/New_York'],
    ['a console DM: the person', { platform: 'console', userId: 'alice' }, 'America/New_York'],
    ['a person without a zone: left to the adapter', { platform: 'slack', userId: 'U0BOB0001' }, undefined],
    ['an unknown channel: left to the adapter', { platform: 'slack', channelId: 'C0ELSE001' }, undefined],
  ] as const)('%s', (_name, target, expected) => {
    expect(zone(target)).toBe(expected);
  });
});

describe('withReaderZones', () => {
  it('fills in the zone of messages that have none, and keeps a zone already set', async () => {
    const seen: DeliveryRequest[] = [];
    const inner = { enqueue: async (r: DeliveryRequest[]) => void seen.push(...r), status: async () => [], close: async () => {} } satisfies DeliveryService;
    const wrapped = withReaderZones(inner, (): Config => config);
    await wrapped.enqueue([
      { key: 'a', revision: 1, target: { platform: 'slack', channelId: 'C0PROD001' }, message: { body: 'x', summary: 'x' } },
      { key: 'b', revision: 1, target: { platform: 'slack', channelId: 'C0PROD001' }, message: { body: 'x', summary: 'x', zone: 'UTC' } },
      { key: 'c', revision: 1, target: { platform: 'slack', channelId: 'C0ELSE001' }, message: { body: 'x', summary: 'x' } },
    ]);
    expect(seen.map((r) => r.message.zone)).toEqual(['Asia/Singapore', 'UTC', undefined]);
  });
});
