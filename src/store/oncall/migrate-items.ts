/**
 * Moves on-call data from the single-record layout (every override and swap inside the rotation's
 * record, every absence of a person inside one record) to one item each (items.ts). Each owner
 * moves in one Lua script, and only if its record is still at the revision read, so the move is
 * all or nothing per owner: an interrupted run leaves owners either moved or untouched, a rerun
 * finishes the rest, and two bots running it at once move each owner exactly once (the loser of
 * the race re-reads and finds nothing left). Reads merge both layouts meanwhile, so schedules are
 * right before, during and after.
 */
import { createRepository, type Repository } from '../record.js';
import type { RedisClient } from '../redis.js';
import { ABSENCE_LEGACY_INDEX, ABSENCE_PEOPLE, ABSENCE_STAMP, absenceKeys, itemValue, MIGRATE_ABSENCES, MIGRATE_ROTATION, rotationKeys } from './item-scripts.js';
import { swapSpan } from './items.js';
import { absencesSchema, rotationStateSchema, type AbsencesRecord, type RotationStateRecord } from './records.js';

export interface MigrationReport {
  rotations: number;
  overrides: number;
  swaps: number;
  people: number;
  absences: number;
}

/** How often one owner's move is retried after a concurrent write to its record. */
const MAX_RACES = 20;

export type LegacyRepositories = ReturnType<typeof legacyRepositories>;

/** The single-record repositories, as they were (the rotation record keeps its other parts). */
export function legacyRepositories(redis: RedisClient) {
  const rotations: Repository<RotationStateRecord> = createRepository({ redis, name: 'oncall-rotation', schema: rotationStateSchema, version: 1 });
  // Stamped: the absence counter is shared with the item layout (ABSENCE_STAMP is this stamp's key).
  const absences: Repository<AbsencesRecord> = createRepository({ redis, name: 'oncall-absence', schema: absencesSchema, version: 1, stamped: true });
  return { rotations, absences };
}

/** Move one rotation's overrides and swaps out of its record; how many of each moved. */
export async function migrateRotation(redis: RedisClient, legacy: LegacyRepositories, rotationId: string): Promise<{ overrides: number; swaps: number }> {
  const k = rotationKeys(rotationId);
  for (let race = 0; race < MAX_RACES; race++) {
    const rec = await legacy.rotations.get(rotationId);
    if (!rec || (rec.value.overrides.length === 0 && rec.value.swaps.length === 0)) return { overrides: 0, swaps: 0 };
    const { overrides, swaps } = rec.value;
    const data = JSON.stringify(rotationStateSchema.parse({ ...rec.value, overrides: [], swaps: [] }));
    const args = [
      ...overrides.flatMap((o) => ['o', o.id, String(Date.parse(o.to)), itemValue(Date.parse(o.from), JSON.stringify(o))]),
      ...swaps.flatMap((s) => ['s', s.id, String(swapSpan(s).last), itemValue(swapSpan(s).first, JSON.stringify(s))]),
    ];
    const res = Number(await redis.eval(MIGRATE_ROTATION, 6, k.record, k.ovHash, k.ovIndex, k.swHash, k.swIndex, k.stamp, rec.rev, data, ...args));
    if (res !== -2) return { overrides: overrides.length, swaps: swaps.length };
  }
  throw new Error(`on-call migration: rotation ${rotationId} kept changing; run it again`);
}

/** Move one person's absences out of their record; how many moved. */
export async function migratePerson(redis: RedisClient, legacy: LegacyRepositories, person: string): Promise<number> {
  const k = absenceKeys(person);
  for (let race = 0; race < MAX_RACES; race++) {
    const rec = await legacy.absences.get(person);
    if (!rec) return 0;
    const args = rec.value.items.flatMap((a) => [a.id, String(Date.parse(a.from)), itemValue(Date.parse(a.from), JSON.stringify(a))]);
    const res = Number(await redis.eval(MIGRATE_ABSENCES, 6, k.record, ABSENCE_LEGACY_INDEX, ABSENCE_STAMP, k.hash, k.index, ABSENCE_PEOPLE, rec.rev, person, ...args));
    if (res === 0) return 0;
    if (res === 1) return rec.value.items.length;
  }
  throw new Error(`on-call migration: absences of ${person} kept changing; run it again`);
}

/** Move everything still in the old layout (a no-op once done; run at every start). */
export async function migrateOncallItems(redis: RedisClient, legacy: LegacyRepositories = legacyRepositories(redis)): Promise<MigrationReport> {
  const report: MigrationReport = { rotations: 0, overrides: 0, swaps: 0, people: 0, absences: 0 };
  for (const rec of await legacy.rotations.list()) {
    if (rec.value.overrides.length === 0 && rec.value.swaps.length === 0) continue;
    const moved = await migrateRotation(redis, legacy, rec.id);
    if (moved.overrides + moved.swaps === 0) continue;
    report.rotations++;
    report.overrides += moved.overrides;
    report.swaps += moved.swaps;
  }
  for (const rec of await legacy.absences.list()) {
    const moved = await migratePerson(redis, legacy, rec.id);
    if (moved === 0) continue;
    report.people++;
    report.absences += moved;
  }
  return report;
}
