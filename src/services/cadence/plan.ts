/**
 * Planning one cadence: find the next occurrence not handled yet, record the ones that passed
 * without a timer as missed, and set (or move) the timers of that one occurrence, its
 * announcement and its reminders. Cancelled reminders and stale timers of an earlier plan go.
 */
import { occurrenceKey } from '../../store/cadence/store.js';
import type { Cadence } from '../../domain/cadence/model.js';
import { nextOccurrences, occurrencesBetween, type Occurrence } from '../../domain/cadence/occurrences.js';
import { reminderAt } from '../../domain/cadence/reminders.js';
import type { CadenceShared } from './shared.js';
import { FIRE_KIND, REMIND_KIND, type CadenceServiceOptions } from './types.js';

/** At most this many passed occurrences are recorded missed in one planning pass. */
const MAX_MISSED_RECORDED = 50;

/** Set the timers for the next occurrence of `name` not handled yet (and record passed ones missed). */
export async function planCadence(opts: CadenceServiceOptions, shared: CadenceShared, name: string): Promise<void> {
  const { store, scheduler } = opts;
  const rec = await store.cadences.get(name);
  if (!rec) return;
  const c = rec.value;
  const t = shared.now();
  if (c.paused) {
    await shared.cancelPlanned(c);
    if (c.planned) await store.cadences.update(name, (cur) => ({ ...cur, planned: undefined }));
    return;
  }
  const grace = opts.settings().graceMs;
  // Nothing before the cadence existed is late or missed: a cadence created at 10:20 for a
  // daily 10:00 starts tomorrow, not with a late post of today's.
  const windowStart = new Date(Math.max(t.getTime() - grace, new Date(c.createdAt).getTime()));
  await recordPassedMissed(shared, c, windowStart);
  const target = await nextUnhandled(opts, shared, c, name, windowStart);
  if (c.planned && c.planned.occurrence !== target?.id) await dropEarlierPlan(opts, shared, c, name);
  if (!target) {
    if (c.planned) await store.cadences.update(name, (cur) => ({ ...cur, planned: undefined }));
    return;
  }
  const reminders = await setReminders(opts, shared, c, name, target, t);
  await scheduler.at(FIRE_KIND, shared.fireId(name, target.id), target.at, { name, occurrence: target.id });
  const planned = { occurrence: target.id, at: target.at.toISOString(), reminders };
  await store.cadences.update(name, (cur) => ({ ...cur, planned }));
}

/** Occurrences that passed beyond the grace window without a timer: record them missed. */
async function recordPassedMissed(shared: CadenceShared, c: Cadence, windowStart: Date): Promise<void> {
  if (!c.lastHandledAt) return;
  const passed = occurrencesBetween(shared.timing(c), new Date(new Date(c.lastHandledAt).getTime() + 1), windowStart).slice(-MAX_MISSED_RECORDED);
  for (const o of passed) await shared.claim(c, o, 'missed', false);
}

/** The first occurrence from `windowStart` on that has no state yet, or whose claim did not finish. */
async function nextUnhandled(opts: CadenceServiceOptions, shared: CadenceShared, c: Cadence, name: string, windowStart: Date): Promise<Occurrence | undefined> {
  for (const o of nextOccurrences(shared.timing(c), new Date(windowStart.getTime() - 1), 8)) {
    const state = await opts.store.occurrences.get(occurrenceKey(name, o.id));
    if (!state || state.value.status === 'firing') return o;
  }
  return undefined;
}

/** The planned occurrence is no longer the target: cancel what of its timers could still run. */
async function dropEarlierPlan(opts: CadenceServiceOptions, shared: CadenceShared, c: Cadence, name: string): Promise<void> {
  if (!c.planned) return;
  // A handled occurrence's announcement timer has run (it is what called us, usually):
  // only its reminders could still be pending.
  const handled = await opts.store.occurrences.get(occurrenceKey(name, c.planned.occurrence));
  if (handled && handled.value.status !== 'firing') {
    for (const r of c.planned.reminders) await opts.scheduler.cancel(REMIND_KIND, shared.remindId(name, c.planned.occurrence, r));
  } else await shared.cancelPlanned(c);
}

/** Set the reminders of `target` still ahead of `t` (cancelling passed ones); resolves the offsets set. */
async function setReminders(opts: CadenceServiceOptions, shared: CadenceShared, c: Cadence, name: string, target: Occurrence, t: Date): Promise<string[]> {
  const reminders: string[] = [];
  for (const offset of c.reminders) {
    const at = reminderAt(target.at, offset, c.zone);
    if (at.getTime() <= t.getTime()) {
      await opts.scheduler.cancel(REMIND_KIND, shared.remindId(name, target.id, offset));
      continue;
    }
    await opts.scheduler.at(REMIND_KIND, shared.remindId(name, target.id, offset), at, { name, occurrence: target.id, offset });
    reminders.push(offset);
  }
  return reminders;
}
