/**
 * What every part of the on-call service shares: the config's rotation entries and their
 * declarations (computed once per loaded config), the change listeners, and `synced`, which adds
 * the config's declaration to a rotation's stored record as a new version when it changed.
 */
import { toRotationDecl, type RotationEntry } from '../../domain/oncall/config.js';
import type { RotationStateRecord } from '../../store/oncall/records.js';
import type { OncallServiceOptions, RotationChange } from './rotation-types.js';

type ChangeListener = (c: RotationChange, now: Date) => Promise<void>;

export type RotationShared = ReturnType<typeof rotationShared>;

/** JSON with sorted keys, so two equal declarations compare equal whatever their key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/** Whether a stored record lacks the config's current declaration as its last version. */
const needsVersion = (s: RotationStateRecord, key: string | undefined) => {
  const last = s.versions[s.versions.length - 1];
  return !last || canonical(last.decl) !== key;
};

export function rotationShared(opts: OncallServiceOptions) {
  const { store, config } = opts;
  const listeners: ChangeListener[] = [];
  const entries = () => config().rotations;
  const entry = (id: string) => entries().find((r) => r.id === id);
  const declOf = (e: RotationEntry) => toRotationDecl(e, config().timezone);
  // Each config entry's declaration, its canonical form and its members, computed once per loaded config.
  const declKeys = new WeakMap<RotationEntry, { zone: string; key: string; members: string[] }>();
  const declInfo = (e: RotationEntry) => {
    const zone = config().timezone;
    let k = declKeys.get(e);
    if (!k || k.zone !== zone) {
      const decl = declOf(e);
      declKeys.set(e, (k = { zone, key: canonical(decl), members: decl.layers.flatMap((l) => l.members) }));
    }
    return k;
  };
  const declKeyOf = (e: RotationEntry | undefined): string | undefined => (e ? declInfo(e).key : undefined);
  const listen = (l: ChangeListener) => {
    listeners.push(l);
  };
  const emit = async (c: RotationChange, now: Date) => {
    for (const l of listeners) await l(c, now);
  };

  /**
   * The stored record (`read`, or read now), with the config's declaration added as a new version
   * if it changed.
   */
  async function synced(rotationId: string, now: Date, read?: RotationStateRecord): Promise<{ state: RotationStateRecord; changed: boolean }> {
    const e = entry(rotationId);
    const state = read ?? (await store.record(rotationId));
    if (!e) return { state, changed: false };
    const decl = declOf(e);
    const key = declKeyOf(e);
    if (!needsVersion(state, key)) return { state, changed: false };
    // The first declaration applies from the beginning of time; a changed one from now on, so
    // turns before the reload keep the declaration they were served under.
    const next = await store.updateRecord(rotationId, (cur) =>
      needsVersion(cur, key) ? { ...cur, versions: [...cur.versions, { from: new Date(cur.versions.length === 0 ? 0 : now.getTime()).toISOString(), decl }] } : cur,
    );
    return { state: next, changed: true };
  }

  return { entries, entry, declOf, declInfo, declKeyOf, listen, emit, synced };
}
