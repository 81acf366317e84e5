/**
 * Tours of duty: a person joins a host team for a while. The tour is an absence of kind `tour`,
 * so the queue rule keeps them out of their home teams' rotations (their place is kept), and the
 * host rotation's schedule takes them into its queue from the tour record (plan-layer.ts); both
 * revert by themselves at the end. Every change re-plans the handoffs of both sides. Timers, id = tour id (moved when a tour is ended early or extended):
 *   tour-start    announce to the host and home teams, DM the start checklist
 *   tour-checkin  mid-tour check-in DM, at the midpoint of the tour as it stands: moved when the
 *                 end moves, dropped once sent, ended or past
 *   tour-end      announce the end to both teams, DM the lessons-learned questionnaire
 * Messages go through the delivery queue under keys per tour and event, so nothing doubles.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Platform } from '../../chat/port.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import { endsOf, type Tour, type TourStore } from '../../store/tour/store.js';
import type { DeliveryRequest, DeliveryService, DeliveryTarget } from '../../delivery/service.js';
import type { OncallService } from '../oncall/service.js';
import { oncallTargets } from '../oncall/targets.js';
import type { Scheduler } from '../../delivery/scheduler.js';

export interface TourDeps {
  store: TourStore;
  oncall: OncallService;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  platforms: () => ReadonlySet<Platform>;
  log: Logger;
}

export interface TourService {
  assign(t: { person: string; host: string; from: Date; to: Date; goal?: string; assignedBy: string }, now: Date): Promise<Tour>;
  /** Tours not over at `at`, soonest first. */
  current(at: Date): Promise<Tour[]>;
  /** The person's tour that is running or ahead at `at`. */
  activeFor(person: string, at: Date): Promise<Tour | undefined>;
  moveEnd(tour: Tour, to: Date, now: Date): Promise<Tour>;
  all(): Promise<Tour[]>;
  /** Lessons learned, posted to both teams and kept on the tour. */
  lessons(tourId: string, answers: { well: string; change: string }, now: Date): Promise<Tour>;
}

const timer = z.object({ id: z.string() });

export function createTourService(deps: TourDeps): TourService {
  const { store, oncall, scheduler } = deps;

  const targets = oncallTargets(oncall, deps.platforms);
  const teamTargets = (teamId: string): DeliveryTarget[] => targets.team(teamId);
  const dms = (person: string) => targets.person(person);
  const view = (t: Tour) => ({
    id: t.id,
    person: `person:${t.person}`,
    host: oncall.team(t.host)?.name ?? t.host,
    home: t.homeTeams.map((h) => oncall.team(h)?.name ?? h),
    from: new Date(t.from),
    to: new Date(t.to),
    goal: t.goal ?? null,
    lessons: t.lessons ?? null,
  });
  const toTeams = (t: Tour, key: string, template: string): DeliveryRequest[] => {
    const message = deps.renderer.render(template, view(t));
    return [t.host, ...t.homeTeams].flatMap((team) => teamTargets(team).map((target) => ({ key, revision: 1, target, message })));
  };
  const toPerson = async (t: Tour, key: string, template: string): Promise<DeliveryRequest[]> => {
    const message = deps.renderer.render(template, view(t));
    return (await dms(t.person)).map((target) => ({ key, revision: 1, target, message }));
  };
  const midpoint = (t: Tour) => Date.parse(t.from) + Math.floor((Date.parse(t.to) - Date.parse(t.from)) / 2);
  const plan = async (t: Tour) => {
    await scheduler.at('tour-start', t.id, new Date(t.from), { id: t.id });
    await scheduler.at('tour-checkin', t.id, new Date(midpoint(t)), { id: t.id });
    await scheduler.at('tour-end', t.id, new Date(t.to), { id: t.id });
  };
  /** The check-in at the midpoint of the tour as it stands now, or none when it is sent, ended or past. */
  const planCheckin = async (t: Tour, now: Date) => {
    if (t.checkedInAt || t.endedEarlyAt || midpoint(t) <= now.getTime()) await scheduler.cancel('tour-checkin', t.id);
    else await scheduler.at('tour-checkin', t.id, new Date(midpoint(t)), { id: t.id });
  };

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
    async current(at) {
      return (await store.all()).filter((t) => Date.parse(t.to) > at.getTime());
    },
    async activeFor(person, at) {
      return (await store.all()).find((t) => t.person === person && Date.parse(t.to) > at.getTime());
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
    all: () => store.all(),
    async lessons(tourId, answers, now) {
      const t = await store.update(tourId, (x) => ({ ...x, lessons: { ...answers, at: now.toISOString() } }));
      await deps.deliveries.enqueue(toTeams(t, `tour-${tourId}-lessons-posted`, 'tour/lessons-posted'));
      return t;
    },
  };
}
