import { describe, expect, it } from 'vitest';
import { sortOutCandidates, suggestTourCandidate } from '../../../../src/domain/tour/suggest.js';

const at = (s: string) => new Date(s);
const base = { onLeave: false, onDuty: false, onTour: false };

describe('tour suggestion', () => {
  const rows: { name: string; candidates: Parameters<typeof suggestTourCandidate>[0]; expected: string | undefined; reason?: string }[] = [
    { name: 'never toured beats everyone', candidates: [{ person: 'a', lastTourEnd: at('2020-01-01'), ...base }, { person: 'b', ...base }], expected: 'b', reason: 'never-toured' },
    { name: 'longest since the last tour', candidates: [{ person: 'a', lastTourEnd: at('2026-01-01'), ...base }, { person: 'b', lastTourEnd: at('2025-01-01'), ...base }], expected: 'b', reason: 'longest-since-last-tour' },
    { name: 'people on leave, on duty or on tour are skipped', candidates: [{ person: 'a', ...base, onLeave: true }, { person: 'b', ...base, onDuty: true }, { person: 'c', ...base, onTour: true }, { person: 'd', lastTourEnd: at('2026-06-01'), ...base }], expected: 'd' },
    { name: 'ties go by id', candidates: [{ person: 'z', ...base }, { person: 'm', ...base }], expected: 'm' },
    { name: 'nobody eligible', candidates: [{ person: 'a', ...base, onDuty: true }], expected: undefined },
  ];
  for (const r of rows) {
    it(r.name, () => {
      const s = suggestTourCandidate(r.candidates);
      expect(s?.person).toBe(r.expected);
      if (r.reason) expect(s?.reason).toBe(r.reason);
    });
  }
  it('counts who was left out and why', () => {
    expect(suggestTourCandidate([{ person: 'a', ...base, onLeave: true }, { person: 'b', ...base, onDuty: true }, { person: 'c', ...base }])?.skipped).toEqual({ onLeave: 1, onDuty: 1, onTour: 0 });
  });
});

describe('sorting out tour candidates', () => {
  it('counts who was left out even when nobody is free', () => {
    expect(sortOutCandidates([{ person: 'a', ...base, onDuty: true }, { person: 'b', ...base, onTour: true, onLeave: true }])).toEqual({ eligible: [], skipped: { onLeave: 0, onDuty: 1, onTour: 1 } });
  });
});
