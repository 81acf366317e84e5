/**
 * Pure notice rules: lifecycle changes, refusals, window checks, reminder times, overlaps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../../src/domain/notice/notice.js';
import type { InputError } from '../../../../src/errors.js';
import { applyChange, checkOpen, checkStatus, checkWindow, describeOffset, overlaps, reminderTimes } from '../../../../src/domain/notice/rules.js';

const base: Notice = {
  id: '7',
  env: 'prod-east',
  kind: 'outage',
  classification: 'CUI',
  severity: 'sev2',
  status: 'investigating',
  summary: 'API down',
  components: [],
  zone: 'Europe/Berlin',
  author: { platform: 'slack', userId: 'U1', name: 'Alice' },
  createdAt: '2026-11-22T00:00:00.000Z',
  updatedAt: '2026-11-22T00:00:00.000Z',
  audience: [],
  rootRevision: 1,
  updates: 0,
  reminders: [],
  timeline: [{ at: '2026-11-22T00:00:00.000Z', by: 'Alice', event: 'created', status: 'investigating', text: 'API down' }],
  reports: 1,
};
const at = new Date('2026-11-22T01:00:00.000Z');

describe('applyChange', () => {
  it('bumps the root revision, numbers the reply and records the timeline', () => {
    const n = applyChange(base, { at, by: 'Alice', event: 'update', status: 'identified', text: 'Found it' });
    expect(n).toMatchObject({ status: 'identified', rootRevision: 2, updates: 1, updatedAt: at.toISOString() });
    expect(n.timeline.at(-1)).toEqual({ at: at.toISOString(), by: 'Alice', event: 'update', status: 'identified', text: 'Found it', update: 1 });
  });

  it('applies a change with a source once only (timers that fire twice)', () => {
    const change = { at, by: 'Day2', event: 'reminder', text: 'Starts in 1 h', source: 'timer:reminder:3600000' };
    const once = applyChange(base, change);
    expect(applyChange(once, change)).toBe(once);
  });

  it('edits the root without a reply when asked', () => {
    const n = applyChange(base, { at, by: 'Alice', event: 'note', text: 'x', reply: false });
    expect(n).toMatchObject({ rootRevision: 2, updates: 0 });
    expect(n.timeline.at(-1)!.update).toBeUndefined();
  });

  it('keeps revisions and reply numbers strictly increasing over any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 30 }), (replies) => {
        let n = base;
        for (const reply of replies) n = applyChange(n, { at, by: 'a', event: 'update', text: 't', reply });
        const numbers = n.timeline.flatMap((e) => (e.update === undefined ? [] : [e.update]));
        expect(n.rootRevision).toBe(1 + replies.length);
        expect(numbers).toEqual(numbers.map((_, i) => i + 1));
        expect(n.updates).toBe(numbers.length);
      }),
    );
  });
});

describe('refusals', () => {
  const cases: [string, () => void, RegExp][] = [
    ['a status of another kind', () => checkStatus(base, 'scheduled'), /not a status of an outage notice: use one of investigating, identified, monitoring, resolved/],
    ['an update to a resolved notice', () => checkOpen({ ...base, status: 'resolved' }), /notice 7 is resolved/],
    ['an update to a cancelled window', () => checkOpen({ ...base, kind: 'maintenance', status: 'cancelled' }), /is cancelled/],
    ['an end before the start', () => checkWindow(new Date('2026-12-01T10:00Z'), new Date('2026-12-01T09:00Z'), at), /is not after the start/],
    ['an end equal to the start', () => checkWindow(new Date('2026-12-01T10:00Z'), new Date('2026-12-01T10:00Z'), at), /is not after the start/],
    ['a window in the past', () => checkWindow(new Date('2026-11-01T10:00Z'), new Date('2026-11-01T11:00Z'), at), /in the past/],
    ['a window over 14 days', () => checkWindow(new Date('2026-12-01T10:00Z'), new Date('2026-12-15T10:01Z'), at), /lasts 14 days, longer than the 14 days allowed \(notices.maxWindow/],
    ['a window over a shorter configured limit', () => checkWindow(new Date('2026-12-01T10:00Z'), new Date('2026-12-03T10:00Z'), at, 86_400_000), /lasts 2 days, longer than the 1 day allowed/],
  ];

  it('keeps the instants of a refusal as dates, for the reader\'s zone', () => {
    const start = new Date('2026-12-01T10:00Z');
    const end = new Date('2026-12-01T09:00Z');
    try {
      checkWindow(start, end, at);
      expect.unreachable();
    } catch (e) {
      expect((e as InputError).parts).toEqual(['the end (', end, ') is not after the start (', start, ')']);
    }
  });
  it.each(cases)('refuses %s', (_name, fn, message) => {
    expect(fn).toThrow(message);
  });

  it('accepts a valid status and an open notice and a future window', () => {
    expect(() => checkStatus(base, 'monitoring')).not.toThrow();
    expect(() => checkOpen(base)).not.toThrow();
    expect(() => checkWindow(new Date('2026-12-01T10:00Z'), new Date('2026-12-01T11:00Z'), at)).not.toThrow();
  });
});

describe('reminderTimes', () => {
  const start = new Date('2026-11-23T09:00:00.000Z');
  it('gives one reminder per offset still ahead, earliest first, without duplicates', () => {
    const r = reminderTimes(start, [3600_000, 86_400_000, 3600_000], new Date('2026-11-22T08:00:00.000Z'));
    expect(r.map((x) => x.at.toISOString())).toEqual(['2026-11-22T09:00:00.000Z', '2026-11-23T08:00:00.000Z']);
  });
  it('drops reminders whose time has passed', () => {
    expect(reminderTimes(start, [86_400_000, 3600_000], new Date('2026-11-22T10:00:00.000Z')).map((x) => x.offsetMs)).toEqual([3600_000]);
  });
});

describe('overlaps', () => {
  const s = new Date('2026-12-01T10:00Z');
  const e = new Date('2026-12-01T12:00Z');
  const cases: [string, string, string, boolean][] = [
    ['inside', '2026-12-01T10:30Z', '2026-12-01T11:00Z', true],
    ['covering', '2026-12-01T09:00Z', '2026-12-01T13:00Z', true],
    ['ending at the start', '2026-12-01T09:00Z', '2026-12-01T10:00Z', false],
    ['starting at the end', '2026-12-01T12:00Z', '2026-12-01T13:00Z', false],
    ['overlapping the end', '2026-12-01T11:59Z', '2026-12-01T13:00Z', true],
  ];
  it.each(cases)('%s', (_n, from, to, expected) => {
    expect(overlaps(s, e, new Date(from), new Date(to))).toBe(expected);
  });
});

it('describes reminder offsets', () => {
  expect(describeOffset(86_400_000)).toBe('1 d');
  expect(describeOffset(3600_000)).toBe('1 h');
  expect(describeOffset(90 * 60_000)).toBe('1 h 30 min');
});
