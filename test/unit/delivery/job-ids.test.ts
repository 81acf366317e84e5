import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deliveryJobId } from '../../../src/delivery/job.js';
import { jobId } from '../../../src/delivery/job-id.js';
import { describeEntry, targetId, type OutboxRecord } from '../../../src/delivery/outbox.js';

describe('job ids', () => {
  it('are BullMQ-safe: no ":" and never all digits', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 4 }), (parts) => {
        const id = jobId('t', parts);
        expect(id).not.toContain(':');
        expect(id).not.toMatch(/^\d+$/);
        expect(id.length).toBeLessThanOrEqual(120);
      }),
    );
  });

  it('are a function of their parts, and differ when the parts differ even if they read the same', () => {
    expect(jobId('t', ['a', 'b'])).toBe(jobId('t', ['a', 'b']));
    // Same readable head after sanitizing/joining, different parts:
    expect(jobId('t', ['a-b', 'c'])).not.toBe(jobId('t', ['a', 'b-c']));
    expect(jobId('t', ['x:y'])).not.toBe(jobId('t', ['x_y']));
    expect(jobId('t', ['1'])).not.toBe(jobId('t', [1]));
  });

  it('name a delivery by key, target and revision', () => {
    const base = { key: 'notice-42', revision: 1, target: { platform: 'slack' as const, channelId: 'C1' } };
    expect(deliveryJobId(base)).toBe(deliveryJobId({ ...base }));
    expect(deliveryJobId(base)).toMatch(/^d-notice-42-slack-c-C1-r1-[0-9a-f]{16}$/);
    expect(deliveryJobId({ ...base, revision: 2 })).not.toBe(deliveryJobId(base));
    expect(deliveryJobId({ ...base, target: { platform: 'mattermost', channelId: 'C1' } })).not.toBe(deliveryJobId(base));
    expect(deliveryJobId({ ...base, target: { platform: 'slack', userId: 'C1' } })).not.toBe(deliveryJobId(base));
  });
});

describe('outbox status', () => {
  const rec = (over: Partial<OutboxRecord>): OutboxRecord => ({
    key: 'k',
    target: { platform: 'slack', channelId: 'C1' },
    revision: 1,
    attempts: 0,
    updatedAt: 0,
    ...over,
  });
  const ref = { platform: 'slack' as const, channelId: 'C1', messageId: '1.2' };

  it.each([
    ['nothing sent yet', rec({}), 'pending'],
    ['in flight', rec({ inflight: { attemptId: 'a', revision: 1, since: 0, leaseUntil: 1, uncertain: false } }), 'pending'],
    ['delivered', rec({ delivered: { revision: 1, ref, at: 1 } }), 'delivered'],
    ['an edit is waiting', rec({ revision: 2, delivered: { revision: 1, ref, at: 1 } }), 'pending'],
    ['failed for this revision', rec({ failed: { revision: 1, code: 'not_found', reason: 'gone', at: 1 } }), 'failed'],
    ['failed for an older revision, newer asked', rec({ revision: 2, failed: { revision: 1, code: 'not_found', reason: 'gone', at: 1 } }), 'pending'],
  ] as const)('%s -> %s', (_name, record, state) => {
    expect(describeEntry(record).state).toBe(state);
  });

  it('reports the reason of a failure and the ref of a copy', () => {
    expect(describeEntry(rec({ failed: { revision: 1, code: 'not_in_channel', reason: 'invite the bot', at: 1 } })).error).toBe('not_in_channel: invite the bot');
    expect(describeEntry(rec({ revision: 2, delivered: { revision: 1, ref, at: 1 }, lastError: 'HTTP 503' }))).toMatchObject({ ref, deliveredRevision: 1, error: 'HTTP 503' });
  });

  it('names targets distinctly for channels and DMs', () => {
    expect(targetId({ platform: 'slack', channelId: 'C1' })).toBe('slack-c-C1');
    expect(targetId({ platform: 'mattermost', userId: 'u1' })).toBe('mattermost-u-u1');
  });
});
