/**
 * Cadence firing. Each cadence has timers for exactly one occurrence at a time (the next one
 * not yet handled): its announcement (`cadence-fire`) and its reminders (`cadence-remind`), named
 * `<cadence>.<occurrence>` so every process that plans the same occurrence names the same
 * timer (the scheduler's ids are deterministic), and a re-plan after an edit moves them.
 *
 * Once, even with two processes and restarts: the announcement is claimed by creating the
 * occurrence's state record (only one create wins; a crash after the claim leaves `firing`, and
 * the retry finishes the job), and the post itself goes through the delivery queue under the key
 * `cadence-<cadence>-<occurrence>`, which never posts the same (key, channel, revision) twice.
 *
 * Late: a timer that runs after its time (the bot was down) announces within the grace window,
 * marked late, and otherwise records the occurrence missed. Occurrences that passed with no timer
 * at all (down for longer than one period) are recorded missed when the cadence is next planned.
 *
 * The parts: shared.ts (clock, timer ids, claim, publish), planning.ts and plan.ts (saving and
 * planning), occurrences.ts (RSVPs), actions.ts (action items), blocking.ts (calendar events for
 * releases) and timers.ts (the timer handlers, registered here).
 */
import { nextOccurrences } from '../../domain/cadence/occurrences.js';
import { actionOps } from './actions.js';
import { blockingOps } from './blocking.js';
import { occurrenceOps } from './occurrences.js';
import { planningOps } from './planning.js';
import { cadenceShared } from './shared.js';
import { registerCadenceTimers } from './timers.js';
import type { CadenceService, CadenceServiceOptions } from './types.js';

export { announcementTemplate } from './announcement.js';
export { ACTION_KIND, FIRE_KIND, FOLLOWUP_KIND, REMIND_KIND, type BlockingEvent, type CadenceService, type CadenceServiceOptions, type RsvpBy } from './types.js';

export function createCadenceService(opts: CadenceServiceOptions): CadenceService {
  const shared = cadenceShared(opts);
  const service: CadenceService = {
    store: opts.store,
    calendars: shared.calendars,
    upcoming: (c, n, after = shared.now()) => nextOccurrences(shared.timing(c), after, n),
    ...planningOps(opts, shared),
    ...occurrenceOps(opts, shared),
    publish: shared.publish,
    ...actionOps(opts, shared),
    ...blockingOps(opts, shared),
  };
  registerCadenceTimers(opts, shared, service);
  return service;
}
