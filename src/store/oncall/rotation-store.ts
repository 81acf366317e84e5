/**
 * Redis storage for rotations: one versioned record per rotation (`oncall-rotation`: declaration
 * versions, member edits, pending swaps) and one item per override, swap and absence (items.ts),
 * indexed by time so a schedule reads only what its window needs and a change writes one small
 * item. Records written before the item layout are moved by `migrate` (migrate-items.ts); until
 * then every read merges them in.
 *
 * A rotation's stamp (record revision, item counter, absence and tour counters) says whether
 * anything its schedule is computed from has changed: every write of any of them moves it.
 */
import { sendReads, type Read } from '../record.js';
import type { RedisClient } from '../redis.js';
import { tourRepository, type Tour } from '../tour/store.js';
import { absenceOps, mergeById } from './absence-store.js';
import { rotationKeys } from './item-scripts.js';
import { EVERYTHING, itemWrites, rotationItemsRead, type ItemWindow } from './items.js';
import { legacyRepositories, migrateOncallItems, type MigrationReport } from './migrate-items.js';
import { emptyRotationState, type AbsenceRecord, type OverrideRecord, type RotationStateRecord, type RotationView, type SwapRecord } from './records.js';
import { rotationEdits } from './rotation-edits.js';

export type { ItemWindow } from './items.js';
export type { MigrationReport } from './migrate-items.js';

export type { RotationView } from './records.js';

/** What a rotation's schedule is computed from, and the stamp (as `RotationStore.stamp` gives it) it was read at. */
export interface ScheduleSource {
  stamp: string;
  /** The record, with the overrides and swaps that can matter in the window read. */
  state: RotationStateRecord;
  /** Every tour (the caller picks the host team's). */
  tours: Tour[];
  /** The absences of the people the caller named (starting before the window's end and reach). */
  absences: AbsenceRecord[];
}

export interface RotationStore {
  /** The record with every override and swap (reads them all: for commands and tests, not schedules). */
  state(rotationId: string): Promise<RotationStateRecord>;
  /** The record alone (declaration versions, member edits, pending swaps). */
  record(rotationId: string): Promise<RotationStateRecord>;
  /** What a rotation's schedule input was read at (one round trip); any write anywhere moves it. */
  stamp(rotationId: string): Promise<string>;
  /**
   * Everything a rotation's schedule over `window` is computed from: its record, the items that can
   * matter in the window, the tours, and the absences of `peopleOf(record, tours)`, read together
   * (one round trip) with `likelyPeople`'s absences; each part is read with its own counter in one
   * command. Only when `peopleOf` names someone outside `likelyPeople` does a second read fetch
   * their absences; the stamp keeps the first read's absence counter, so it is never newer than
   * the data (the next query rebuilds).
   */
  load(rotationId: string, window: ItemWindow, likelyPeople: Iterable<string>, peopleOf: (state: RotationStateRecord, tours: readonly Tour[]) => Set<string>): Promise<ScheduleSource>;
  /** Change the record's own parts atomically (re-run on a concurrent write); items are left alone. */
  updateRecord(rotationId: string, fn: (current: RotationStateRecord) => RotationStateRecord): Promise<RotationStateRecord>;
  /** Change the record and the swaps together (swaps added before the record changes, removed after). */
  change(rotationId: string, fn: (current: RotationView) => RotationView): Promise<RotationView>;
  addOverride(rotationId: string, o: OverrideRecord): Promise<void>;
  /** Bulk edit with every item (tools, tests, seeding): differences are written item by item. */
  updateState(rotationId: string, fn: (current: RotationStateRecord) => RotationStateRecord): Promise<RotationStateRecord>;
  absencesOf(people: readonly string[]): Promise<AbsenceRecord[]>;
  allAbsences(): Promise<AbsenceRecord[]>;
  addAbsence(a: AbsenceRecord): Promise<void>;
  moveAbsenceEnd(person: string, absenceId: string, to: Date): Promise<void>;
  updateAbsences(person: string, fn: (items: AbsenceRecord[]) => AbsenceRecord[]): Promise<AbsenceRecord[]>;
  /** Move data still in the single-record layout to items (idempotent; safe to run concurrently). */
  migrate(): Promise<MigrationReport>;
  /** Mattermost DMs need the user id; the config has the username. Learned when people use Day2. */
  rememberMattermostUser(username: string, userId: string): Promise<void>;
  mattermostUserId(username: string): Promise<string | undefined>;
}

