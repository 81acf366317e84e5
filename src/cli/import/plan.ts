/**
 * The plan an import prints before anything changes: per source schedule, what it becomes, what
 * was carried exactly, what was not and why, and every stretch where Day2 would differ from the
 * source's own timeline; then who was matched and the people: lines to add for everyone else.
 * The wording is templates/import/plan.hbs; this gathers what it shows.
 */
import type { Difference } from '../../domain/import/compare.js';
import type { Fragment } from '../../domain/import/fragment.js';
import type { ImportedSchedule } from '../../domain/import/model.js';
import type { PeopleMatch } from '../../domain/import/people.js';
import type { TextRenderer } from '../../render/text.js';

export interface PlanInput {
  vendor: string;
  schedules: readonly { mapped: ImportedSchedule; differences: readonly Difference[] }[];
  fragment: Fragment;
  match: PeopleMatch;
  now: number;
  until: number;
  applyOverrides: boolean;
}

export function planText(p: PlanInput, text: TextRenderer): string {
  const schedules = p.schedules.map(({ mapped: s, differences }) => {
    const rotation = p.fragment.rotations.find((r) => r.id === s.id);
    return {
      name: s.name,
      sourceId: s.sourceId,
      rotation: rotation && { id: rotation.id, team: rotation.team, layers: rotation.layers.map((l) => ({ name: l.name, slot: l.slot })) },
      notes: s.notes,
      overrides: s.overrides.length,
      differences,
    };
  });
  const { vendor, now, until, applyOverrides, match } = p;
  return text.render('plan', { vendor, now, until, applyOverrides, schedules, matched: match.matched, unmatched: match.unmatched });
}
