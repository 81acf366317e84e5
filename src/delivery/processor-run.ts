/**
 * One run of a delivery job: what it is about (key, revision, target) and the three ways a run
 * ends early — wait (back to the delayed set, no attempt used), fail for good, or retry.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { PermanentError, RateLimitedError, TransientError, isDay2Error } from '../errors.js';
import type { Logger } from '../log.js';
import type { DeliveryJobData } from './job.js';
import { targetId, type Outbox, type OutboxRecord } from './outbox.js';
import type { Pacer, PacingLane } from './pacing.js';
import type { ChatAdapter, MessageRef, Platform } from '../chat/port.js';
import type { Metrics } from '../metrics.js';

export interface DeliveryProcessorDeps {
  outbox: Outbox;
  pacer: Pacer;
  adapters: Map<Platform, ChatAdapter>;
  metrics: Metrics;
  log: Logger;
  /** Platform calls per job before giving up on retryable errors. */
  attempts: number;
  /** How long a claimed send is presumed alive; adapter calls must time out well within it. */
  leaseMs: number;
  /** How long a reply may wait for its parent to be posted before it fails. */
  parentWaitMs: number;
}

/** For a 429 that came without a usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 1000;

export type Call = { op: 'post'; channelId: string } | { op: 'dm'; userId: string } | { op: 'reply'; parent: MessageRef } | { op: 'update'; ref: MessageRef };

export interface Run {
  deps: DeliveryProcessorDeps;
  job: Job;
  data: DeliveryJobData;
  key: DeliveryJobData['key'];
  revision: number;
  target: DeliveryJobData['target'];
  platform: DeliveryJobData['target']['platform'];
  log: Logger;
  /** Whether a retryable error now ends the job (its last attempt). */
  finalAttempt: boolean;
  /** Move the job to the delayed set for `ms`; BullMQ does not count it as an attempt. */
  wait(ms: number, reason: string): Promise<never>;
  /** Record the failure on the outbox entry (clearing our claim) and stop retrying. */
  fail(code: string, reason: string, attemptId?: string): Promise<never>;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function startRun(deps: DeliveryProcessorDeps, job: Job, token: string | undefined, data: DeliveryJobData): Run {
  const { key, revision, target } = data;
  const platform = target.platform;
  const log = deps.log.child({ key, target: targetId(target), revision, job: job.id });
  return {
    deps,
    job,
    data,
    key,
    revision,
    target,
    platform,
    log,
    finalAttempt: job.attemptsMade + 1 >= Math.min(deps.attempts, job.opts.attempts ?? deps.attempts),
    async wait(ms, reason) {
      deps.metrics.deliveryRetries.inc({ platform, reason });
      await job.moveToDelayed(Date.now() + (Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : 1), token);
      throw new DelayedError();
    },
    async fail(code, reason, attemptId) {
      await deps.outbox.change(key, target, (cur) => {
        const next: OutboxRecord = { ...cur, failed: { revision, code, reason, at: Date.now() }, lastError: `${code}: ${reason}` };
        if (attemptId && cur.inflight?.attemptId === attemptId) delete next.inflight;
        return next;
      });
      deps.metrics.deliveries.inc({ platform, outcome: 'failed' });
      log.warn({ code, reason }, 'delivery failed for good');
      throw new UnrecoverableError(`${code}: ${reason}`);
    },
  };
}

/** What was being done when an adapter call threw; `attemptId` is set when a send was claimed. */
export type FailedCall = { op: 'findPosted' } | { op: Call['op']; attemptId: string; lane: PacingLane };

/** Turn an adapter error into wait / retry / give up. */
export async function onAdapterError(run: Run, err: unknown, call: FailedCall): Promise<never> {
  const { deps, key, target, log } = run;
  const attemptId = 'attemptId' in call ? call.attemptId : undefined;
  const release = (uncertain: boolean) =>
    attemptId
      ? deps.outbox.change(key, target, (cur) => {
          const next: OutboxRecord = { ...cur, lastError: messageOf(err) };
          if (cur.inflight?.attemptId !== attemptId) return next;
          if (uncertain) next.inflight = { ...cur.inflight, uncertain: true, leaseUntil: 0 };
          else delete next.inflight;
          return next;
        })
      : Promise.resolve();

  if (err instanceof RateLimitedError) {
    // A 429 is a clear "not done": release the claim, hold the lane (or, when the adapter says
    // the limit is platform-wide, every lane of the platform), come back after it. A lookup's
    // 429 holds only this job: Slack limits reads apart from posts, and where one limit covers
    // both, the next post's own 429 blocks the lanes.
    const retryAfterMs = Number.isFinite(err.retryAfterMs) && err.retryAfterMs > 0 ? err.retryAfterMs : DEFAULT_RETRY_AFTER_MS;
    await release(false);
    if ('lane' in call) await deps.pacer.block(call.lane, retryAfterMs, err.scope === 'method' ? 'kind' : err.scope);
    log.info({ retryAfterMs, op: call.op }, 'rate limited by the platform');
    return run.wait(retryAfterMs, 'rate_limited');
  }
  if (err instanceof PermanentError || (isDay2Error(err) && !err.retryable)) {
    return run.fail(err.code, err.message, attemptId);
  }
  // TransientError tells us whether the platform might have acted; anything unknown might have.
  const ambiguous = err instanceof TransientError ? err.ambiguous : true;
  // Updates are idempotent (same content again), so only a possible post needs a look first.
  await release(ambiguous && call.op !== 'update' && call.op !== 'findPosted');
  if (run.finalAttempt) return run.fail('transient', `gave up after ${run.job.attemptsMade + 1} attempts: ${messageOf(err)}`, attemptId);
  deps.metrics.deliveryRetries.inc({ platform: run.platform, reason: 'transient' });
  log.info({ err: messageOf(err), ambiguous, op: call.op, attempt: run.job.attemptsMade + 1 }, 'delivery will be retried');
  throw err instanceof Error ? err : new Error(messageOf(err));
}
