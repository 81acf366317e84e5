import { describe, expect, it } from 'vitest';
import { STATUSES, transition, type Move, type Status } from '../../../../src/domain/onboard/lifecycle.js';
import { onboardingStats } from '../../../../src/domain/onboard/stats.js';
import { exportMarkdown } from '../../../../src/domain/onboard/export.js';
import { normalizeId, type OnboardingRequest } from '../../../../src/domain/onboard/request.js';

// from | move | to, or undefined when refused
const rows: [Status, Move, Status | undefined][] = [
  ['submitted', 'claim', 'claimed'],
  ['claimed', 'claim', undefined],
  ['submitted', 'meeting', undefined],
  ['claimed', 'meeting', 'meeting-scheduled'],
  ['meeting-scheduled', 'meeting', 'meeting-scheduled'],
  ['in-progress', 'meeting', 'in-progress'],
  ['meeting-scheduled', 'start', 'in-progress'],
  ['submitted', 'start', undefined],
  ['in-progress', 'done', 'onboarded'],
  ['meeting-scheduled', 'done', undefined],
  ['submitted', 'decline', 'declined'],
  ['in-progress', 'decline', 'declined'],
  ['onboarded', 'decline', undefined],
  ['declined', 'claim', undefined],
];

describe('lifecycle', () => {
  it.each(rows)('%s --%s--> %s', (from, move, to) => {
    const r = transition(from, move);
    if (to) expect(r).toEqual({ ok: true, to });
    else expect(r.ok).toBe(false);
  });

  it('refusals say why', () => {
    const r = transition('submitted', 'meeting');
    expect(r.ok === false && r.message).toBe('The request is submitted: claim it first.');
  });
});

const req = (over: Partial<OnboardingRequest>): OnboardingRequest => ({
  id: 'ob-1',
  requester: { platform: 'slack', userId: 'U1', name: 'bob' },
  questions: [{ id: 'capability', label: 'Capability', type: 'text', options: [] }],
  answers: { capability: 'Ledger *bold* # not a heading' },
  title: 'Ledger',
  status: 'submitted',
  submittedAt: '2026-01-05T08:00:00.000Z',
  cardRevision: 1,
  escalations: 0,
  events: [],
  ...over,
});

describe('stats and export', () => {
  it('counts per status and medians of time to claim and to onboarded', () => {
    const s = onboardingStats([
      req({ claimedAt: '2026-01-05T10:00:00.000Z', status: 'claimed' }),
      req({ claimedAt: '2026-01-05T12:00:00.000Z', onboardedAt: '2026-01-15T08:00:00.000Z', status: 'onboarded' }),
      req({}),
    ]);
    expect(s.total).toBe(3);
    expect(s.byStatus).toEqual(Object.fromEntries(STATUSES.map((st) => [st, st === 'claimed' || st === 'onboarded' || st === 'submitted' ? 1 : 0])));
    expect(s.toClaim).toEqual({ median: 3, max: 4, count: 2 });
    expect(s.toOnboarded).toEqual({ median: 10, max: 10, count: 1 });
  });

  it('exports Markdown with answers escaped', () => {
    const md = exportMarkdown(req({}));
    expect(md).toContain('# Onboarding request ob-1: Ledger');
    expect(md).toContain('Ledger \\*bold\\* \\# not a heading');
  });

  it('reads request ids', () => {
    expect(normalizeId('7')).toBe('ob-7');
    expect(normalizeId('OB-07')).toBe('ob-7');
    expect(normalizeId('ob-')).toBeUndefined();
  });
});
