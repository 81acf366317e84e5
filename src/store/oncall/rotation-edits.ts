/**
 * Edits of a rotation that touch its record and its items together: `change` (swaps and member
 * edits, from commands) and `updateState` (bulk edits with every item, for tools and tests).
 */
import type { RedisClient } from '../redis.js';
import { rotationKeys, itemJson } from './item-scripts.js';
import type { ItemWrites } from './items.js';
import { migrateRotation, type LegacyRepositories } from './migrate-items.js';
import { swapRecordSchema, type RotationStateRecord, type RotationView } from './records.js';

interface EditDeps {
  redis: RedisClient;
  legacy: LegacyRepositories;
  writes: ItemWrites;
  state(id: string): Promise<RotationStateRecord>;
  record(id: string): Promise<RotationStateRecord>;
  updateRecord(id: string, fn: (cur: RotationStateRecord) => RotationStateRecord): Promise<RotationStateRecord>;
}

/** Write what changed between two lists of items (by id): new or edited ones put, missing ones deleted. */
async function writeDiff<T extends { id: string }>(before: readonly T[], after: readonly T[], put: (x: T) => Promise<unknown>, del: (id: string) => Promise<unknown>): Promise<void> {
  const old = new Map(before.map((x) => [x.id, JSON.stringify(x)]));
  for (const x of after) if (old.get(x.id) !== JSON.stringify(x)) await put(x);
  const kept = new Set(after.map((x) => x.id));
  for (const x of before) if (!kept.has(x.id)) await del(x.id);
}

export function rotationEdits(deps: EditDeps) {
  const { redis, legacy, writes, updateRecord } = deps;
  const allSwaps = async (id: string) => (await redis.hvals(rotationKeys(id).swHash)).map((v) => swapRecordSchema.parse(JSON.parse(itemJson(v))));
  return {
    /** Change the record and the swaps together (swaps added before the record changes, removed after). */
    async change(id: string, fn: (current: RotationView) => RotationView): Promise<RotationView> {
      // The swaps of a record not migrated yet move first, so they are edited in one place.
      await migrateRotation(redis, legacy, id);
      const swaps = await allSwaps(id);
      const had = new Set(swaps.map((s) => s.id));
      const view = (r: RotationStateRecord): RotationView => ({ versions: r.versions, swaps, memberEdits: r.memberEdits, pendingSwaps: r.pendingSwaps });
      // Added swaps are written before the record changes (an accepted swap before its pending
      // request goes), so a crash in between leaves a request that can be answered again.
      const planned = fn(view(await deps.record(id)));
      for (const s of planned.swaps) if (!had.has(s.id)) await writes.putSwap(id, s);
      let last = planned;
      const rec = await updateRecord(id, (cur) => {
        last = fn(view(cur));
        return { ...cur, versions: last.versions, memberEdits: last.memberEdits, pendingSwaps: last.pendingSwaps };
      });
      const written = new Set(planned.swaps.map((s) => s.id));
      for (const s of last.swaps) if (!had.has(s.id) && !written.has(s.id)) await writes.putSwap(id, s);
      const kept = new Set(last.swaps.map((s) => s.id));
      for (const s of swaps) if (!kept.has(s.id)) await writes.deleteSwap(id, s.id);
      return { ...view(rec), swaps: last.swaps };
    },
    /** Bulk edit with every item (tools, tests, seeding): differences are written item by item. */
    async updateState(id: string, fn: (current: RotationStateRecord) => RotationStateRecord): Promise<RotationStateRecord> {
      await migrateRotation(redis, legacy, id);
      const before = await deps.state(id);
      const next = fn(before);
      await updateRecord(id, (cur) => ({ ...cur, versions: next.versions, memberEdits: next.memberEdits, pendingSwaps: next.pendingSwaps }));
      await writeDiff(before.overrides, next.overrides, (o) => writes.putOverride(id, o), (o) => writes.deleteOverride(id, o));
      await writeDiff(before.swaps, next.swaps, (s) => writes.putSwap(id, s), (s) => writes.deleteSwap(id, s));
      return next;
    },
  };
}
