import { describe, expect, it } from 'vitest';
import type { Platform } from '../../../src/chat/port.js';
import { Directory } from '../../../src/directory.js';
import { parseUser } from '../../../src/dispatch/args.js';
import { resolvePerson } from '../../../src/dispatch/lookup.js';
import { testConfig } from './fixtures.js';

const directory = new Directory(testConfig);

function who(typed: string, platform: Platform): string | undefined {
  const r = parseUser(typed);
  if (!r.ok) throw new Error(r.problem);
  return resolvePerson(r.value, directory, platform)?.id;
}

describe('resolvePerson', () => {
  it.each([
    ['<@U0ALICE>', 'slack', 'alice'],
    ['<@U0BOB|bob>', 'slack', 'bob'],
    ['<@U0NOBODY>', 'slack', undefined],
    ['@alice', 'mattermost', 'alice'],
    ['@Alice', 'mattermost', 'alice'],
    ['@nobody', 'mattermost', undefined],
    ['@bob', 'slack', 'bob'],
    ['alice', 'slack', 'alice'],
    ['alice', 'mattermost', 'alice'],
    ['carol', 'console', undefined],
  ] as const)('%s on %s → %s', (typed, platform, expected) => {
    expect(who(typed, platform)).toBe(expected);
  });
});
