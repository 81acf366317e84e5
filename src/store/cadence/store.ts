/**
 * Where cadences live in Redis: one versioned record per cadence, one per occurrence that was
 * handled (announced or missed: its RSVPs, archived agenda, notes and action items), and
 * short-lived drafts of `/cadence create` waiting for their Confirm click.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { cadenceSchema, occurrenceStateSchema, type Cadence, type OccurrenceState } from '../../domain/cadence/model.js';
import { createRepository, type Repository } from '../record.js';
import type { RedisClient } from '../redis.js';

export interface CadenceStore {
  cadences: Repository<Cadence>;
  /**
   * Config-declared cadences taken out of the config: kept (agenda, skips, moves, pause) for
   * RETIRED_CADENCE_TTL_MS after removal, so putting one back restores it; then they expire.
   */
  retired: Repository<RetiredCadence>;
  /** Id `<cadence>.<occurrence id>`. */
  occurrences: Repository<OccurrenceState>;
  saveDraft(c: Cadence): Promise<string>;
  takeDraft(id: string): Promise<Cadence | undefined>;
}

const DRAFT_TTL_S = 3600;

/** How long a cadence removed from the config keeps its state (30 days; documented in the README). */
export const RETIRED_CADENCE_TTL_MS = 30 * 86_400_000;

export const retiredCadenceSchema = z.object({ cadence: cadenceSchema, retiredAt: z.string() });
export type RetiredCadence = z.infer<typeof retiredCadenceSchema>;

export const occurrenceKey = (cadence: string, occurrence: string) => `${cadence}.${occurrence}`;

export function createCadenceStore(redis: RedisClient): CadenceStore {
  return {
    cadences: createRepository({ redis, name: 'cadence', schema: cadenceSchema, version: 1 }),
    retired: createRepository({ redis, name: 'cadence-retired', schema: retiredCadenceSchema, version: 1, ttlMs: RETIRED_CADENCE_TTL_MS }),
    occurrences: createRepository({ redis, name: 'cadence-occ', schema: occurrenceStateSchema, version: 1, ttlMs: 400 * 86_400_000 }),
    async saveDraft(c) {
      const id = randomUUID().replace(/-/g, '');
      await redis.set(`cadence-draft:${id}`, JSON.stringify(c), 'EX', DRAFT_TTL_S);
      return id;
    },
    async takeDraft(id) {
      if (!/^[a-f0-9]{32}$/.test(id)) return undefined;
      const raw = (await redis.call('GETDEL', `cadence-draft:${id}`)) as string | null;
      if (!raw) return undefined;
      const parsed = cadenceSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    },
  };
}
