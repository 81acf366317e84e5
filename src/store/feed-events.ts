/**
 * What calendar clients need to tell a changed event from an unchanged one: for every event a
 * feed has served (by UID), a fingerprint of what it showed, one versioned record each
 * (record.ts). When an event's content differs from the fingerprint, the record is rewritten:
 * its revision grows (SEQUENCE is the revision less one) and its change time is that instant
 * (LAST-MODIFIED and DTSTAMP). An unchanged event reads the same stamp every time, from every
 * process, whatever window it was asked in, so an unchanged feed is byte-identical.
 *
 * Why not the revision of the record behind the event: a cadence record is rewritten at every
 * planning and announcement, and a rotation record at every edit of any of its turns, so its
 * revision would bump events that did not change; and records keep no change time.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { createRepository, RecordConflictError, RecordNotFoundError, sendReads, type Repository, type Stored } from './record.js';
import type { RedisClient } from './redis.js';

const eventStampSchema = z.object({ fingerprint: z.string(), changedAt: z.string() });
type EventRecord = z.infer<typeof eventStampSchema>;

/**
 * An event stays known this long after its content last changed. Feeds look at most about
 * 400 days ahead, so an event expires about a year after it took place at the earliest.
 */
const EVENT_TTL_MS = 800 * 86_400_000;

export interface EventStamp {
  /** 0 for the content first served, then one more for each change. */
  sequence: number;
  /** When Day2 first served the current content. */
  changedAt: Date;
}

export interface FeedEventLedger {
  /** The stamp of each event's current content, recording the content of new or changed ones at `now`. */
  stamp(events: readonly { uid: string; fingerprint: string }[], now: Date): Promise<Map<string, EventStamp>>;
}

/** A record id for any UID: UIDs may be long or hold characters a record id refuses. */
const idOf = (uid: string) => createHash('sha256').update(uid).digest('base64url');

/** How many reads go to Redis in one round trip. */
const BATCH = 500;

export function createFeedEventLedger(redis: RedisClient): FeedEventLedger {
  const repo = createRepository({ redis, name: 'feed-event', schema: eventStampSchema, version: 1, ttlMs: EVENT_TTL_MS });
  return {
    async stamp(events, now) {
      const out = new Map<string, EventStamp>();
      for (let i = 0; i < events.length; i += BATCH) {
        const batch = events.slice(i, i + BATCH);
        const found = await sendReads(redis, batch.map((e) => repo.reads.get(idOf(e.uid))));
        for (const [j, e] of batch.entries()) {
          const current = found[j];
          const record = current && current.value.fingerprint === e.fingerprint ? current : await recordContent(repo, idOf(e.uid), e.fingerprint, current, now);
          out.set(e.uid, { sequence: record.rev - 1, changedAt: new Date(record.value.changedAt) });
        }
      }
      return out;
    },
  };
}

/**
 * Record new content. Another process serving the same change at the same time wins the race
 * and both answer its stamp; a record changed to other content meanwhile is changed again.
 */
async function recordContent(repo: Repository<EventRecord>, id: string, fingerprint: string, current: Stored<EventRecord> | undefined, now: Date): Promise<Stored<EventRecord>> {
  const value = { fingerprint, changedAt: now.toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return current ? await repo.update(id, () => value, current.rev) : await repo.put(id, value);
    } catch (e) {
      // Expired between our read and write: write it anew.
      if (e instanceof RecordNotFoundError) {
        current = undefined;
        continue;
      }
      if (!(e instanceof RecordConflictError)) throw e;
      const fresh = await repo.get(id);
      if (fresh?.value.fingerprint === fingerprint) return fresh;
      current = fresh;
    }
  }
  throw new RecordConflictError(repo.name, id, 'changed by others three times in a row while recording a feed event');
}
