/**
 * Day2's side of the proof: the existing config with the fragment merged in, parsed by Day2's own
 * config schema, resolved by Day2's own resolver (with the imported overrides), and compared with
 * the source's rendered timeline.
 */
import { createHash } from 'node:crypto';
import { parse, stringify } from 'yaml';
import { parseConfig, type Config, type ConfigProblem } from '../../config.js';
import { compareTimelines, type Difference, type Holding } from '../../domain/import/compare.js';
import type { Fragment } from '../../domain/import/fragment.js';
import type { ImportedSchedule, SourceShift } from '../../domain/import/model.js';
import type { PeopleMatch } from '../../domain/import/people.js';
import { toRotationDecl } from '../../domain/oncall/config.js';
import { resolveSchedule } from '../../domain/oncall/resolve.js';
import { noChanges, type Override } from '../../domain/oncall/types.js';

type Raw = Record<string, unknown>;

const byId = <T extends { id: string }>(before: unknown, added: readonly T[]): unknown[] => {
  const list = Array.isArray(before) ? [...(before as { id?: string }[])] : [];
  for (const a of added) {
    const i = list.findIndex((x) => x.id === a.id);
    if (i >= 0) list[i] = a;
    else list.push(a);
  }
  return list;
};

/** The config text with the fragment in it: people added, teams and rotations replaced by id or added. */
export function mergeFragment(raw: Raw, f: Fragment): Raw {
  const merged: Raw = { ...raw, people: byId(raw.people, f.people), teams: byId(raw.teams, f.teams), rotations: byId(raw.rotations, f.rotations) };
  if (f.alerts) {
    const alerts = (raw.alerts ?? {}) as Raw;
    merged.alerts = { ...alerts, ackTimeoutSeconds: { ...((alerts.ackTimeoutSeconds ?? {}) as Raw), ...f.alerts.ackTimeoutSeconds } };
  }
  return merged;
}

export type Merged = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

export function parseMerged(configText: string | undefined, f: Fragment): Merged {
  const raw = (configText === undefined ? {} : (parse(configText) as Raw | null)) ?? {};
  return parseConfig(stringify(mergeFragment(raw, f)));
}

/** The Day2 override id of a source override: derived from its source id alone, so a re-run finds it. */
export const importedOverrideId = (sourceId: string) => `imp-${createHash('sha256').update(sourceId).digest('hex').slice(0, 12)}`;

/** Day2 overrides from imported ones. */
export function day2Overrides(s: ImportedSchedule, match: PeopleMatch, now: number): Override[] {
  // Overlapping overrides: the one listed later wins, as Day2's later-created rule would have it.
  return s.overrides.map((o, i) => ({ id: importedOverrideId(o.sourceId), slot: o.slot, person: match.ids.get(o.person) ?? o.person, from: o.from, to: o.to, createdAt: new Date(now + i), reason: 'override' as const }));
}

export function compareSchedule(config: Config, s: ImportedSchedule, shifts: readonly SourceShift[], match: PeopleMatch, now: number, until: number): Difference[] {
  const source: Holding[] = shifts
    .filter((x) => x.to > now && x.from < until)
    .map((x) => ({ slot: x.slot, who: x.person !== null ? (match.ids.get(x.person) ?? `(${x.label})`) : `(${x.label})`, from: x.from, to: x.to }));
  const entry = config.rotations.find((r) => r.id === s.id);
  const ours: Holding[] = [];
  if (entry) {
    const decl = toRotationDecl(entry, config.timezone);
    const changes = { ...noChanges(), overrides: day2Overrides(s, match, now) };
    for (const seg of resolveSchedule({ versions: [{ from: new Date(0), decl }], changes }, new Date(now), new Date(until))) {
      if (seg.person !== null) ours.push({ slot: seg.slot, who: seg.person, from: seg.start.getTime(), to: seg.end.getTime() });
    }
  }
  return compareTimelines(source, ours, now, until);
}
