/**
 * The release-health indicators a RelE is measured on, over a set of releases: share of
 * successful releases, rollbacks, open bugs at release, lead time from proposal to release and
 * time from proposal to confirmation. Only releases with an outcome count towards the outcome
 * figures; cancelled ones are counted separately.
 */
import type { Release } from './release.js';

export interface ReleaseStats {
  total: number;
  withOutcome: number;
  cancelled: number;
  successes: number;
  rollbacks: number;
  failures: number;
  /** 0..1, undefined when nothing has an outcome yet. */
  successShare?: number;
  openBugsTotal: number;
  openBugsMean?: number;
  /** Mean hours from proposal to the (final) release start, over releases with an outcome. */
  leadTimeHoursMean?: number;
  /** Mean hours from proposal to confirmation, over releases that were confirmed. */
  confirmHoursMean?: number;
}

const HOUR = 3_600_000;
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);

export function releaseStats(list: readonly Release[]): ReleaseStats {
  const done = list.filter((r) => r.outcome);
  const count = (result: string) => done.filter((r) => r.outcome?.result === result).length;
  const successes = count('success');
  const bugs = done.map((r) => r.outcome?.openBugs ?? 0);
  const stats: ReleaseStats = {
    total: list.length,
    withOutcome: done.length,
    cancelled: list.filter((r) => r.status === 'cancelled').length,
    successes,
    rollbacks: count('rolled-back'),
    failures: count('failed'),
    openBugsTotal: bugs.reduce((a, b) => a + b, 0),
  };
  if (done.length) stats.successShare = successes / done.length;
  const m = mean(bugs);
  if (m !== undefined) stats.openBugsMean = m;
  const lead = mean(done.map((r) => (Date.parse(r.start) - Date.parse(r.proposedAt)) / HOUR));
  if (lead !== undefined) stats.leadTimeHoursMean = lead;
  const conf = mean(list.filter((r) => r.confirmedAt).map((r) => (Date.parse(r.confirmedAt!) - Date.parse(r.proposedAt)) / HOUR));
  if (conf !== undefined) stats.confirmHoursMean = conf;
  return stats;
}
