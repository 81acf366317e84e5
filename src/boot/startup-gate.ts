/**
 * Readiness waits for the work a bot does once at start before its answers are whole: the
 * config's cadences loaded and planned, its rotations loaded and their handoffs planned. Until
 * then a feed or `/cadence list` would miss some of them, so `/readyz` says not yet, and why.
 */
import type { ReadinessCheck } from '../http/readiness.js';

export interface StartupGate {
  /** The readiness check: fails while `watch`ed work is pending (or when it failed), naming it. */
  readonly check: ReadinessCheck;
  /** Hold readiness until `work` settles; a failure keeps it not ready with the reason. */
  watch(work: Promise<unknown>): void;
}

export function createStartupGate(what: string): StartupGate {
  // Not ready until something is watched: the features are wired after the server exists.
  let state: { kind: 'pending' } | { kind: 'done' } | { kind: 'failed'; reason: string } = { kind: 'pending' };
  return {
    check: {
      name: 'planning',
      check: async () => {
        if (state.kind === 'pending') throw new Error(`${what}: still in progress`);
        if (state.kind === 'failed') throw new Error(`${what} failed at start (see the log; restart once fixed): ${state.reason}`);
      },
    },
    watch(work) {
      work.then(
        () => (state = { kind: 'done' }),
        (err: unknown) => (state = { kind: 'failed', reason: err instanceof Error ? err.message : String(err) }),
      );
    },
  };
}
