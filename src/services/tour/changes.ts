/**
 * Changes to tours: assigning one (its absence keeps the guest out of their home rotations),
 * moving its end (extended, or ended early: the host team is asked for cover when the guest was
 * on duty), and posting its lessons learned. Each change re-plans the rotations of both sides.
 */
import { randomUUID } from 'node:crypto';
import { endsOf, type Tour } from '../../store/tour/store.js';
import type { TourShared } from './shared.js';
import type { TourDeps, TourService } from './types.js';

export function changeOps(deps: TourDeps, shared: TourShared): Pick<TourService, 'assign' | 'moveEnd' | 'lessons'> {
  const { store, oncall, scheduler } = deps;
  const { teamTargets, toTeams, plan, planCheckin } = shared;

  /**
   * A tour ended early while the guest was on duty in the host rotation leaves the rest of that
   * turn uncovered from now: the handoff is now, not ahead, so no timer announces it. Ask the host
   * team at once, as a removal mid-turn does.
   */
  const askForCover = async (t: Tour, at: Date) => {
    const rotation = oncall.entryForTeam(t.host);
    if (!rotation) return;
    for (const d of await oncall.duty(rotation.id, at)) {
      const gap = d.current;
      if (gap?.gap !== 'tour-ended') continue;
      const message = deps.renderer.render('oncall/handoff-channel', {
        team: oncall.team(t.host)?.name ?? t.host, slot: d.slot, at, until: d.until ?? gap.end, incoming: null, outgoing: `person:${t.person}`, gap: gap.gap,
        cover: `${rotation.id}|${d.slot}|${gap.start.getTime()}|${gap.end.getTime()}`,
      });
      await deps.deliveries.enqueue(teamTargets(t.host).map((target) => ({ key: `tour-${t.id}-cover-${d.slot}`, revision: 1, target, message })));
    }
  };

  return {
    async assign(input, now) {
      const homeTeams = oncall.teamsOf(input.person).filter((x) => x !== input.host);
      const absence = await oncall.addLeave(input.person, input.from, input.to, 'tour', now, input.assignedBy);
      const to = input.to.toISOString();
      const t: Tour = { id: randomUUID().slice(0, 8), person: input.person, host: input.host, homeTeams, from: input.from.toISOString(), to, ...(input.goal ? { goal: input.goal } : {}), assignedBy: input.assignedBy, createdAt: now.toISOString(), absenceId: absence.id, ends: [{ to, at: now.toISOString() }] };
      await store.create(t);
      await oncall.tourChanged(t.host, now);
      await plan(t);
      return t;
    },
    async moveEnd(tour, to, now) {
      const early = to.getTime() <= now.getTime();
      // The history of ends keeps turns that had begun under the old end as they were.
      const t = await store.update(tour.id, (x) => ({ ...x, to: to.toISOString(), ends: [...endsOf(x), { to: to.toISOString(), at: now.toISOString() }], ...(early ? { endedEarlyAt: now.toISOString() } : {}) }));
      await oncall.moveAbsenceEnd(t.person, t.absenceId, to, now);
      await oncall.tourChanged(t.host, now);
      if (Date.parse(t.from) >= to.getTime()) {
        // Ended before it began: nothing to announce.
        await scheduler.cancel('tour-start', t.id);
        await scheduler.cancel('tour-checkin', t.id);
        await scheduler.cancel('tour-end', t.id);
      } else {
        await scheduler.at('tour-end', t.id, to, { id: t.id });
        await planCheckin(t, now);
      }
      if (early) await askForCover(t, to);
      return t;
    },
    async lessons(tourId, answers, now) {
      const t = await store.update(tourId, (x) => ({ ...x, lessons: { ...answers, at: now.toISOString() } }));
      await deps.deliveries.enqueue(toTeams(t, `tour-${tourId}-lessons-posted`, 'tour/lessons-posted'));
      return t;
    },
  };
}
