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
import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import type { OutboundMessage } from '../chat/message.js';
import type { ChatAdapter, MessageRef } from '../chat/port.js';
import type { Stored } from '../store/record.js';
import { targetId, type DeliveryTarget, type Inflight, type OutboxRecord } from './outbox.js';
import { onAdapterError, startRun, type Call, type DeliveryProcessorDeps, type Run } from './processor-run.js';
import type { PacingLane } from './pacing.js';
import { deliveryJobSchema, type DeliveryJobData } from './job.js';

export type { DeliveryProcessorDeps } from './processor-run.js';

export type DeliveryOutcome = 'posted' | 'updated' | 'adopted' | 'skipped_duplicate' | 'superseded' | 'already_failed';

/** findPosted looks back over the time since the uncertain send began, plus this much slack. */
const FIND_SLACK_MS = 5 * 60_000;
/** Re-check interval while someone else's send is in flight or a parent is not posted yet. */
const RECHECK_MS = 1000;
/** A run normally takes at most three steps (adopt or clear, then send); more means churn. */
const MAX_STEPS = 6;
/** Pacing waits up to this long are slept in the worker; longer ones go to the delayed set... */
const SLEEP_IN_WORKER_MS = 500;
/** ...and come back this much ahead of their slot, to sleep the rest in the worker. */
const WAKE_EARLY_MS = 300;
/** Short sleeps in a row before the job yields its worker slot anyway (a moving target). */
const MAX_SLEEPS = 20;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The pacing lane of a call: its platform, its channel (or DM), and whether it posts or edits. */
export function laneOf(target: DeliveryTarget, op: Call['op'] = 'post'): PacingLane {
  return { platform: target.platform, channel: 'channelId' in target ? target.channelId : `dm-${target.userId}`, kind: op === 'update' ? 'edit' : 'post' };
}

/** The thread a reply to `parent` lands in: the parent's own thread, or the parent as its root. */
function threadOf(parent: MessageRef | undefined): string | undefined {
  return parent ? (parent.threadId ?? parent.messageId) : undefined;
}

