/**
 * Support requests routed to a team's tribute (`oncall-support` repository): who asked, who has
 * it, and when it was acknowledged and resolved (for the SLA timers and the ledger). Every write
 * also updates the request's entry in its team's day bucket (support-days.ts), what `/oncall
 * stats` reads.
 */
import { z } from 'zod';
import { createRepository, type Repository } from '../record.js';
import type { SupportSample } from '../../domain/oncall/support-stats.js';
import type { RedisClient } from '../redis.js';
import { BACKFILLED, daySamples, putDayEntry } from './support-days.js';

const iso = z.iso.datetime();

export const supportRequestSchema = z.object({
  id: z.string(),
  team: z.string(),
  rotationId: z.string(),
  text: z.string(),
  asker: z.object({ platform: z.enum(['slack', 'mattermost', 'console']), userId: z.string(), personId: z.string().optional(), channelId: z.string() }),
  createdAt: iso,
  /** The person it is addressed to now (null when nobody was on duty). */
  assignee: z.string().nullable(),
  /**
   * Who held it, oldest first: the tribute on duty at creation, then each one it was handed over
   * to (at a handoff, or to whoever was on duty when the SLA ran out). Empty on requests stored
   * before hand-overs existed.
   */
  holders: z.array(z.object({ person: z.string().nullable(), from: iso })).default([]),
  ackedAt: iso.optional(),
  ackedBy: z.string().optional(),
  resolvedAt: iso.optional(),
  resolvedBy: z.string().optional(),
  /** 0 new, 1 re-notified, 2 escalated. */
  stage: z.int().min(0).max(2),
  escalatedTo: z.array(z.string()).default([]),
  /** Revision of the channel post (bumped on every edit). */
  revision: z.int().min(1),
});
export type SupportRequest = z.infer<typeof supportRequestSchema>;

export interface SupportStore {
  get(id: string): Promise<SupportRequest | undefined>;
  create(r: SupportRequest): Promise<void>;
  update(id: string, fn: (r: SupportRequest) => SupportRequest): Promise<SupportRequest>;
  /** Requests not resolved yet, for a team (carried over at handoff). */
  open(team: string): Promise<SupportRequest[]>;
  /** A team's requests created in `[from, to)` (kept a year; for the ledger). */
  createdIn(team: string, from: Date, to: Date): Promise<SupportRequest[]>;
  /**
   * The stats samples of a team's requests created in `[from, to)`: from the day buckets (one read
   * per day) once they hold every request, else (before `backfillDays` has run) from the requests.
   */
  samples(team: string, from: Date, to: Date): Promise<SupportSample[]>;
  /** Give every stored request its day-bucket entry (once; idempotent; safe to run concurrently). */
  backfillDays(): Promise<number>;
}

export function createSupportStore(redis: RedisClient): SupportStore {
  // Resolved requests stay readable for the ledger for a year, then expire.
  const repo: Repository<SupportRequest> = createRepository({ redis, name: 'oncall-support', schema: supportRequestSchema, version: 1, ttlMs: 366 * 86_400_000 });
  const createdIn = async (team: string, from: Date, to: Date) => {
    const inRange = (r: SupportRequest) => Date.parse(r.createdAt) >= from.getTime() && Date.parse(r.createdAt) < to.getTime();
    return (await repo.list()).map((s) => s.value).filter((r) => r.team === team && inRange(r)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  };
  return {
    async get(id) {
      return (await repo.get(id))?.value;
    },
    async create(r) {
      const stored = await repo.put(r.id, r);
      await putDayEntry(redis, stored.value, stored.rev);
    },
    async update(id, fn) {
      const stored = await repo.update(id, fn);
      // After the record: a crash in between leaves the entry one state behind until the next
      // write of this request (the entry is never ahead of the request).
      await putDayEntry(redis, stored.value, stored.rev);
      return stored.value;
    },
    async open(team) {
      return (await repo.list()).map((s) => s.value).filter((r) => r.team === team && !r.resolvedAt).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    createdIn,
    async samples(team, from, to) {
      if ((await redis.exists(BACKFILLED)) === 1) return daySamples(redis, team, from, to);
      // Requests from before the buckets may have no entry yet: compute from the requests.
      return (await createdIn(team, from, to)).map((r) => ({
        createdAt: new Date(r.createdAt),
        assignee: r.assignee,
        ...(r.ackedAt ? { ackedAt: new Date(r.ackedAt) } : {}),
        ...(r.resolvedAt ? { resolvedAt: new Date(r.resolvedAt) } : {}),
      }));
    },
    async backfillDays() {
      if ((await redis.exists(BACKFILLED)) === 1) return 0;
      const all = await repo.list();
      // An entry is written only if newer than the stored one, so racing a live write is harmless.
      for (const s of all) await putDayEntry(redis, s.value, s.rev);
      await redis.set(BACKFILLED, new Date().toISOString());
      return all.length;
    },
  };
}
