/**
 * Chat changes to rotations: a new declaration from the config, overrides, leave and tours,
 * swaps and member edits. Each is stored first and then reported to the change listeners (handoff
 * re-planning and on-duty groups hook in through `onChange`).
 */
import { randomUUID } from 'node:crypto';
import type { AbsenceRecord, OverrideRecord } from '../../store/oncall/records.js';
import type { RotationShared } from './rotation-shared.js';
import type { OncallService, OncallServiceOptions } from './rotation-types.js';

type ChangeOps = Pick<OncallService, 'sync' | 'addOverride' | 'addLeave' | 'moveAbsenceEnd' | 'tourChanged' | 'state' | 'change' | 'onChange' | 'migrate'>;

export function changeOps(opts: OncallServiceOptions, shared: RotationShared): ChangeOps {
  const { store } = opts;
  const { entries, declOf, emit, listen, synced } = shared;
  /** Report a leave change to every rotation `person` is a member of. */
  const emitLeave = async (person: string, now: Date) => {
    for (const e of entries()) if (declOf(e).layers.some((l) => l.members.includes(person))) await emit({ rotationId: e.id, kind: 'leave' }, now);
  };
  return {
    async sync(now) {
      for (const e of entries()) {
        const { changed } = await synced(e.id, now);
        if (changed) await emit({ rotationId: e.id, kind: 'version' }, now);
      }
    },
    async addOverride(rotationId, o, now) {
      const record: OverrideRecord = { id: randomUUID().slice(0, 8), slot: o.slot, person: o.person, from: o.from.toISOString(), to: o.to.toISOString(), createdAt: now.toISOString(), reason: o.reason ?? 'override', ...(o.by ? { by: o.by } : {}) };
      await synced(rotationId, now);
      // One small item: the rotation's other overrides are not read or rewritten.
      await store.addOverride(rotationId, record);
      await emit({ rotationId, kind: 'override' }, now);
      return record;
    },
    async addLeave(person, from, to, kind, now, by) {
      // The same absence typed twice is one absence: the second answer says so, nothing is added.
      const same = (await store.absencesOf([person])).find((a) => a.kind === kind && Date.parse(a.from) === from.getTime() && Date.parse(a.to) === to.getTime());
      if (same) return { ...same, existed: true };
      const record: AbsenceRecord = { id: randomUUID().slice(0, 8), person, from: from.toISOString(), to: to.toISOString(), kind, createdAt: now.toISOString(), ...(by ? { by } : {}) };
      await store.addAbsence(record);
      await emitLeave(person, now);
      return record;
    },
    state: (rotationId) => store.state(rotationId),
    async moveAbsenceEnd(person, absenceId, to, now) {
      await store.moveAbsenceEnd(person, absenceId, to);
      await emitLeave(person, now);
    },
    async tourChanged(host, now) {
      const e = entries().find((r) => r.team === host);
      if (e) await emit({ rotationId: e.id, kind: 'tour' }, now);
    },
    async change(rotationId, kind, fn, now) {
      await synced(rotationId, now);
      const next = await store.change(rotationId, fn);
      await emit({ rotationId, kind }, now);
      return next;
    },
    migrate: () => store.migrate(),
    onChange(listener) {
      listen(listener);
    },
  };
}