const itemStampRead = (rotationId: string): Read<number> => ({ command: ['get', rotationKeys(rotationId).stamp], decode: (r) => Number(r ?? 0) });

/** The record's own overrides and swaps (not migrated yet) merged with the items read. */
const merged = (record: RotationStateRecord, overrides: readonly OverrideRecord[], swaps: readonly SwapRecord[]): RotationStateRecord => ({
  ...record,
  overrides: mergeById(record.overrides, overrides),
  swaps: mergeById(record.swaps, swaps),
});

export function createRotationStore(redis: RedisClient): RotationStore {
  const legacy = legacyRepositories(redis);
  const { rotations } = legacy;
  const tours = tourRepository(redis);
  const writes = itemWrites(redis);
  const absences = absenceOps(redis, legacy, writes);

  const state = async (id: string) => {
    const [record, items] = await sendReads(redis, [rotations.reads.get(id), rotationItemsRead(id, EVERYTHING)]);
    return merged(record?.value ?? emptyRotationState(), items.overrides, items.swaps);
  };
  // Items never go back into the record: whatever `fn` returns, the record keeps only what it had.
  const updateRecord: RotationStore['updateRecord'] = async (id, fn) =>
    (await rotations.upsert(id, (cur) => {
      const base = cur ?? emptyRotationState();
      return { ...fn(base), overrides: base.overrides, swaps: base.swaps };
    })).value;
  const record = async (id: string) => (await rotations.get(id))?.value ?? emptyRotationState();
  const edits = rotationEdits({ redis, legacy, writes, state, record, updateRecord });

  return {
    state,
    record,
    async stamp(id) {
      const [rev, items, away, toured] = await sendReads(redis, [rotations.reads.revOf(id), itemStampRead(id), legacy.absences.reads.stamp(), tours.reads.stamp()]);
      return `${rev}.${items}/${away}/${toured}`;
    },
    async load(id, window, likelyPeople, peopleOf) {
      const likely = [...new Set(likelyPeople)];
      const startsBefore = window.to + window.reach;
      const [record, items, toured] = await sendReads(redis, [rotations.reads.get(id), rotationItemsRead(id, window), tours.reads.listStamped()]);
      const first = await absences.read(likely, startsBefore);
      const st = merged(record?.value ?? emptyRotationState(), items.overrides, items.swaps);
      const tourList = toured.records.map((r) => r.value);
      const people = peopleOf(st, tourList);
      const missing = [...people].filter((p) => !likely.includes(p));
      const more = missing.length > 0 ? (await absences.read(missing, startsBefore)).items : [];
      const away = [...first.items, ...more].filter((a) => people.has(a.person));
      return { stamp: `${record?.rev ?? 0}.${items.stamp}/${first.stamp}/${toured.stamp}`, state: st, tours: tourList, absences: away };
    },
    updateRecord,
    addOverride: (id, o) => writes.putOverride(id, o),
    ...edits,
    absencesOf: absences.absencesOf,
    allAbsences: absences.allAbsences,
    addAbsence: absences.addAbsence,
    moveAbsenceEnd: absences.moveAbsenceEnd,
    updateAbsences: absences.updateAbsences,
    migrate: () => migrateOncallItems(redis, legacy),
    async rememberMattermostUser(username, userId) {
      await redis.hset('oncall:mm-users', username, userId);
    },
    async mattermostUserId(username) {
      return (await redis.hget('oncall:mm-users', username)) ?? undefined;
    },
  };
}
