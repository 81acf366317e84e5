/**
 * Redis storage for rotations: one versioned record per rotation (`oncall-rotation`) and one per
 * person for absences (`oncall-absence`), both through createRepository (zod-checked, CAS writes).
 * The rotation record's revision and the absence repository's write stamp together say whether
 * anything a rotation's schedule is computed from has changed (see `stamp`).
 */
import { createRepository, sendReads, type Repository } from '../record.js';
import type { RedisClient } from '../redis.js';
import { absencesSchema, emptyRotationState, rotationStateSchema, type AbsenceRecord, type AbsencesRecord, type RotationStateRecord } from './records.js';
import { tourRepository, type Tour } from '../tour/store.js';

/** What a rotation's schedule is computed from, and the stamp (as `RotationStore.stamp` gives it) it was read at. */
export interface ScheduleSource {
  stamp: string;
  state: RotationStateRecord;
  /** Every tour (the caller picks the host team's). */
  tours: Tour[];
  /** The absences of the people the caller named, and of nobody else. */
  absences: AbsenceRecord[];
}

export interface RotationStore {
  state(rotationId: string): Promise<RotationStateRecord>;
  /**
   * What a rotation's schedule input was read at: its record's revision and the absence and tour
   * write counters, sent together (one round trip). Every write of any of them changes it, in
   * any process.
   */
  stamp(rotationId: string): Promise<string>;
  /**
   * Everything a rotation's schedule is computed from: its record, the tours, and the absences of
   * `peopleOf(record, tours)`. The record, the tours and the absences of `likelyPeople` are read
   * together (one round trip); each repository's part is read with its own counter in one command,
   * so each part of the stamp matches what was read of that part, whatever was written between the
   * parts. Only when `peopleOf` names someone outside `likelyPeople` does a second read fetch their
   * absences; the stamp then keeps the absence counter of the first read, so anything written in
   * between makes the stamp older than the data (the next query rebuilds), never newer.
   */
  load(rotationId: string, likelyPeople: Iterable<string>, peopleOf: (state: RotationStateRecord, tours: readonly Tour[]) => Set<string>): Promise<ScheduleSource>;
  /** Change a rotation's record atomically (re-run on a concurrent write). */
  updateState(rotationId: string, fn: (current: RotationStateRecord) => RotationStateRecord): Promise<RotationStateRecord>;
  absencesOf(people: readonly string[]): Promise<AbsenceRecord[]>;
  allAbsences(): Promise<AbsenceRecord[]>;
  updateAbsences(person: string, fn: (items: AbsenceRecord[]) => AbsenceRecord[]): Promise<AbsenceRecord[]>;
  /** Mattermost DMs need the user id; the config has the username. Learned when people use Day2. */
  rememberMattermostUser(username: string, userId: string): Promise<void>;
  mattermostUserId(username: string): Promise<string | undefined>;
}

export function createRotationStore(redis: RedisClient): RotationStore {
  const rotations: Repository<RotationStateRecord> = createRepository({ redis, name: 'oncall-rotation', schema: rotationStateSchema, version: 1 });
  // Stamped: leave applies to every rotation the person is in, so any absence write invalidates them all.
  const absences: Repository<AbsencesRecord> = createRepository({ redis, name: 'oncall-absence', schema: absencesSchema, version: 1, stamped: true });
  const tours = tourRepository(redis);
  return {
    async state(id) {
      return (await rotations.get(id))?.value ?? emptyRotationState();
    },
    async stamp(id) {
      const [rev, away, toured] = await sendReads(redis, [rotations.reads.revOf(id), absences.reads.stamp(), tours.reads.stamp()]);
      return `${rev}/${away}/${toured}`;
    },
    async load(id, likelyPeople, peopleOf) {
      const likely = [...new Set(likelyPeople)];
      // With nobody to ask about yet, the absence counter comes with the second read instead.
      const [record, toured, first] =
        likely.length > 0
          ? await sendReads(redis, [rotations.reads.get(id), tours.reads.listStamped(), absences.reads.getManyStamped(likely)])
          : [...(await sendReads(redis, [rotations.reads.get(id), tours.reads.listStamped()])), undefined];
      const state = record?.value ?? emptyRotationState();
      const tourList = toured.records.map((r) => r.value);
      const people = peopleOf(state, tourList);
      const found = new Map<string, AbsenceRecord[]>(likely.map((p, i) => [p, first?.records[i]?.value.items ?? []]));
      const missing = [...people].filter((p) => !found.has(p));
      let away = first?.stamp;
      if (missing.length > 0 || away === undefined) {
        const more = await absences.getManyStamped(missing);
        missing.forEach((p, i) => found.set(p, more.records[i]?.value.items ?? []));
        away ??= more.stamp;
      }
      return { stamp: `${record?.rev ?? 0}/${away}/${toured.stamp}`, state, tours: tourList, absences: [...people].flatMap((p) => found.get(p) ?? []) };
    },
    async updateState(id, fn) {
      return (await rotations.upsert(id, (cur) => fn(cur ?? emptyRotationState()))).value;
    },
    async absencesOf(people) {
      const records = await Promise.all([...new Set(people)].map((p) => absences.get(p)));
      return records.flatMap((r) => r?.value.items ?? []);
    },
    async allAbsences() {
      return (await absences.list()).flatMap((r) => r.value.items);
    },
    async updateAbsences(person, fn) {
      return (await absences.upsert(person, (cur) => ({ items: fn(cur?.items ?? []) }))).value.items;
    },
    async rememberMattermostUser(username, userId) {
      await redis.hset('oncall:mm-users', username, userId);
    },
    async mattermostUserId(username) {
      return (await redis.hget('oncall:mm-users', username)) ?? undefined;
    },
  };
}
