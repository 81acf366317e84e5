/**
 * Who should go on the next tour of duty with a host team: the fairest candidate is the one whose
 * last tour ended longest ago (never toured beats everyone), among people who are not on leave or
 * on duty now and are not already members of the host team. The reason is part of the answer.
 */
export interface TourCandidate {
  person: string;
  /** End of their last tour, if they had one. */
  lastTourEnd?: Date;
  onLeave: boolean;
  onDuty: boolean;
  onTour: boolean;
}

export interface TourSuggestion {
  person: string;
  reason: 'never-toured' | 'longest-since-last-tour';
  lastTourEnd?: Date;
  /** How many people were considered and how many were left out, and why. */
  considered: number;
  skipped: { onLeave: number; onDuty: number; onTour: number };
}

/** Who may go now, and how many were left out and why (each person counted once, first reason wins). */
export function sortOutCandidates(candidates: readonly TourCandidate[]): { eligible: TourCandidate[]; skipped: TourSuggestion['skipped'] } {
  const skipped = { onLeave: 0, onDuty: 0, onTour: 0 };
  const eligible = candidates.filter((c) => {
    if (c.onTour) skipped.onTour++;
    else if (c.onLeave) skipped.onLeave++;
    else if (c.onDuty) skipped.onDuty++;
    else return true;
    return false;
  });
  return { eligible, skipped };
}

export function suggestTourCandidate(candidates: readonly TourCandidate[]): TourSuggestion | undefined {
  const { eligible, skipped } = sortOutCandidates(candidates);
  // Never toured first, then the oldest last tour; ties by id so the answer is stable.
  const best = [...eligible].sort((a, b) => (a.lastTourEnd?.getTime() ?? -Infinity) - (b.lastTourEnd?.getTime() ?? -Infinity) || a.person.localeCompare(b.person))[0];
  if (!best) return undefined;
  return { person: best.person, reason: best.lastTourEnd ? 'longest-since-last-tour' : 'never-toured', ...(best.lastTourEnd ? { lastTourEnd: best.lastTourEnd } : {}), considered: candidates.length, skipped };
}
