/**
 * The notices: config section: defaults, and every cross-reference problem named with its path.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config.js';

const base = `
environments:
  - { id: prod-east, name: Prod East }
`;

describe('notices config', () => {
  it('defaults to no subscriptions, reminders 24 h and 1 h before, windows of at most 14 days', () => {
    const r = parseConfig(base);
    expect(r.ok && r.config.notices).toEqual({ subscriptions: [], reminderOffsets: ['24h', '1h'], icalTokens: {}, maxWindow: '14d' });
  });

  it('names each problem with its path', () => {
    const r = parseConfig(`${base}
notices:
  reminderOffsets: [24h, soon]
  icalTokens: { prod-west: short }
  subscriptions:
    - { env: prod-west, platform: slack, channel: C0ABCDEF1 }
    - { env: prod-east, platform: slack, channel: general }
    - { env: prod-east, platform: mattermost, channel: C0ABCDEF1, kinds: [outages] }
`);
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^notices\.reminderOffsets\[1\]: "soon" is not a duration/),
        expect.stringMatching(/^notices\.icalTokens\.prod-west: use at least 16 characters/),
        expect.stringMatching(/^notices\.subscriptions\[2\]\.kinds\[0\]/),
      ]),
    );
  });

  it('checks environments and channel ids once the shapes are right', () => {
    const r = parseConfig(`${base}
notices:
  subscriptions:
    - { env: prod-west, platform: slack, channel: C0ABCDEF1 }
    - { env: prod-east, platform: slack, channel: general }
    - { env: prod-east, platform: mattermost, channel: C0ABCDEF1 }
`);
    const problems = r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual([
      'notices.subscriptions[0].env: unknown environment "prod-west": add it under environments: or fix the spelling',
      'notices.subscriptions[1].channel: Slack channel ids look like "C0123ABCD"',
      'notices.subscriptions[2].channel: Mattermost channel ids are 26 lowercase letters/digits',
    ]);
  });
});
