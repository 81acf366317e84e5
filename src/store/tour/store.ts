/**
 * Tours of duty (`oncall-tour` repository): who goes to which host team, when, and the absence
 * record that keeps them out of their home teams' rotations meanwhile. The host rotation's
 * schedule is computed from these records (guests join its queue), so the repository is stamped:
 * every write tells cached schedules to reload.
 */
import { z } from 'zod';
import { createRepository, type Repository } from '../record.js';
import type { RedisClient } from '../redis.js';

const iso = z.iso.datetime();

export const tourSchema = z.object({
  id: z.string(),
  person: z.string(),
  host: z.string(),
  /** The person's teams when the tour was assigned (announcements go to them). */
  homeTeams: z.array(z.string()),
  from: iso,
  to: iso,
  goal: z.string().optional(),
  assignedBy: z.string(),
  createdAt: iso,
  /** The `tour` absence in the person's absence record. */
  absenceId: z.string(),
  endedEarlyAt: iso.optional(),
  /**
   * The end as set at each instant, oldest first: at assignment, then every extension or early
   * end. Turns in the host rotation are planned with the end known when they start. Records from
   * before this field have only their current `to`.
   */
  ends: z.array(z.object({ to: iso, at: iso })).optional(),
  /** When the mid-tour check-in was sent (there is one per tour, however often the end moves). */
  checkedInAt: iso.optional(),
  /** The lessons-learned answers, once given. */
  lessons: z.object({ well: z.string(), change: z.string(), at: iso }).optional(),
});
export type Tour = z.infer<typeof tourSchema>;

/** The repository; the rotation store reads it too, for the guests of a host team. */
export function tourRepository(redis: RedisClient): Repository<Tour> {
  return createRepository({ redis, name: 'oncall-tour', schema: tourSchema, version: 1, stamped: true });
}

/** The end as known over time (see `ends`). */
export function endsOf(t: Tour): { to: string; at: string }[] {
  return t.ends && t.ends.length > 0 ? t.ends : [{ to: t.to, at: t.createdAt }];
}

export interface TourStore {
  create(t: Tour): Promise<void>;
  update(id: string, fn: (t: Tour) => Tour): Promise<Tour>;
  get(id: string): Promise<Tour | undefined>;
  all(): Promise<Tour[]>;
}

export function createTourStore(redis: RedisClient): TourStore {
  const repo = tourRepository(redis);
  return {
    async create(t) {
      await repo.put(t.id, t);
    },
    async update(id, fn) {
      return (await repo.update(id, fn)).value;
    },
    async get(id) {
      return (await repo.get(id))?.value;
    },
    async all() {
      return (await repo.list()).map((r) => r.value).sort((a, b) => a.from.localeCompare(b.from));
    },
  };
}
