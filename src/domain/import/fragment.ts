/**
 * The git-native result of an import: a fragment of day2.yaml (people to add, teams, rotations)
 * built from the mapped schedules, with every source id replaced by the Day2 person it matched.
 * Nothing here touches a file: the command line writes it where it was told to.
 */
import type { Day2Person, PeopleMatch } from './people.js';
import { slugOf, type ImportedSchedule, type Note, type RestrictionText } from './model.js';

export interface TeamEntry {
  id: string;
  name: string;
  members: string[];
  managers?: string[];
}

export interface LayerEntry {
  name: string;
  slot?: string;
  precedence: number;
  timezone?: string;
  members: string[];
  anchor: string;
  turn: string;
  restriction?: RestrictionText;
}

export interface RotationEntryText {
  id: string;
  team: string;
  timezone: string;
  anchor: string;
  turn: string;
  layers: LayerEntry[];
}

export interface Fragment {
  people: Day2Person[];
  teams: TeamEntry[];
  rotations: RotationEntryText[];
  /** Day2 waits this long for an acknowledgement before escalating (one setting for every team). */
  alerts?: { ackTimeoutSeconds: { high: number } };
}

export interface ExistingConfig {
  teams: readonly TeamEntry[];
  rotations: readonly { id: string; team: string }[];
}

/** A name unused in `taken` (adds it): `base`, then `base-2`, `base-3` … */
function fresh(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 58)}-${n}`;
  taken.add(id);
  return id;
}

/** The team a schedule's rotation goes in: its owner team, unless that team already has another rotation. */
function teamFor(s: ImportedSchedule, existing: ExistingConfig, busy: Map<string, string>, notes: Note[]): { id: string; name: string } {
  const want = existing.teams.find((t) => t.name.toLowerCase() === s.teamName.toLowerCase())?.id ?? slugOf(s.teamName, 'team');
  const holder = busy.get(want);
  if (holder === undefined || holder === s.id) return { id: want, name: existing.teams.find((t) => t.id === want)?.name ?? s.teamName };
  // Day2 keeps one rotation per team (layers make primary/secondary): a second schedule gets its own team.
  const id = slugOf(s.name, 'team');
  notes.push({ kind: 'difference', text: `team "${want}" already has rotation "${holder}": this schedule goes in a team of its own, "${id}"` });
  return { id, name: s.name };
}

export function buildFragment(schedules: readonly ImportedSchedule[], match: PeopleMatch, existing: ExistingConfig): Fragment {
  const person = (sourceId: string) => match.ids.get(sourceId) ?? sourceId;
  const busy = new Map(existing.rotations.map((r) => [r.team, r.id]));
  const teams = new Map<string, TeamEntry>();
  const rotations: RotationEntryText[] = [];
  let ack: number | undefined;
  for (const s of schedules) {
    if (s.layers.length === 0) continue;
    const team = teamFor(s, existing, busy, s.notes);
    busy.set(team.id, s.id);
    const names = new Set<string>();
    const layers = s.layers.map((l): LayerEntry => ({
      name: fresh(l.name, names),
      ...(l.slot !== l.name ? { slot: l.slot } : {}),
      precedence: l.precedence,
      ...(l.zone !== s.zone ? { timezone: l.zone } : {}),
      members: l.members.map(person),
      anchor: l.anchor,
      turn: l.turn,
      ...(l.restriction ? { restriction: l.restriction } : {}),
    }));
    const first = layers[0]!;
    rotations.push({ id: s.id, team: team.id, timezone: s.zone, anchor: first.anchor, turn: first.turn, layers });
    const before = teams.get(team.id) ?? existing.teams.find((t) => t.id === team.id);
    const managers = new Set([...(before?.managers ?? []), ...(s.managers ?? []).map(person)]);
    const members = new Set(before?.members ?? []);
    for (const l of layers) for (const m of l.members) if (!managers.has(m)) members.add(m);
    for (const m of (s.teamMembers ?? []).map(person)) if (!managers.has(m)) members.add(m);
    for (const o of s.overrides) if (!managers.has(person(o.person))) members.add(person(o.person));
    teams.set(team.id, { id: team.id, name: before?.name ?? team.name, members: [...members], ...(managers.size > 0 ? { managers: [...managers] } : {}) });
    if (s.ackTimeoutSeconds !== undefined) {
      // Day2 has one acknowledgement timeout for all teams: the first schedule's sets it.
      if (ack === undefined) ack = s.ackTimeoutSeconds;
      else if (ack !== s.ackTimeoutSeconds) s.notes.push({ kind: 'difference', text: `waits ${s.ackTimeoutSeconds}s before escalating, but Day2 has one timeout for every team: ${ack}s, from an earlier schedule` });
    }
  }
  return { people: match.unmatched.map((u) => u.entry), teams: [...teams.values()], rotations, ...(ack !== undefined ? { alerts: { ackTimeoutSeconds: { high: ack } } } : {}) };
}
