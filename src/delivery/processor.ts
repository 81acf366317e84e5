/**
 * What a delivery worker does with one job. The outbox record is the source of truth; the job
 * only says "make the platform show revision R of message K at target T". Each run re-reads the
 * record and takes the one step it calls for:
 *
 *   delivered R or newer ........ nothing (a duplicate job, or a stale one)
 *   a newer revision is wanted ... nothing (that revision's job will do it)
 *   a send by someone else ....... wait for it (no attempt used)
 *   an uncertain earlier send .... findPosted: adopt the copy if the platform has it
 *   a copy of an older revision .. update it
 *   no copy ...................... post / reply under the parent / DM
 *
 * Waiting (pacing, a 429, a parent not posted yet, someone else's send) moves the job to delayed
 * with DelayedError, which BullMQ does not count as an attempt. Only errors that may go away
 * (TransientError, unknown errors) use attempts. A short pacing wait is slept inside the worker
 * instead: a job woken by BullMQ's delayed set comes back tens of milliseconds late, which at 50
 * messages a second is a missed platform slot. So longer pacing waits come back a little early
 * and sleep the rest.
 */
import { randomUUID } from 'node:crypto';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import type { OutboundMessage } from '../chat/message.js';
import type { ChatAdapter, MessageRef, Platform } from '../chat/port.js';
import { PermanentError, RateLimitedError, TransientError, isDay2Error } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { Logger } from '../log.js';
import { targetId, type DeliveryTarget, type Outbox, type OutboxRecord } from './outbox.js';
import type { Pacer, PacingLane } from './pacing.js';
import { deliveryJobSchema, type DeliveryJobData } from './job.js';

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

export type DeliveryOutcome = 'posted' | 'updated' | 'adopted' | 'skipped_duplicate' | 'superseded' | 'already_failed';

/** findPosted looks back over the time since the uncertain send began, plus this much slack. */
const FIND_SLACK_MS = 5 * 60_000;
/** Re-check interval while someone else's send is in flight or a parent is not posted yet. */
const RECHECK_MS = 1000;
/** For a 429 that came without a usable Retry-After. */
const DEFAULT_RETRY_AFTER_MS = 1000;
/** A run normally takes at most three steps (adopt or clear, then send); more means churn. */
const MAX_STEPS = 6;
/** Pacing waits up to this long are slept in the worker; longer ones go to the delayed set... */
const SLEEP_IN_WORKER_MS = 500;
/** ...and come back this much ahead of their slot, to sleep the rest in the worker. */
const WAKE_EARLY_MS = 300;
/** Short sleeps in a row before the job yields its worker slot anyway (a moving target). */
const MAX_SLEEPS = 20;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Call = { op: 'post'; channelId: string } | { op: 'dm'; userId: string } | { op: 'reply'; parent: MessageRef } | { op: 'update'; ref: MessageRef };

/** The pacing lane of a call: its platform, its channel (or DM), and whether it posts or edits. */
export function laneOf(target: DeliveryTarget, op: Call['op'] = 'post'): PacingLane {
  return { platform: target.platform, channel: 'channelId' in target ? target.channelId : `dm-${target.userId}`, kind: op === 'update' ? 'edit' : 'post' };
}

