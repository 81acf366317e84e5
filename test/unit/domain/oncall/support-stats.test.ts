import { describe, expect, it } from 'vitest';
import { summarize, supportStats, type SupportSample } from '../../../../src/domain/oncall/support-stats.js';

const T0 = Date.parse('2026-11-02T09:00:00Z');
/** A request created `created` minutes after T0, acknowledged / resolved that many seconds later. */
const req = (created: number, assignee: string | null, ackS?: number, resolveS?: number): SupportSample => {
  const createdAt = new Date(T0 + created * 60_000);
  return {
    createdAt,
    assignee,
    ...(ackS !== undefined ? { ackedAt: new Date(createdAt.getTime() + ackS * 1000) } : {}),
    ...(resolveS !== undefined ? { resolvedAt: new Date(createdAt.getTime() + resolveS * 1000) } : {}),
  };
};

describe('support figures', () => {
  // name | seconds | median | p90 (nearest rank: the ceil(0.9 n)-th smallest)
  const cases: [string, number[], number, number][] = [
    ['one value', [42], 42, 42],
    ['odd count: the middle one', [30, 10, 20], 20, 30],
    ['even count: the mean of the middle two', [40, 10, 30, 20], 25, 40],
    ['ten values: p90 is the ninth', [1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 5.5, 9],
    ['eleven values: p90 is the tenth', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 6, 10],
    ['one slow outlier among twenty does not move p90', [...Array.from({ length: 19 }, () => 60), 86_400], 60, 60],
  ];
  it.each(cases)('%s', (_name, seconds, median, p90) => {
    expect(summarize(seconds)).toEqual({ count: seconds.length, median, p90 });
  });

  it('has no summary without values', () => {
    expect(summarize([])).toBeUndefined();
  });

  it('counts requests created in the period, per team and per tribute', () => {
    const samples = [
      req(0, 'alice', 60, 600),
      req(10, 'alice', 120),
      req(20, 'bob', 30, 30), // resolved without a separate Ack: acknowledged at the same instant
      req(30, null), // nobody on duty: the team's figure only
      req(-10, 'alice', 1, 1), // before the period
      req(24 * 60, 'bob', 1, 1), // at the period's end (half-open)
    ];
    const stats = supportStats(samples, new Date(T0), new Date(T0 + 24 * 3_600_000));
    expect(stats).toEqual({
      requests: 4,
      acked: 3,
      resolved: 2,
      open: 2,
      ack: { count: 3, median: 60, p90: 120 },
      resolve: { count: 2, median: 315, p90: 600 },
      byTribute: [
        { person: 'alice', requests: 2, acked: 2, resolved: 1, open: 1, ack: { count: 2, median: 90, p90: 120 }, resolve: { count: 1, median: 600, p90: 600 } },
        { person: 'bob', requests: 1, acked: 1, resolved: 1, open: 0, ack: { count: 1, median: 30, p90: 30 }, resolve: { count: 1, median: 30, p90: 30 } },
      ],
    });
  });

  it('has counts and no times when nothing was acknowledged', () => {
    expect(supportStats([req(0, 'alice')], new Date(T0), new Date(T0 + 3_600_000))).toEqual({
      requests: 1, acked: 0, resolved: 0, open: 1,
      byTribute: [{ person: 'alice', requests: 1, acked: 0, resolved: 0, open: 1 }],
    });
  });
});
