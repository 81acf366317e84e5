/**
 * Tours of duty (`oncall-tour` repository): who goes to which host team, when, and the absence
 * record that keeps them out of their home teams' rotations meanwhile.
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
  /** The lessons-learned answers, once given. */
  lessons: z.object({ well: z.string(), change: z.string(), at: iso }).optional(),
});
export type Tour = z.infer<typeof tourSchema>;

export interface TourStore {
  create(t: Tour): Promise<void>;
  update(id: string, fn: (t: Tour) => Tour): Promise<Tour>;
  get(id: string): Promise<Tour | undefined>;
  all(): Promise<Tour[]>;
}

export function createTourStore(redis: RedisClient): TourStore {
  const repo: Repository<Tour> = createRepository({ redis, name: 'oncall-tour', schema: tourSchema, version: 1 });
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
