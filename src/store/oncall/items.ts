/**
 * Per-item storage of overrides, swaps and absences (layout and scripts in item-scripts.ts): each
 * write is one small item and one index entry, in one script that also bumps the owner's counter
 * (what cached schedules are stamped with); each read takes a time window and returns only the
 * items that can matter in it, with the counter, at one instant.
 */
import type { z } from 'zod';
import type { RedisClient } from '../redis.js';
import type { Read } from '../record.js';
import { ABSENCE_PEOPLE, ABSENCE_STAMP, absenceKeys, DELETE_ITEM, itemJson, itemValue, PUT_ITEM, rotationKeys, WINDOW_SCRIPT } from './item-scripts.js';
import { absenceRecordSchema, overrideRecordSchema, swapRecordSchema, type AbsenceRecord, type OverrideRecord, type SwapRecord } from './records.js';

/**
 * What a schedule over `[from, to)` needs (ms). `reach` bounds how long a turn can be: a swap
 * matters while one of its turns, which start at its instants, overlaps the window, and an absence
 * starting before the end of a turn that began in the window can still charge that turn.
 */
export interface ItemWindow {
  from: number;
  to: number;
  reach: number;
}
export const EVERYTHING: ItemWindow = { from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY, reach: 0 };

const score = (n: number) => (n === Number.POSITIVE_INFINITY ? '+inf' : n === Number.NEGATIVE_INFINITY ? '-inf' : String(n));
const above = (n: number) => (n === Number.NEGATIVE_INFINITY ? '-inf' : `(${n}`);
const below = (n: number) => (n === Number.POSITIVE_INFINITY ? '+inf' : `(${n}`);
const limit = (n: number) => (n === Number.POSITIVE_INFINITY ? '' : String(n));

function parseItems<T>(schema: z.ZodType<T>, what: string, values: readonly unknown[]): T[] {
  return values.map((v) => {
    const parsed = schema.safeParse(JSON.parse(itemJson(String(v))));
    // An item that fails its schema was not written by this code: say which, do not guess.
    if (!parsed.success) throw new Error(`on-call ${what} item unreadable: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** Split the window script's reply into its groups of raw values. */
function groupsOf(reply: unknown, count: number): { stamp: number; groups: unknown[][] } {
  const r = reply as unknown[];
  const groups: unknown[][] = [];
  let i = 1;
  for (let g = 0; g < count; g++) {
    const n = Number(r[i]);
    groups.push(r.slice(i + 1, i + 1 + n));
    i += 1 + n;
  }
  return { stamp: Number(r[0]), groups };
}

export const swapSpan = (s: SwapRecord) => ({ first: Math.min(Date.parse(s.a), Date.parse(s.b)), last: Math.max(Date.parse(s.a), Date.parse(s.b)) });

/** A rotation's overrides overlapping the window and swaps whose turns may, with its item counter. */
export function rotationItemsRead(rotationId: string, w: ItemWindow): Read<{ stamp: number; overrides: OverrideRecord[]; swaps: SwapRecord[] }> {
  const k = rotationKeys(rotationId);
  const keys = [k.stamp, k.ovHash, k.ovIndex, k.swHash, k.swIndex];
  const args = [above(w.from), '+inf', limit(w.to), above(w.from - w.reach), '+inf', limit(w.to)];
  return {
    command: ['evalsha', WINDOW_SCRIPT.sha, keys.length, ...keys, ...args],
    script: WINDOW_SCRIPT.text,
    decode: (reply) => {
      const { stamp, groups } = groupsOf(reply, 2);
      return { stamp, overrides: parseItems(overrideRecordSchema, 'override', groups[0]!), swaps: parseItems(swapRecordSchema, 'swap', groups[1]!) };
    },
  };
}

/** The absences of `people` starting before `startsBefore`, with the absence counter. */
export function absenceItemsRead(people: readonly string[], startsBefore: number): Read<{ stamp: number; items: AbsenceRecord[] }> {
  const keys = [ABSENCE_STAMP, ...people.flatMap((p) => [absenceKeys(p).hash, absenceKeys(p).index])];
  const args = people.flatMap(() => ['-inf', below(startsBefore), '']);
  return {
    command: ['evalsha', WINDOW_SCRIPT.sha, keys.length, ...keys, ...args],
    script: WINDOW_SCRIPT.text,
    decode: (reply) => {
      const { stamp, groups } = groupsOf(reply, people.length);
      return { stamp, items: groups.flatMap((g) => parseItems(absenceRecordSchema, 'absence', g)) };
    },
  };
}

export interface ItemWrites {
  putOverride(rotationId: string, o: OverrideRecord): Promise<void>;
  putSwap(rotationId: string, s: SwapRecord): Promise<void>;
  deleteOverride(rotationId: string, id: string): Promise<boolean>;
  deleteSwap(rotationId: string, id: string): Promise<boolean>;
  putAbsence(a: AbsenceRecord): Promise<void>;
  deleteAbsence(person: string, id: string): Promise<boolean>;
}

export function itemWrites(redis: RedisClient): ItemWrites {
  const put = async (keys: string[], id: string, value: string, at: number, ...extra: string[]) => {
    await redis.eval(PUT_ITEM, keys.length, ...keys, id, value, score(at), ...extra);
  };
  const del = async (keys: string[], id: string) => Number(await redis.eval(DELETE_ITEM, keys.length, ...keys, id)) === 1;
  return {
    async putOverride(rotationId, o) {
      const k = rotationKeys(rotationId);
      const json = JSON.stringify(overrideRecordSchema.parse(o));
      await put([k.ovHash, k.ovIndex, k.stamp], o.id, itemValue(Date.parse(o.from), json), Date.parse(o.to));
    },
    async putSwap(rotationId, s) {
      const k = rotationKeys(rotationId);
      const { first, last } = swapSpan(s);
      await put([k.swHash, k.swIndex, k.stamp], s.id, itemValue(first, JSON.stringify(swapRecordSchema.parse(s))), last);
    },
    deleteOverride: (rotationId, id) => del([rotationKeys(rotationId).ovHash, rotationKeys(rotationId).ovIndex, rotationKeys(rotationId).stamp], id),
    deleteSwap: (rotationId, id) => del([rotationKeys(rotationId).swHash, rotationKeys(rotationId).swIndex, rotationKeys(rotationId).stamp], id),
    async putAbsence(a) {
      const k = absenceKeys(a.person);
      const from = Date.parse(a.from);
      await put([k.hash, k.index, ABSENCE_STAMP, ABSENCE_PEOPLE], a.id, itemValue(from, JSON.stringify(absenceRecordSchema.parse(a))), from, a.person);
    },
    deleteAbsence: (person, id) => del([absenceKeys(person).hash, absenceKeys(person).index, ABSENCE_STAMP], id),
  };
}
