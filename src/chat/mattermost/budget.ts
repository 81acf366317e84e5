/**
 * Race a dispatch against the acknowledgement budget. Mattermost waits up to 30 s for an
 * integration's answer, but a user staring at a spinner should hear back within a few seconds;
 * whatever is not ready by then is sent afterwards through the API.
 */
export type BudgetOutcome<T> = { inTime: true; ok: true; value: T } | { inTime: true; ok: false; error: unknown } | { inTime: false; later: Promise<T> };

export async function withinBudget<T>(work: Promise<T>, budgetMs: number): Promise<BudgetOutcome<T>> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs);
  });
  // Settled promise, so a rejection after the budget is still observed (by `later`'s consumer).
  const settled = work.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  try {
    const first = await Promise.race([settled, late]);
    if (first === 'late') return { inTime: false, later: work };
    return first.ok ? { inTime: true, ok: true, value: first.value } : { inTime: true, ok: false, error: first.error };
  } finally {
    clearTimeout(timer);
  }
}