export function createDeliveryProcessor(deps: DeliveryProcessorDeps) {
  return async function processDelivery(job: Job, token?: string): Promise<DeliveryOutcome> {
    const parsed = deliveryJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid delivery job: ${z.prettifyError(parsed.error)}`);
    const run = startRun(deps, job, token, parsed.data);
    const { key, target, revision, platform } = run;
    const adapter = deps.adapters.get(platform);
    if (!adapter) {
      await deps.outbox.request(key, target, revision);
      return run.fail('permanent', `no ${platform} adapter is running`);
    }

    for (let step = 0; step < MAX_STEPS; step++) {
      const stored = await deps.outbox.load(key, target);
      if (!stored) {
        // Expired entry or a job added by hand: recreate it and decide again.
        await deps.outbox.request(key, target, revision);
        continue;
      }
      const rec = stored.value;
      const now = Date.now();
      const settled = settledOutcome(rec, revision);
      if (settled) {
        if (settled === 'skipped_duplicate') deps.metrics.deliveries.inc({ platform, outcome: settled });
        return settled;
      }
      const inflight = rec.inflight;
      if (inflight && !inflight.uncertain && inflight.leaseUntil > now) {
        // Another job (another revision, or a worker that lost its lock) is calling the platform.
        await run.wait(Math.min(inflight.leaseUntil - now, RECHECK_MS), 'busy');
      }
      if (inflight) {
        await settleUncertainSend(run, adapter, stored, inflight, now);
        continue;
      }
      const call = await chooseCall(run, rec, now);
      const lane = laneOf(target, call.op);
      await takeSlot(run, lane);

      const attemptId = randomUUID();
      const claimed = await deps.outbox.write(stored, {
        ...rec,
        inflight: { attemptId, revision, since: now, leaseUntil: now + deps.leaseMs, uncertain: false },
        attempts: rec.attempts + 1,
      });
      if (!claimed) continue;
      return sendClaimed(run, adapter, call, lane, attemptId);
    }
    // The record kept changing under us (heavy editing); a plain retry sorts it out.
    throw new Error(`outbox entry ${key}/${targetId(target)} kept changing; retrying`);
  };
}

/** The outcome when the record says this job has nothing left to do. */
function settledOutcome(rec: OutboxRecord, revision: number): DeliveryOutcome | undefined {
  if (rec.delivered && rec.delivered.revision >= revision) return 'skipped_duplicate';
  if (rec.revision > revision) return 'superseded';
  if (rec.failed && rec.failed.revision >= revision) return 'already_failed';
  return undefined;
}

/**
 * An earlier send ended without an answer (crash, timeout after send): a post may exist. Look for
 * it and adopt it, then clear the claim either way so the next step decides afresh.
 */
async function settleUncertainSend(run: Run, adapter: ChatAdapter, stored: Stored<OutboxRecord>, inflight: Inflight, now: number): Promise<void> {
  const { deps, data, key, target } = run;
  const rec = stored.value;
  const next: OutboxRecord = { ...rec };
  delete next.inflight;
  if (rec.delivered) {
    await deps.outbox.write(stored, next);
    return;
  }
  // A reply was sent into its parent's thread, and some platforms list replies only there.
  const threadId = data.parentKey ? threadOf((await deps.outbox.load(data.parentKey, target))?.value.delivered?.ref) : undefined;
  let where: string;
  let found: MessageRef | undefined;
  try {
    // A first DM may have died before we learnt its channel: ask the adapter (idempotent).
    where = 'channelId' in target ? target.channelId : (rec.dmChannelId ?? (await adapter.dmChannelOf(target.userId)));
    found = await adapter.findPosted(where, key, now - inflight.since + FIND_SLACK_MS, threadId);
  } catch (err) {
    return onAdapterError(run, err, { op: 'findPosted' });
  }
  if (found) next.delivered = { revision: inflight.revision, ref: found, at: now };
  if ('userId' in target) next.dmChannelId = where;
  if ((await deps.outbox.write(stored, next)) && found) {
    deps.metrics.deliveries.inc({ platform: run.platform, outcome: 'adopted' });
    run.log.info({ ref: found, adoptedRevision: inflight.revision }, 'adopted a copy posted before an uncertain failure');
  }
}

/** Edit the copy we have, reply under the parent once it is posted, or post / DM afresh. */
async function chooseCall(run: Run, rec: OutboxRecord, now: number): Promise<Call> {
  const { deps, data, target } = run;
  if (rec.delivered) return { op: 'update', ref: rec.delivered.ref };
  if (!data.parentKey) return 'channelId' in target ? { op: 'post', channelId: target.channelId } : { op: 'dm', userId: target.userId };
  const parent = (await deps.outbox.load(data.parentKey, target))?.value;
  const parentRef = parent?.delivered?.ref;
  if (parentRef) return { op: 'reply', parent: parentRef };
  if (parent?.failed) return run.fail('permanent', `parent message ${data.parentKey} failed: ${parent.failed.reason}`);
  if (now - run.job.timestamp > deps.parentWaitMs) {
    return run.fail('permanent', `parent message ${data.parentKey} was not delivered within ${Math.round(deps.parentWaitMs / 1000)} s`);
  }
  return run.wait(RECHECK_MS, 'parent');
}

/** Wait for the lane's pacing slot: short waits in the worker, long ones in BullMQ's delayed set. */
async function takeSlot(run: Run, lane: PacingLane): Promise<void> {
  const { deps, data, job } = run;
  let pace = await deps.pacer.acquire(lane, data.slotAt, data.platformSlotAt);
  for (let sleeps = 0; !pace.ok && pace.waitMs <= SLEEP_IN_WORKER_MS && sleeps < MAX_SLEEPS; sleeps++) {
    await sleep(pace.waitMs);
    pace = await deps.pacer.acquire(lane, pace.slotAt, pace.platformSlotAt);
  }
  if (pace.ok) return;
  if (pace.slotAt !== data.slotAt || pace.platformSlotAt !== (data.platformSlotAt ?? 0)) {
    await job.updateData({ ...data, slotAt: pace.slotAt, platformSlotAt: pace.platformSlotAt } satisfies DeliveryJobData);
  }
  await run.wait(pace.waitMs - WAKE_EARLY_MS, pace.reason === 'blocked' ? 'rate_limited' : 'paced');
}

/** Make the platform call we hold the claim for, and record what it answered. */
async function sendClaimed(run: Run, adapter: ChatAdapter, call: Call, lane: PacingLane, attemptId: string): Promise<DeliveryOutcome> {
  const { deps, key, target, revision, log } = run;
  const message: OutboundMessage = { ...run.data.message, key };
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
    await deps.pacer.sent(lane);
    return onAdapterError(run, err, { op: call.op, attemptId, lane });
  }
  await deps.outbox.change(key, target, (cur) => {
    const next: OutboxRecord = { ...cur };
    if (!cur.delivered || cur.delivered.revision <= revision) next.delivered = { revision, ref, at: Date.now() };
    if (cur.inflight?.attemptId === attemptId) delete next.inflight;
    else if (cur.inflight) log.warn({ other: cur.inflight.attemptId }, 'another sender claimed this message while our send was in flight');
    if ('userId' in target) next.dmChannelId = ref.channelId;
    delete next.lastError;
    return next;
  });
  await deps.pacer.sent(lane);
  const outcome = call.op === 'update' ? 'updated' : 'posted';
  deps.metrics.deliveries.inc({ platform: run.platform, outcome });
  log.debug({ ref, op: call.op }, 'delivered');
  return outcome;
}
