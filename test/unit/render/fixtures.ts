/** Shared serializer options for the render tests: a fixed clock and a small people directory. */
import type { SerializeOptions } from '../../../src/render/serialize-options.js';

const PEOPLE: Record<string, { slack?: string; mattermost?: string; name: string }> = {
  'person:alice': { slack: 'U0ALICE', mattermost: 'alice', name: 'Alice Example' },
  'person:bob': { mattermost: 'bob', name: 'Bob Only-Mattermost' },
  'person:sam': { slack: 'U0SAM', name: 'Sam Only-Slack' },
  'slack:U0ALICE': { slack: 'U0ALICE', mattermost: 'alice', name: 'Alice Example' },
};

export const NOW = new Date('2026-11-28T09:00:00.000Z');

export const OPTS: SerializeOptions = {
  zone: 'Europe/Berlin',
  mentions: (ref) => PEOPLE[ref],
  now: () => NOW,
};
