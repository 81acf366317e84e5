/** Figures for `/onboard stats`: requests per status, and how long claiming and onboarding take. */
import { STATUSES, type Status } from './lifecycle.js';
import type { OnboardingRequest } from './request.js';

export interface OnboardingStats {
  total: number;
  byStatus: Record<Status, number>;
  /** Median and longest hours from submission to claim, over claimed requests. */
  toClaim?: { median: number; max: number; count: number };
  /** Median and longest days from submission to onboarded. */
  toOnboarded?: { median: number; max: number; count: number };
}

function summary(values: number[]): { median: number; max: number; count: number } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, max: sorted[sorted.length - 1]!, count: sorted.length };
}

const HOUR = 3_600_000;

export function onboardingStats(requests: readonly OnboardingRequest[]): OnboardingStats {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const toClaim: number[] = [];
  const toOnboarded: number[] = [];
  for (const r of requests) {
    byStatus[r.status] += 1;
    const submitted = Date.parse(r.submittedAt);
    if (r.claimedAt) toClaim.push((Date.parse(r.claimedAt) - submitted) / HOUR);
    if (r.onboardedAt) toOnboarded.push((Date.parse(r.onboardedAt) - submitted) / (24 * HOUR));
  }
  const claim = summary(toClaim);
  const done = summary(toOnboarded);
  return { total: requests.length, byStatus, ...(claim ? { toClaim: claim } : {}), ...(done ? { toOnboarded: done } : {}) };
}
