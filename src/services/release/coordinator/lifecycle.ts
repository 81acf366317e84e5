/**
 * A release's course after it is proposed: moved to another time (sign-offs given for the old
 * date are dropped), cancelled, or done with a recorded outcome.
 */
import { actorsOf } from '../../../domain/release/readiness.js';
import { isOpen } from '../../../domain/release/release.js';
import { ForbiddenError, InputError } from '../../../errors.js';
import type { CoordinatorShared } from './shared.js';
import type { CoordinatorDeps, ReleaseCoordinator } from './types.js';

export function lifecycleOps(deps: CoordinatorDeps, shared: CoordinatorShared): Pick<ReleaseCoordinator, 'reschedule' | 'cancel' | 'outcome'> {
  const { load, mustCoordinate, scopeOf, change } = shared;
  return {
    async reschedule(actor, raw, start, now) {
      const r = await load(raw);
      mustCoordinate(actor, r, 'reschedule it');
      if (!isOpen(r)) throw new InputError(`${r.id} is ${r.status}; only proposed or confirmed releases can be rescheduled.`);
      if (start.getTime() <= now.getTime()) throw new InputError('That time is in the past; pick a future time.');
      if (start.toISOString() === r.start) throw new InputError(`${r.id} is already at that time.`);
      const length = Date.parse(r.end) - Date.parse(r.start);
      return change(
        r,
        actor.ref,
        now,
        (cur) => ({
          ...cur,
          start: start.toISOString(),
          end: new Date(start.getTime() + length).toISOString(),
          // Sign-offs were given for the old date; the checklist is about the release itself and stays.
          signoffs: {},
          history: [...cur.history, { at: now.toISOString(), by: actor.ref, action: 'rescheduled', from: cur.start, to: start.toISOString() }],
        }),
        'rescheduled',
      );
    },

    async cancel(actor, raw, reason, now) {
      const r = await load(raw);
      mustCoordinate(actor, r, 'cancel it');
      if (!isOpen(r)) throw new InputError(`${r.id} is already ${r.status}.`);
      const stored = await deps.store.releases.update(r.id, (cur) => ({
        ...cur,
        status: 'cancelled',
        cancelled: { reason, by: actor.ref, at: now.toISOString() },
        history: [...cur.history, { at: now.toISOString(), by: actor.ref, action: 'cancelled', note: reason }],
      }));
      await deps.changed?.(stored.value, 'cancelled', now);
      return stored.value;
    },

    async outcome(actor, raw, result, openBugs, notes, now) {
      const r = await load(raw);
      const a = actorsOf(actor, scopeOf(r));
      if (!a.has('rele') && !a.has('admin')) throw new ForbiddenError('Only a RelE or an admin may record an outcome.');
      if (r.status === 'cancelled') throw new InputError(`${r.id} was cancelled; there is no outcome to record.`);
      if (r.outcome) throw new InputError(`${r.id} already has an outcome (${r.outcome.result}).`);
      if (now.getTime() < Date.parse(r.start)) throw new InputError(`${r.id} has not started yet; record the outcome after its release time.`);
      const stored = await deps.store.releases.update(r.id, (cur) => {
        if (cur.outcome) throw new InputError(`${r.id} already has an outcome (${cur.outcome.result}).`);
        return {
          ...cur,
          status: 'done',
          outcome: { result, openBugs, ...(notes ? { notes } : {}), by: actor.ref, at: now.toISOString() },
          history: [...cur.history, { at: now.toISOString(), by: actor.ref, action: 'outcome', note: result }],
        };
      });
      await deps.changed?.(stored.value, 'outcome', now);
      return stored.value;
    },
  };
}
