/**
 * The plan an import prints before anything changes: per source schedule, what it becomes, what
 * was carried exactly, what was not and why, and every stretch where Day2 would differ from the
 * source's own timeline; then who was matched and the people: lines to add for everyone else.
 */
import type { Difference } from '../../domain/import/compare.js';
import type { Fragment } from '../../domain/import/fragment.js';
import type { ImportedSchedule, NoteKind } from '../../domain/import/model.js';
import type { PeopleMatch } from '../../domain/import/people.js';
import { count } from '../../domain/wording.js';

const MARK: Record<NoteKind, string> = { exact: '✔ carried exactly:', 'not-carried': '✖ not carried:', difference: '≠ differs:' };

const iso = (ms: number) => new Date(ms).toISOString().replace(':00.000Z', 'Z');
const who = (xs: readonly string[]) => (xs.length === 0 ? 'nobody' : xs.join(' + '));

export interface PlanInput {
  vendor: string;
  schedules: readonly { mapped: ImportedSchedule; differences: readonly Difference[] }[];
  fragment: Fragment;
  match: PeopleMatch;
  now: number;
  until: number;
  applyOverrides: boolean;
}

function schedulePlan(p: PlanInput, s: ImportedSchedule, differences: readonly Difference[]): string[] {
  const rotation = p.fragment.rotations.find((r) => r.id === s.id);
  const lines = [
    rotation
      ? `${p.vendor} schedule "${s.name}" (${s.sourceId}) → rotation "${rotation.id}" of team "${rotation.team}", ${count(rotation.layers.length, 'layer')}: ${rotation.layers.map((l) => `${l.name}${l.slot ? ` (slot ${l.slot})` : ''}`).join(', ')}`
      : `${p.vendor} schedule "${s.name}" (${s.sourceId}) → nothing: it has no rotation from now on`,
  ];
  for (const n of s.notes) lines.push(`  ${MARK[n.kind]} ${n.text}`);
  if (s.overrides.length > 0) {
    lines.push(`  overrides from now on: ${s.overrides.length}, ${p.applyOverrides ? 'applied as Day2 overrides (keyed by their source id)' : 'not applied (add --apply-overrides to store them in Day2)'}`);
  }
  lines.push(`  equivalence with ${p.vendor}'s own timeline, ${iso(p.now)} → ${iso(p.until)}: ${differences.length === 0 ? 'identical, minute for minute' : count(differences.length, 'difference')}`);
  for (const d of differences) lines.push(`    ≠ ${d.slot} ${iso(d.from)} → ${iso(d.to)}: ${p.vendor} has ${who(d.source)}, Day2 would have ${who(d.day2)}`);
  return lines;
}

export function planText(p: PlanInput): string {
  const lines = [`Import plan (${p.vendor}; nothing has changed yet)`, ''];
  for (const { mapped, differences } of p.schedules) lines.push(...schedulePlan(p, mapped, differences), '');
  if (p.match.matched.length > 0) {
    lines.push('People matched:');
    for (const m of p.match.matched) lines.push(`  ${m.source.name}${m.source.email ? ` <${m.source.email}>` : ''} → ${m.id} (by ${m.by})`);
  }
  if (p.match.unmatched.length > 0) {
    lines.push(`People Day2 does not know (${p.match.unmatched.length}) — add these lines under people: in day2.yaml (the fragment has them too):`);
    for (const u of p.match.unmatched) lines.push(`  - { id: ${u.entry.id}, name: ${JSON.stringify(u.entry.name)}${u.entry.email ? `, email: ${u.entry.email}` : ''} }`);
  }
  return lines.join('\n');
}
