/**
 * Timers of a tour, id = tour id (moved when a tour is ended early or extended):
 *   tour-start    announce to the host and home teams, DM the start checklist
 *   tour-checkin  mid-tour check-in DM, at the midpoint of the tour as it stands: moved when the
 *                 end moves, dropped once sent, ended or past
 *   tour-end      announce the end to both teams, DM the lessons-learned questionnaire
 * Messages go through the delivery queue under keys per tour and event, so nothing doubles.
 */
import { midpoint, type TourShared } from './shared.js';
import { timer, type TourDeps } from './types.js';

export function registerTourTimers(deps: TourDeps, shared: TourShared): void {
  const { store, scheduler } = deps;
  const { toTeams, toPerson } = shared;

  // Each handler re-reads the tour and checks the timer still matches it (an end moved later).
  scheduler.handle('tour-start', timer, async ({ id }) => {
    const t = await store.get(id);
    if (!t) return;
    await deps.deliveries.enqueue([...toTeams(t, `tour-${id}-start`, 'tour/started'), ...(await toPerson(t, `tour-${id}-checklist`, 'tour/checklist'))]);
  });
  scheduler.handle('tour-checkin', timer, async ({ id }, ctx) => {
    const t = await store.get(id);
    if (!t || t.endedEarlyAt || t.checkedInAt || Math.abs(midpoint(t) - ctx.scheduledFor.getTime()) > 1000) return;
    await deps.deliveries.enqueue(await toPerson(t, `tour-${id}-checkin`, 'tour/checkin'));
    await store.update(id, (x) => ({ ...x, checkedInAt: x.checkedInAt ?? ctx.scheduledFor.toISOString() }));
  });
  scheduler.handle('tour-end', timer, async ({ id }, ctx) => {
    const t = await store.get(id);
    if (!t || Math.abs(Date.parse(t.to) - ctx.scheduledFor.getTime()) > 1000) return;
    await deps.deliveries.enqueue([...toTeams(t, `tour-${id}-end-${Date.parse(t.to)}`, 'tour/ended'), ...(await toPerson(t, `tour-${id}-lessons`, 'tour/lessons'))]);
  });
}
