/**
 * Absences (leave and tours), one item per absence per person (items.ts), merged with any record
 * still in the single-record layout until the migration has moved it (migrate-items.ts).
 */
import { sendReads } from '../record.js';
import type { RedisClient } from '../redis.js';
import { ABSENCE_PEOPLE, absenceKeys, itemJson } from './item-scripts.js';
import { absenceItemsRead, type ItemWrites } from './items.js';
import { migratePerson, type LegacyRepositories } from './migrate-items.js';
import { absenceRecordSchema, type AbsenceRecord } from './records.js';

/** One copy per id (an absence is in both layouts only while a migration runs), oldest first. */
export function mergeById<T extends { id: string; createdAt: string }>(...lists: readonly (readonly T[])[]): T[] {
  const byId = new Map<string, T>();
  for (const list of lists) for (const x of list) byId.set(x.id, x);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export interface AbsenceReads {
  /** The absences of `people` starting before `startsBefore`, and the counter they were read at. */
  read(people: readonly string[], startsBefore: number): Promise<{ stamp: number; items: AbsenceRecord[] }>;
}

export function absenceOps(redis: RedisClient, legacy: LegacyRepositories, writes: ItemWrites) {
  const read: AbsenceReads['read'] = async (people, startsBefore) => {
    const list = [...new Set(people)];
    // The old layout first: a migration between the two reads then shows an absence twice
    // (merged), never not at all. The stamp is the first read's, so never newer than the data.
    const [old, items] = await sendReads(redis, [legacy.absences.reads.getManyStamped(list), absenceItemsRead(list, startsBefore)]);
    const oldItems = old.records.flatMap((r) => r?.value.items ?? []).filter((a) => Date.parse(a.from) < startsBefore);
    return { stamp: old.stamp, items: mergeById(oldItems, items.items) };
  };
  return {
    read,
    async absencesOf(people: readonly string[]): Promise<AbsenceRecord[]> {
      return (await read(people, Number.POSITIVE_INFINITY)).items;
    },
    async allAbsences(): Promise<AbsenceRecord[]> {
      const people = new Set([...(await redis.smembers(ABSENCE_PEOPLE)), ...(await legacy.absences.list()).map((r) => r.id)]);
      return (await read([...people].sort(), Number.POSITIVE_INFINITY)).items;
    },
    addAbsence: (a: AbsenceRecord) => writes.putAbsence(a),
    /** Move an absence's end; `to` at or before its start removes it. */
    async moveAbsenceEnd(person: string, id: string, to: Date): Promise<void> {
      // An absence still in the old layout moves first, so this edits the only copy.
      await migratePerson(redis, legacy, person);
      const raw = await redis.hget(absenceKeys(person).hash, id);
      if (raw == null) return;
      const a = absenceRecordSchema.parse(JSON.parse(itemJson(raw)));
      if (Date.parse(a.from) >= to.getTime()) await writes.deleteAbsence(person, id);
      else await writes.putAbsence({ ...a, to: to.toISOString() });
    },
    /** Bulk edit of one person's absences (tools, tests, seeding): the differences are written as items. */
    async updateAbsences(person: string, fn: (items: AbsenceRecord[]) => AbsenceRecord[]): Promise<AbsenceRecord[]> {
      await migratePerson(redis, legacy, person);
      const before = (await read([person], Number.POSITIVE_INFINITY)).items;
      const next = fn(before);
      const old = new Map(before.map((a) => [a.id, JSON.stringify(a)]));
      for (const a of next) if (old.get(a.id) !== JSON.stringify(a)) await writes.putAbsence(a);
      const kept = new Set(next.map((a) => a.id));
      for (const a of before) if (!kept.has(a.id)) await writes.deleteAbsence(person, a.id);
      return next;
    },
  };
}
