/**
 * The queue rule for one layer: who gets each turn before swaps and overrides.
 *
 *   - Each turn goes to the first member of the queue who is available for the whole turn (no
 *     absence overlaps any of its active stretches); that member then moves to the back.
 *   - Members who are away keep their place, so they serve first when they are back.
 *   - Nobody available, or an empty queue: the turn is an explicit gap.
 *   - Chat edits apply at their instant: an added member goes to the back of the queue, so no turn
 *     already planned before theirs moves; a removed member leaves the queue (nobody else's order
 *     changes), and if they held the current turn its rest becomes an explicit gap.
 *   - Restricted layers only count turns that have an active stretch; a turn wholly outside the
 *     active windows does not exist and charges nobody.
 *   - Guests (people on a tour of duty with the team) join the back of the queue at the tour's
 *     start, like an added member. They are unavailable for any turn with a stretch past the
 *     tour's end (as known when the turn starts), so they keep their place and never hold a turn
 *     they could not finish; at the end they leave the queue without leaving a gap. A tour ended
 *     early while the guest holds a turn cuts it there: its rest is a `tour-ended` gap. The tour's
 *     own absence (what keeps them out of their home rotations) does not apply here.
 *
 * The queue is a simulation from the anchor, so its state at any turn depends on every turn
 * before it. For day/week/month turns without a restriction nothing is skipped, so until the first
 * turn touched by an absence or an edit each turn simply rotates the queue by one: that stretch
 * is jumped over with one modulo instead of walked (what keeps "who is on now" fast for rotations
 * anchored years ago). Restricted layers and 1–2 hour turns are walked from the anchor.
 */
import { activePieces, type Interval } from './restriction.js';
import { TurnClock } from './turn-clock.js';
import type { Absence, Guest, LayerDecl, MemberEdit, Turn } from './types.js';

export interface LayerPlanInput {
  layer: LayerDecl;
  zone: string;
  /** Absences of anyone (those of non-members are ignored). */
  absences: readonly Absence[];
  /** Edits to this layer's queue. */
  edits: readonly MemberEdit[];
  /** Guests who join this layer's queue for their tour. */
  guests?: readonly Guest[];
}

/** A change to the queue at an instant: a chat edit, or a guest arriving or leaving. */
interface QueueEvent {
  at: number;
  person: string;
  kind: 'add' | 'remove' | 'tour-end';
}

const finalEnd = (g: Guest): number => (g.ends[g.ends.length - 1]?.to ?? g.from).getTime();

/** The tour's end as it stood at instant `t` (the first one for instants before any change). */
function endKnownAt(g: Guest, t: number): number {
  let end = g.ends[0]?.to ?? g.from;
  for (const e of g.ends) if (e.at.getTime() <= t) end = e.to;
  return end.getTime();
}

