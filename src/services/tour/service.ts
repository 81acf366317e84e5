/**
 * Tours of duty: a person joins a host team for a while. The tour is an absence of kind `tour`,
 * so the queue rule keeps them out of their home teams' rotations (their place is kept), and the
 * host rotation's schedule takes them into its queue from the tour record (plan-layer.ts); both
 * revert by themselves at the end. Every change re-plans the handoffs of both sides. Timers, id =
 * tour id, are in timers.ts (start, mid-tour check-in, end). Messages go through the delivery
 * queue under keys per tour and event, so nothing doubles.
 *
 *   types.ts    the interface, deps and timer payload
 *   shared.ts   targets, the tour as templates see it, messages, timer planning
 *   timers.ts   tour-start, tour-checkin, tour-end
 *   changes.ts  assign, move the end (asking for cover), lessons learned
 */
import { changeOps } from './changes.js';
import { tourShared } from './shared.js';
import { registerTourTimers } from './timers.js';
import type { TourDeps, TourService } from './types.js';

export type { TourDeps, TourService } from './types.js';

export function createTourService(deps: TourDeps): TourService {
  const { store } = deps;
  const shared = tourShared(deps);
  registerTourTimers(deps, shared);
  return {
    ...changeOps(deps, shared),
    async current(at) {
      return (await store.all()).filter((t) => Date.parse(t.to) > at.getTime());
    },
    async activeFor(person, at) {
      return (await store.all()).find((t) => t.person === person && Date.parse(t.to) > at.getTime());
    },
    all: () => store.all(),
  };
}
