/**
 * Where cadences live in Redis: one versioned record per cadence, one per occurrence that was
 * handled (announced or missed: its RSVPs, archived agenda, notes and action items), and
 * short-lived drafts of `/cadence create` waiting for their Confirm click.
 */
import { randomUUID } from 'node:crypto';
import { cadenceSchema, occurrenceStateSchema, type Cadence, type OccurrenceState } from '../../domain/cadence/model.js';
import { createRepository, type Repository } from '../record.js';
import type { RedisClient } from '../redis.js';

export interface CadenceStore {
  cadences: Repository<Cadence>;
  /** Id `<cadence>.<occurrence id>`. */
  occurrences: Repository<OccurrenceState>;
  saveDraft(c: Cadence): Promise<string>;
  takeDraft(id: string): Promise<Cadence | undefined>;
}

const DRAFT_TTL_S = 3600;

export const occurrenceKey = (cadence: string, occurrence: string) => `${cadence}.${occurrence}`;

export function createCadenceStore(redis: RedisClient): CadenceStore {
  return {
    cadences: createRepository({ redis, name: 'cadence', schema: cadenceSchema, version: 1 }),
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
