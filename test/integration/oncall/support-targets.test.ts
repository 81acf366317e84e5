/**
 * Where a team's support requests are posted: its `supportChannels` when it names any, else its
 * channels; only on the platforms this bot is connected to.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { createOncallService } from '../../../src/services/oncall/service.js';
import { oncallTargets } from '../../../src/services/oncall/targets.js';
import { createRotationStore } from '../../../src/store/oncall/rotation-store.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

const parsed = parseConfig(`
people:
  - { id: alice, name: Alice }
teams:
  - { id: payments, name: Payments, members: [alice], channels: { slack: [C0PAYMENTS], mattermost: [abcdefghijklmnopqrstuvwxyz] }, supportChannels: { slack: [C0PAYHELP] } }
  - { id: core, name: Core, members: [alice], channels: { slack: [C0CORE] } }
`);

describe('support request targets', () => {
  let env: RedisEnv;
  beforeEach(async () => {
    env = await redisEnv();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  it('uses the support channels a team names, else its channels, on connected platforms only', () => {
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const config = parsed.config;
    const oncall = createOncallService({ store: createRotationStore(env.redis), config: () => config });
    const both = oncallTargets(oncall, () => new Set(['slack', 'mattermost'] as const));
    expect(both.support('payments')).toEqual([{ platform: 'slack', channelId: 'C0PAYHELP' }]);
    expect(both.team('payments')).toEqual([
      { platform: 'slack', channelId: 'C0PAYMENTS' },
      { platform: 'mattermost', channelId: 'abcdefghijklmnopqrstuvwxyz' },
    ]);
    expect(both.support('core')).toEqual([{ platform: 'slack', channelId: 'C0CORE' }]);
    expect(oncallTargets(oncall, () => new Set(['mattermost'] as const)).support('core')).toEqual([]);
  });

  it('refuses a support channel that is not a channel id', () => {
    const bad = parseConfig(`
people:
  - { id: alice, name: Alice }
teams:
  - { id: payments, name: Payments, members: [alice], supportChannels: { slack: [general] } }
`);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toContain('teams[0].supportChannels.slack[0]');
  });
});