/** The thread a reply to `parent` lands in: the parent's own thread, or the parent as its root. */
function threadOf(parent: MessageRef | undefined): string | undefined {
  return parent ? (parent.threadId ?? parent.messageId) : undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createDeliveryProcessor(deps: DeliveryProcessorDeps) {
  const { outbox, pacer, metrics } = deps;

  return async function processDelivery(job: Job, token?: string): Promise<DeliveryOutcome> {
    const parsed = deliveryJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid delivery job: ${z.prettifyError(parsed.error)}`);
    const data = parsed.data;
    const { key, revision, target } = data;
    const platform = target.platform;
    let lane = laneOf(target);
    const log = deps.log.child({ key, target: targetId(target), revision, job: job.id });
    const finalAttempt = job.attemptsMade + 1 >= Math.min(deps.attempts, job.opts.attempts ?? deps.attempts);

    const wait = async (ms: number, reason: string): Promise<never> => {
      metrics.deliveryRetries.inc({ platform, reason });
      await job.moveToDelayed(Date.now() + (Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : 1), token);
      throw new DelayedError();
    };

    const fail = async (code: string, reason: string, attemptId?: string): Promise<never> => {
      await outbox.change(key, target, (cur) => {
        const next: OutboxRecord = { ...cur, failed: { revision, code, reason, at: Date.now() }, lastError: `${code}: ${reason}` };
        if (attemptId && cur.inflight?.attemptId === attemptId) delete next.inflight;
        return next;
      });
      metrics.deliveries.inc({ platform, outcome: 'failed' });
      log.warn({ code, reason }, 'delivery failed for good');
      throw new UnrecoverableError(`${code}: ${reason}`);
    };

    /** Turn an adapter error into wait / retry / give up. `attemptId` is set when a send was claimed. */
    const onAdapterError = async (err: unknown, attemptId: string | undefined, op: Call['op'] | 'findPosted'): Promise<never> => {
      const release = (uncertain: boolean) =>
        attemptId
          ? outbox.change(key, target, (cur) => {
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
        if (op !== 'findPosted') await pacer.block(lane, retryAfterMs, err.scope === 'method' ? 'kind' : err.scope);
        log.info({ retryAfterMs, op }, 'rate limited by the platform');
        return wait(retryAfterMs, 'rate_limited');
      }
      if (err instanceof PermanentError || (isDay2Error(err) && !err.retryable)) {
        return fail(err.code, err.message, attemptId);
      }
      // TransientError tells us whether the platform might have acted; anything unknown might have.
      const ambiguous = err instanceof TransientError ? err.ambiguous : true;
      // Updates are idempotent (same content again), so only a possible post needs a look first.
      await release(ambiguous && op !== 'update' && op !== 'findPosted');
      if (finalAttempt) return fail('transient', `gave up after ${job.attemptsMade + 1} attempts: ${messageOf(err)}`, attemptId);
      metrics.deliveryRetries.inc({ platform, reason: 'transient' });
      log.info({ err: messageOf(err), ambiguous, op, attempt: job.attemptsMade + 1 }, 'delivery will be retried');
      throw err instanceof Error ? err : new Error(messageOf(err));
    };

    const adapter = deps.adapters.get(platform);
    if (!adapter) {
      await outbox.request(key, target, revision);
      return fail('permanent', `no ${platform} adapter is running`);
    }

    for (let step = 0; step < MAX_STEPS; step++) {
      const stored = await outbox.load(key, target);
      if (!stored) {
        // Expired entry or a job added by hand: recreate it and decide again.
        await outbox.request(key, target, revision);
        continue;
      }
      const rec = stored.value;
      const now = Date.now();

      if (rec.delivered && rec.delivered.revision >= revision) {
        metrics.deliveries.inc({ platform, outcome: 'skipped_duplicate' });
        return 'skipped_duplicate';
      }
      if (rec.revision > revision) return 'superseded';
      if (rec.failed && rec.failed.revision >= revision) return 'already_failed';

      const inflight = rec.inflight;
      if (inflight && !inflight.uncertain && inflight.leaseUntil > now) {
        // Another job (another revision, or a worker that lost its lock) is calling the platform.
        await wait(Math.min(inflight.leaseUntil - now, RECHECK_MS), 'busy');
      }
      if (inflight) {
        // An earlier send ended without an answer (crash, timeout after send). A post may exist.
        if (!rec.delivered) {
          // A reply was sent into its parent's thread, and some platforms list replies only there.
          const threadId = data.parentKey ? threadOf((await outbox.load(data.parentKey, target))?.value.delivered?.ref) : undefined;
          let where: string;
          let found: MessageRef | undefined;
          try {
            // A first DM may have died before we learnt its channel: ask the adapter (idempotent).
            where = 'channelId' in target ? target.channelId : (rec.dmChannelId ?? (await adapter.dmChannelOf(target.userId)));
            found = await adapter.findPosted(where, key, now - inflight.since + FIND_SLACK_MS, threadId);
          } catch (err) {
            return onAdapterError(err, undefined, 'findPosted');
          }
          const next: OutboxRecord = { ...rec };
          delete next.inflight;
          if (found) next.delivered = { revision: inflight.revision, ref: found, at: now };
          if ('userId' in target) next.dmChannelId = where;
          if (await outbox.write(stored, next)) {
            if (found) {
              metrics.deliveries.inc({ platform, outcome: 'adopted' });
              log.info({ ref: found, adoptedRevision: inflight.revision }, 'adopted a copy posted before an uncertain failure');
            }
          }
        } else {
          const next: OutboxRecord = { ...rec };
          delete next.inflight;
          await outbox.write(stored, next);
        }
        continue;
      }

      let call: Call;
      if (rec.delivered) call = { op: 'update', ref: rec.delivered.ref };
      else if (data.parentKey) {
        const parent = (await outbox.load(data.parentKey, target))?.value;
        const parentRef = parent?.delivered?.ref;
        if (!parentRef) {
          if (parent?.failed) return fail('permanent', `parent message ${data.parentKey} failed: ${parent.failed.reason}`);
          if (now - job.timestamp > deps.parentWaitMs) return fail('permanent', `parent message ${data.parentKey} was not delivered within ${Math.round(deps.parentWaitMs / 1000)} s`);
          await wait(RECHECK_MS, 'parent');
        }
        call = { op: 'reply', parent: parentRef as MessageRef };
      } else call = 'channelId' in target ? { op: 'post', channelId: target.channelId } : { op: 'dm', userId: target.userId };

      lane = laneOf(target, call.op);
      let pace = await pacer.acquire(lane, data.slotAt, data.platformSlotAt);
      for (let sleeps = 0; !pace.ok && pace.waitMs <= SLEEP_IN_WORKER_MS && sleeps < MAX_SLEEPS; sleeps++) {
        await sleep(pace.waitMs);
        pace = await pacer.acquire(lane, pace.slotAt, pace.platformSlotAt);
      }
      if (!pace.ok) {
        if (pace.slotAt !== data.slotAt || pace.platformSlotAt !== (data.platformSlotAt ?? 0)) {
          await job.updateData({ ...data, slotAt: pace.slotAt, platformSlotAt: pace.platformSlotAt } satisfies DeliveryJobData);
        }
        await wait(pace.waitMs - WAKE_EARLY_MS, pace.reason === 'blocked' ? 'rate_limited' : 'paced');
      }

      const attemptId = randomUUID();
      const claimed = await outbox.write(stored, {
        ...rec,
        inflight: { attemptId, revision, since: now, leaseUntil: now + deps.leaseMs, uncertain: false },
        attempts: rec.attempts + 1,
      });
      if (!claimed) continue;

      const message: OutboundMessage = { ...data.message, key };
      let ref: MessageRef;
      try {
        if (call.op === 'post') ref = await adapter.post(call.channelId, message);
        else if (call.op === 'dm') ref = await adapter.dm(call.userId, message);
        else if (call.op === 'reply') ref = await adapter.reply(call.parent, message);
        else {
          await adapter.update(call.ref, message);
          ref = call.ref;
        }
      } catch (err) {
        await pacer.sent(lane);
        return onAdapterError(err, attemptId, call.op);
      }

      await outbox.change(key, target, (cur) => {
        const next: OutboxRecord = { ...cur };
        if (!cur.delivered || cur.delivered.revision <= revision) next.delivered = { revision, ref, at: Date.now() };
        if (cur.inflight?.attemptId === attemptId) delete next.inflight;
        else if (cur.inflight) log.warn({ other: cur.inflight.attemptId }, 'another sender claimed this message while our send was in flight');
        if ('userId' in target) next.dmChannelId = ref.channelId;
        delete next.lastError;
        return next;
      });
      await pacer.sent(lane);
      const outcome = call.op === 'update' ? 'updated' : 'posted';
      metrics.deliveries.inc({ platform, outcome });
      log.debug({ ref, op: call.op }, 'delivered');
      return outcome;
    }
    // The record kept changing under us (heavy editing); a plain retry sorts it out.
    throw new Error(`outbox entry ${key}/${targetId(target)} kept changing; retrying`);
  };
}
