/**
 * What every part of the cadence service shares: the clock, the holiday calendars and timing of
 * a cadence, the timer ids, cancelling planned timers, `claim` (which records an occurrence
 * handled, once) and `publish` (which queues the announcement's current revision).
 */
import { RecordConflictError } from '../../store/record.js';
import { occurrenceKey } from '../../store/cadence/store.js';
import { timingOf, type Cadence, type OccurrenceState } from '../../domain/cadence/model.js';
import type { Occurrence } from '../../domain/cadence/occurrences.js';
import { announcementData, announcementTemplate } from './announcement.js';
import { FIRE_KIND, REMIND_KIND, type CadenceServiceOptions } from './types.js';

export type CadenceShared = ReturnType<typeof cadenceShared>;

export function cadenceShared(opts: CadenceServiceOptions) {
  const { store, scheduler, deliveries, renderer, log } = opts;
  const now = opts.clock ?? (() => new Date());
  const calendars = () => opts.settings().calendars;
  const timing = (c: Cadence) => timingOf(c, calendars());

  const fireId = (name: string, occ: string) => occurrenceKey(name, occ);
  const remindId = (name: string, occ: string, offset: string) => `${occurrenceKey(name, occ)}.r${offset}`;

  const cancelPlanned = async (c: Cadence) => {
    if (!c.planned) return;
    await scheduler.cancel(FIRE_KIND, fireId(c.name, c.planned.occurrence));
    for (const r of c.planned.reminders) await scheduler.cancel(REMIND_KIND, remindId(c.name, c.planned.occurrence, r));
  };

  const publish = async (c: Cadence, state: OccurrenceState): Promise<void> => {
    const message = renderer.render(announcementTemplate(c), announcementData(c, state, (roles) => opts.settings().invitees?.(roles) ?? []));
    await deliveries.enqueue(c.channels.map((ch) => ({ key: `cadence-${c.name}-${state.occurrence}`, revision: state.revision, target: ch, message })));
  };

  /**
   * Create the occurrence's state (the claim). Resolves the state that stands now: ours, or the
   * one another process (or an earlier try) wrote first.
   */
  const claim = async (c: Cadence, o: Occurrence, status: 'firing' | 'missed', late: boolean): Promise<{ state: OccurrenceState; ours: boolean }> => {
    const key = occurrenceKey(c.name, o.id);
    const state: OccurrenceState = {
      cadence: c.name,
      occurrence: o.id,
      at: o.at.toISOString(),
      status,
      late,
      handledAt: now().toISOString(),
      agenda: status === 'firing' ? c.agenda.map((a) => ({ ...a, covered: false })) : [],
      rsvp: {},
      revision: 1,
      notes: [],
      actions: [],
    };
    try {
      await store.occurrences.put(key, state);
    } catch (e) {
      if (!(e instanceof RecordConflictError)) throw e;
      const existing = await store.occurrences.get(key);
      if (!existing) throw e;
      return { state: existing.value, ours: false };
    }
    // Archive the agenda with this occurrence; items added meanwhile stay for the next one.
    const archived = new Set(state.agenda.map((a) => a.id));
    await store.cadences.update(c.name, (cur) => ({
      ...cur,
      agenda: cur.agenda.filter((a) => !archived.has(a.id)),
      lastHandledAt: !cur.lastHandledAt || cur.lastHandledAt < state.at ? state.at : cur.lastHandledAt,
    }));
    log.info({ cadence: c.name, occurrence: o.id, status, late }, status === 'missed' ? 'cadence occurrence missed' : 'cadence occurrence claimed');
    return { state, ours: true };
  };

  return { now, calendars, timing, fireId, remindId, cancelPlanned, publish, claim };
}
