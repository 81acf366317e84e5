/**
 * Run-once guard for inbound events. Platforms redeliver (Slack retries an event it thinks was
 * not acknowledged, with the same event id), and two Day2 processes may both receive one event.
 *
 * Per event: `SET NX` a "running" marker before running (expires after ~10 min, so a crashed
 * process does not block the event forever); on success replace it with "done" and the answer
 * (kept 15 min, past Slack's last retry at ~5 min, so a redelivery gets the same answer without
 * running again; answers over 8 KB are not kept, to bound memory); on failure delete it,
 * because the first attempt may have failed for a reason the retry will not hit. Deleting is
 * compare-and-delete: a process whose marker already expired must not delete a newer one.
 */
import { randomUUID } from 'node:crypto';
import type { DispatchResult } from '../chat/port.js';
import type { RedisClient } from './redis.js';

export type Claim =
  /** First delivery: run it, then `finish` or `release` with this token. */
  | { state: 'new'; token: string }
  /** Another attempt is running now. */
  | { state: 'running' }
  /** Already handled; `result` is what it answered. */
  | { state: 'done'; result: DispatchResult };

export interface Dedupe {
  begin(eventKey: string): Promise<Claim>;
  /**
   * Mark handled, remembering the answer for redeliveries. Unconditional: even if our marker
   * expired meanwhile, the work is done and a later redelivery must not repeat it.
   */
  finish(eventKey: string, result: DispatchResult): Promise<void>;
  /** Forget the attempt so a redelivery runs again (only if the marker is still ours). */
  release(eventKey: string, token: string): Promise<void>;
}

export interface DedupeOptions {
  /** How long a "running" marker holds; default 10 min (longer than any handler should run). */
  runningTtlMs?: number;
  /** How long a finished event is remembered; default 15 min (Slack's last retry comes after ~5 min). */
  doneTtlMs?: number;
  /** Largest answer (JSON characters) kept for redeliveries; larger ones are answered with nothing. */
  maxStoredAnswer?: number;
}

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

type Marker = { s: 'running'; t: string } | { s: 'done'; r: DispatchResult };

const keyOf = (eventKey: string) => `dedupe:${eventKey}`;

export function createDedupe(redis: RedisClient, options: DedupeOptions = {}): Dedupe {
  const runningTtl = options.runningTtlMs ?? 10 * 60_000;
  const doneTtl = options.doneTtlMs ?? 15 * 60_000;
  const maxStored = options.maxStoredAnswer ?? 8192;
  const running = (token: string) => JSON.stringify({ s: 'running', t: token } satisfies Marker);

  return {
    async begin(eventKey) {
      const key = keyOf(eventKey);
      const token = randomUUID();
      // Two rounds: the marker can vanish between SET NX and GET (released or expired).
      for (let round = 0; round < 2; round++) {
        if ((await redis.set(key, running(token), 'PX', runningTtl, 'NX')) === 'OK') return { state: 'new', token };
        const current = await redis.get(key);
        if (current === null) continue;
        try {
          const marker = JSON.parse(current) as Marker;
          if (marker.s === 'done') return { state: 'done', result: marker.r ?? {} };
        } catch {
          // unreadable marker: treat as running rather than run twice
        }
        return { state: 'running' };
      }
      return { state: 'running' };
    },

    async finish(eventKey, result) {
      let marker = JSON.stringify({ s: 'done', r: result } satisfies Marker);
      if (marker.length > maxStored) marker = JSON.stringify({ s: 'done', r: {} } satisfies Marker);
      await redis.set(keyOf(eventKey), marker, 'PX', doneTtl);
    },

    async release(eventKey, token) {
      await redis.eval(RELEASE, 1, keyOf(eventKey), running(token));
    },
  };
}
