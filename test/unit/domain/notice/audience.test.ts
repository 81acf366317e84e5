/**
 * Who receives a notice: environment, kind and component filters; each channel once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audienceOf, countByPlatform, matches, type Subscription } from '../../../../src/domain/notice/audience.js';
import { NOTICE_KINDS } from '../../../../src/domain/notice/notice.js';

const outageApi = { env: 'prod', kind: 'outage' as const, components: ['api'] };

describe('matches', () => {
  // name, subscription, notice, expected
  const cases: [string, Omit<Subscription, 'platform' | 'channelId'>, { env: string; kind: 'outage' | 'maintenance' | 'deploy'; components: string[] }, boolean][] = [
    ['same environment, no filters', { env: 'prod' }, outageApi, true],
    ['another environment', { env: 'staging' }, outageApi, false],
    ['kind filtered in', { env: 'prod', kinds: ['outage'] }, outageApi, true],
    ['kind filtered out', { env: 'prod', kinds: ['deploy'] }, outageApi, false],
    ['component filtered in (any case)', { env: 'prod', components: ['API', 'db'] }, outageApi, true],
    ['component filtered out', { env: 'prod', components: ['db'] }, outageApi, false],
    ['component filter, notice about the whole environment', { env: 'prod', components: ['db'] }, { ...outageApi, components: [] }, true],
    ['empty filters mean all', { env: 'prod', kinds: [], components: [] }, outageApi, true],
  ];
  it.each(cases)('%s', (_n, sub, notice, expected) => {
    expect(matches({ platform: 'slack', channelId: 'C1', ...sub }, notice)).toBe(expected);
  });
});

describe('audienceOf', () => {
  const sub = fc.record({
    env: fc.constantFrom('prod', 'staging'),
    platform: fc.constantFrom('slack' as const, 'mattermost' as const),
    channelId: fc.constantFrom('C1', 'C2', 'C3', 'c4'),
    kinds: fc.option(fc.subarray([...NOTICE_KINDS]), { nil: undefined }),
    components: fc.option(fc.subarray(['api', 'db', 'web']), { nil: undefined }),
  });

  it('lists every matching channel exactly once, in a stable order, and nothing else', () => {
    fc.assert(
      fc.property(fc.array(sub, { maxLength: 40 }), (subs) => {
        const out = audienceOf(subs, outageApi);
        const ids = out.map((t) => `${t.platform}/${t.channelId}`);
        expect(new Set(ids).size).toBe(ids.length);
        const expected = new Set(subs.filter((s) => matches(s, outageApi)).map((s) => `${s.platform}/${s.channelId}`));
        expect(new Set(ids)).toEqual(expected);
        expect(audienceOf([...subs].reverse(), outageApi)).toEqual(out);
      }),
    );
  });

  it('counts per platform', () => {
    expect(countByPlatform([{ platform: 'slack', channelId: 'C1' }, { platform: 'mattermost', channelId: 'x' }, { platform: 'slack', channelId: 'C2' }])).toEqual({ slack: 2, mattermost: 1, console: 0, total: 3 });
    expect(countByPlatform([{ platform: 'console', channelId: 'prod-east-notices' }, { platform: 'slack', channelId: 'C1' }])).toEqual({ slack: 1, mattermost: 0, console: 1, total: 2 });
  });
});
