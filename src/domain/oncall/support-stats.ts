/**
 * Support figures for the on-call ledger: how many requests a team got in a period and how long
 * acknowledging and resolving them took, for the team and per tribute (the person on duty each
 * request was addressed to). Read from the stored requests, so they agree with the
 * `day2_support_time_to_*` metrics, which observe the same instants.
 */

export interface SupportSample {
  createdAt: Date;
  /** A request resolved without an Ack counts as acknowledged when it was resolved. */
  ackedAt?: Date;
  resolvedAt?: Date;
  /** Who it was addressed to; null when nobody was on duty. */
  assignee: string | null;
}

/** Seconds from creation, over the requests that got there. */
export interface DurationSummary {
  count: number;
  median: number;
  p90: number;
}

export interface SupportFigures {
  requests: number;
  acked: number;
  resolved: number;
  /** Not resolved yet. */
  open: number;
  ack?: DurationSummary;
  resolve?: DurationSummary;
}

export interface SupportStats extends SupportFigures {
  /** Per tribute, by person id; requests addressed to nobody only count for the team. */
  byTribute: ({ person: string } & SupportFigures)[];
}

/**
 * The median (the mean of the middle two for an even count) and the 90th percentile by nearest
 * rank (the smallest value at least 90% of the values are at or below), of seconds.
 */
export function summarize(seconds: readonly number[]): DurationSummary | undefined {
  if (seconds.length === 0) return undefined;
  const sorted = [...seconds].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const p90 = sorted[Math.ceil(0.9 * n) - 1]!;
  return { count: n, median, p90 };
}

function figures(samples: readonly SupportSample[]): SupportFigures {
  const since = (s: SupportSample, at: Date) => Math.max(0, (at.getTime() - s.createdAt.getTime()) / 1000);
  const ack = samples.flatMap((s) => (s.ackedAt ? [since(s, s.ackedAt)] : []));
  const resolve = samples.flatMap((s) => (s.resolvedAt ? [since(s, s.resolvedAt)] : []));
  const a = summarize(ack);
  const r = summarize(resolve);
  return {
    requests: samples.length,
    acked: ack.length,
    resolved: resolve.length,
    open: samples.length - resolve.length,
    ...(a ? { ack: a } : {}),
    ...(r ? { resolve: r } : {}),
  };
}

/** Figures over the requests created in `[from, to)`, whenever they were acknowledged or resolved. */
export function supportStats(samples: readonly SupportSample[], from: Date, to: Date): SupportStats {
  const inPeriod = samples.filter((s) => s.createdAt.getTime() >= from.getTime() && s.createdAt.getTime() < to.getTime());
  const byPerson = new Map<string, SupportSample[]>();
  for (const s of inPeriod) {
    if (s.assignee === null) continue;
    const list = byPerson.get(s.assignee);
    if (list) list.push(s);
    else byPerson.set(s.assignee, [s]);
  }
  const byTribute = [...byPerson.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([person, list]) => ({ person, ...figures(list) }));
  return { ...figures(inPeriod), byTribute };
}
