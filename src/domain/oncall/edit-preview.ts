/**
 * What a queue edit would change: the turns whose holder differs with and without it, so a
 * manager sees every turn that moves before confirming, and the people affected can be told.
 */
import { mainLayerOf, resolveSchedule, versionAt, type ScheduleInput } from './resolve.js';
import type { MemberEdit, Segment } from './types.js';

export interface MovedTurn {
  layer: string;
  start: Date;
  end: Date;
  before: string | null;
  after: string | null;
}

const DAY = 86_400_000;

/** Who holds each turn (rotation, swap or gap; overrides sit on top and do not move). */
function holders(segs: readonly Segment[]): Map<string, MovedTurn> {
  const out = new Map<string, MovedTurn>();
  for (const s of segs) {
    if (s.source === 'override') continue;
    const k = `${s.layer}@${s.turnStart.getTime()}`;
    if (!out.has(k)) out.set(k, { layer: s.layer, start: s.turnStart, end: s.turnEnd, before: s.person, after: s.person });
  }
  return out;
}

/** How far to look: four of the longest turns, at least four weeks, at most about half a year. */
export function previewHorizonMs(input: ScheduleInput, at: Date): number {
  let longest = DAY;
  for (const l of versionAt(input.versions, at)?.layers ?? []) {
    const unit = l.turn.unit === 'hours' ? DAY / 24 : l.turn.unit === 'days' ? DAY : l.turn.unit === 'weeks' ? 7 * DAY : 31 * DAY;
    longest = Math.max(longest, unit * l.turn.count);
  }
  return Math.min(Math.max(4 * longest, 28 * DAY), 190 * DAY);
}

export function previewEdit(input: ScheduleInput, edit: MemberEdit, horizonMs = previewHorizonMs(input, edit.at)): MovedTurn[] {
  const from = edit.at;
  const to = new Date(from.getTime() + horizonMs);
  const before = holders(resolveSchedule(input, from, to));
  const after = holders(resolveSchedule({ ...input, changes: { ...input.changes, memberEdits: [...input.changes.memberEdits, edit] } }, from, to));
  const moved: MovedTurn[] = [];
  for (const [k, a] of after) {
    const b = before.get(k);
    if (!b || b.before !== a.after) moved.push({ ...a, before: b?.before ?? null });
  }
  return moved.sort((x, y) => x.start.getTime() - y.start.getTime());
}

/**
 * The queue of a layer at `at`: the declaration's members with the edits up to then applied, and
 * (on the main layer) the guests on tour then.
 */
export function queueAt(input: ScheduleInput, layer: string, at: Date): string[] {
  const decl = versionAt(input.versions, at);
  let queue = [...(decl?.layers.find((l) => l.name === layer)?.members ?? [])];
  for (const e of [...input.changes.memberEdits].sort((x, y) => x.at.getTime() - y.at.getTime())) {
    if (e.layer !== layer || e.at.getTime() > at.getTime()) continue;
    if (e.kind === 'add' && !queue.includes(e.person)) queue.push(e.person);
    if (e.kind === 'remove') queue = queue.filter((p) => p !== e.person);
  }
  if (decl && mainLayerOf(decl)?.name === layer) {
    for (const g of input.changes.guests ?? []) {
      const end = g.ends[g.ends.length - 1]?.to ?? g.from;
      if (g.from.getTime() <= at.getTime() && at.getTime() < end.getTime() && !queue.includes(g.person)) queue.push(g.person);
    }
  }
  return queue;
}
