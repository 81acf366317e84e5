/**
 * What every part of the tours service shares: where the host and home teams and the guest are
 * reached, a tour as templates see it, messages to both teams or to the guest, and planning the
 * tour's timers (start, mid-tour check-in, end).
 */
import type { Tour } from '../../store/tour/store.js';
import type { DeliveryRequest, DeliveryTarget } from '../../delivery/service.js';
import { oncallTargets } from '../oncall/targets.js';
import type { TourDeps } from './types.js';

export type TourShared = ReturnType<typeof tourShared>;

export const midpoint = (t: Tour) => Date.parse(t.from) + Math.floor((Date.parse(t.to) - Date.parse(t.from)) / 2);

export function tourShared(deps: TourDeps) {
  const { oncall, scheduler } = deps;

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

  return { teamTargets, toTeams, toPerson, plan, planCheckin };
}
