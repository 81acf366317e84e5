/**
 * Support requests routed to a team's tribute (`oncall-support` repository): who asked, who has
 * it, and when it was acknowledged and resolved (for the SLA timers and the ledger).
 */
import { z } from 'zod';
import { createRepository, type Repository } from '../record.js';
import type { RedisClient } from '../redis.js';

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
}

export function createSupportStore(redis: RedisClient): SupportStore {
  // Resolved requests stay readable for the ledger for a year, then expire.
  const repo: Repository<SupportRequest> = createRepository({ redis, name: 'oncall-support', schema: supportRequestSchema, version: 1, ttlMs: 366 * 86_400_000 });
  return {
    async get(id) {
      return (await repo.get(id))?.value;
    },
    async create(r) {
      await repo.put(r.id, r);
    },
    async update(id, fn) {
      return (await repo.update(id, fn)).value;
    },
    async open(team) {
      return (await repo.list()).map((s) => s.value).filter((r) => r.team === team && !r.resolvedAt).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async createdIn(team, from, to) {
      const inRange = (r: SupportRequest) => Date.parse(r.createdAt) >= from.getTime() && Date.parse(r.createdAt) < to.getTime();
      return (await repo.list()).map((s) => s.value).filter((r) => r.team === team && inRange(r)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
  };
}
