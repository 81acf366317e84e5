/**
 * When leave or a tour is recorded (or moved), the hours it takes out of a turn its person keeps
 * become cover requests at once: a DM to the next available person with "I'll cover it" (the same
 * button as a gap announcement, commands/oncall/overrides.ts). Keys are built from the rotation,
 * slot and hours, so recording more leave re-asks only for new gaps, never twice for one.
 */
import { absenceCovers, type AbsenceCover } from '../../domain/oncall/absence-cover.js';
import type { HandoffDeps } from './handoff-types.js';
import { oncallTargets } from './targets.js';

const DAY = 86_400_000;
/** How far ahead absences are turned into cover requests (leave is rarely booked further out). */
export const COVER_HORIZON = 180 * DAY;

type AbsenceCoverDeps = Pick<HandoffDeps, 'oncall' | 'deliveries' | 'renderer' | 'platforms' | 'log'>;

/** The delivery key of one cover request: one per rotation, slot and stretch of hours. */
export const absenceCoverKey = (rotationId: string, c: Pick<AbsenceCover, 'slot' | 'start' | 'end'>) => `oncall-absent-${rotationId}-${c.slot}-${c.start.getTime()}-${c.end.getTime()}`;

export function registerAbsenceCover(deps: AbsenceCoverDeps): { raise(rotationId: string, now: Date): Promise<AbsenceCover[]> } {
  const { oncall } = deps;
  const targets = oncallTargets(oncall, deps.platforms);

  /** Ask for cover for every absent gap ahead in the rotation; answers what was asked. */
  const raise = async (rotationId: string, now: Date): Promise<AbsenceCover[]> => {
    const entry = oncall.entry(rotationId);
    if (!entry) return [];
    const to = new Date(now.getTime() + COVER_HORIZON);
    const input = await oncall.schedule(rotationId, now, { from: now, to });
    const covers = absenceCovers(await oncall.segments(rotationId, now, to, now), input, now);
    const team = oncall.team(entry.team)?.name ?? entry.team;
    for (const c of covers) {
      const message = deps.renderer.render('oncall/absence-cover', {
        team,
        slot: c.slot,
        absentee: `person:${c.absentee}`,
        start: c.start,
        end: c.end,
        hours: Math.round(((c.end.getTime() - c.start.getTime()) / 3_600_000) * 10) / 10,
        cover: `${rotationId}|${c.slot}|${c.start.getTime()}|${c.end.getTime()}`,
      });
      // Nobody else free: the team hears of it at the gap's start (the handoff post), as today.
      const to = c.offerTo ? await targets.person(c.offerTo) : [];
      if (to.length > 0) await deps.deliveries.enqueue(to.map((target) => ({ key: absenceCoverKey(rotationId, c), revision: 1, target, message })));
    }
    return covers;
  };

  oncall.onChange(async (change, now) => {
    if (change.kind !== 'leave' && change.kind !== 'tour') return;
    // The absence is saved already; a failure here is logged, and the gap is still announced at its start.
    await raise(change.rotationId, now).catch((e: unknown) => deps.log.error({ err: e, ...change }, 'on-call: raising cover requests for an absence failed'));
  });
  return { raise };
}