/** Turns of the layer that overlap `[from, to)` (ms), in order, with their whole pieces. */
export function planLayer(input: LayerPlanInput, from: number, to: number): Turn[] {
  const { layer, zone } = input;
  const clock = new TurnClock(layer.anchor, layer.turn, zone);
  if (to <= from) return [];
  const kLast = clock.indexAt(to - 1);
  if (kLast < 0) return [];
  const kFirst = Math.max(0, clock.indexAt(from));
  const slot = layer.slot ?? layer.name;

  // A tour ended before it began never happened.
  const guests = (input.guests ?? []).filter((g) => finalEnd(g) > g.from.getTime());
  const ownTours = new Set(guests.flatMap((g) => (g.absenceId ? [g.absenceId] : [])));
  const absences = input.absences.filter((a) => !(a.kind === 'tour' && ownTours.has(a.id)));
  const awayBy = new Map<string, Absence[]>();
  for (const a of absences) {
    const list = awayBy.get(a.person);
    if (list) list.push(a);
    else awayBy.set(a.person, [a]);
  }
  const edits: QueueEvent[] = [
    ...input.edits.map((e) => ({ at: e.at.getTime(), person: e.person, kind: e.kind })),
    ...guests.flatMap((g): QueueEvent[] => [{ at: g.from.getTime(), person: g.person, kind: 'add' }, { at: finalEnd(g), person: g.person, kind: 'tour-end' }]),
  ].sort((x, y) => x.at - y.at);
  /** The guest's tour that has them in the queue at `t`, if that is why they are in it. */
  const tourAt = (person: string, t: number) => guests.find((g) => g.person === person && g.from.getTime() <= t && t < finalEnd(g));
  const available = (person: string, pieces: Interval[], start: number) => {
    if ((awayBy.get(person) ?? []).some((a) => pieces.some((p) => a.from.getTime() < p.end && a.to.getTime() > p.start))) return false;
    const tour = tourAt(person, start);
    return !tour || pieces.every((p) => p.end <= endKnownAt(tour, start));
  };

  let queue = [...layer.members];
  let k = 0;
  // Short hourly turns can vanish in a spring-forward gap (and then charge nobody), so they are
  // walked; two hours or more always keep at least an hour.
  const noEmptyTurns = layer.turn.unit !== 'hours' || layer.turn.count >= 3;
  if (!layer.restriction && noEmptyTurns) {
    // Jump over the plain stretch: turns before the first one any absence or edit can touch.
    let kEvent = kFirst;
    for (const e of edits) kEvent = Math.min(kEvent, Math.max(0, clock.indexAt(e.at)));
    for (const a of absences) kEvent = Math.min(kEvent, Math.max(0, clock.indexAt(a.from.getTime())));
    if (queue.length > 0) {
      const n = kEvent % queue.length;
      queue = [...queue.slice(n), ...queue.slice(0, n)];
    }
    k = kEvent;
  }

  const out: Turn[] = [];
  let nextEdit = 0;
  const apply = (e: QueueEvent) => {
    if (e.kind === 'add') {
      if (!queue.includes(e.person)) queue.push(e.person);
    } else {
      queue = queue.filter((p) => p !== e.person);
    }
  };
  // Edits before the first simulated turn were already in force when it started.
  for (; k <= kLast; k++) {
    const s = clock.boundary(k);
    const e = clock.boundary(k + 1);
    if (e <= s) continue; // a handoff swallowed by a DST gap: no such turn
    const pieces = activePieces(s, e, layer.restriction, zone);
    while (nextEdit < edits.length && edits[nextEdit]!.at <= s) apply(edits[nextEdit++]!);
    if (pieces.length === 0) continue;

    let person: string | null = null;
    let gap: Turn['gap'];
    if (queue.length === 0) gap = 'empty-queue';
    else {
      const i = queue.findIndex((p) => available(p, pieces, s));
      if (i < 0) gap = 'nobody-available';
      else {
        person = queue[i]!;
        queue.splice(i, 1);
        queue.push(person);
      }
    }

    // Edits during the turn change the queue for later turns; removing the holder (or their tour
    // ending early) cuts this one.
    let cutAt: number | undefined;
    let cutWhy: Turn['gap'];
    while (nextEdit < edits.length && edits[nextEdit]!.at < e) {
      const edit = edits[nextEdit++]!;
      apply(edit);
      if (edit.kind !== 'add' && edit.person === person && cutAt === undefined) {
        cutAt = edit.at;
        cutWhy = edit.kind === 'remove' ? 'member-removed' : 'tour-ended';
      }
    }

    if (k < kFirst) continue;
    const base = { layer: layer.name, slot, start: new Date(s), end: new Date(e) };
    const toDates = (list: Interval[]) => list.map((p) => ({ start: new Date(p.start), end: new Date(p.end) }));
    if (cutAt === undefined) {
      out.push({ ...base, pieces: toDates(pieces), person, ...(gap ? { gap } : {}) });
    } else {
      const at = cutAt;
      const before = pieces.filter((p) => p.start < at).map((p) => ({ start: p.start, end: Math.min(p.end, at) }));
      const after = pieces.filter((p) => p.end > at).map((p) => ({ start: Math.max(p.start, at), end: p.end }));
      if (before.length > 0) out.push({ ...base, pieces: toDates(before), person });
      if (after.length > 0) out.push({ ...base, pieces: toDates(after), person: null, gap: cutWhy ?? 'member-removed' });
    }
  }
  return out;
}
