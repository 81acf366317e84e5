/**
 * The queue rule for one layer: who gets each turn before swaps and overrides.
 *
 *   - Each turn goes to the first member of the queue who is there for most of it (away for less
 *     than half of its active time); that member then moves to the back.
 *   - Away for part of the turn (a tour or leave starting a few hours before its end): they keep
 *     the turn, and the hours they are away are an explicit `absent` gap, raised for cover when
 *     the absence is recorded. Losing the whole turn (and the queue moving on) for a few hours
 *     away would cost them a week for a night.
 *   - Away for half of the turn or more (the whole of it, or the week a tour ends on its last
 *     night): the turn goes to the next person and they keep their place, so they serve first
 *     when they are back. Holding a week they are there for one night of would turn six days
 *     into a gap.
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
import type { Absence, GapReason, Guest, LayerDecl, MemberEdit, Turn } from './types.js';

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

/** Whether `person` can serve a turn starting at `start` with these active pieces. */
type Availability = (person: string, pieces: Interval[], start: number) => boolean;

/** The stretches of `pieces` that `person` is away for (their absences cut to the pieces). */
type AwayPieces = (person: string, pieces: Interval[]) => Interval[];

/** The queue as the simulation walks it: its order now, and the events not applied yet. */
interface QueueWalk {
  queue: string[];
  events: readonly QueueEvent[];
  /** Index in `events` of the first one not applied yet. */
  next: number;
}

/** Where and why the holder's turn was cut short during the turn. */
interface Cut {
  at: number;
  why: GapReason;
}

const finalEnd = (g: Guest): number => (g.ends[g.ends.length - 1]?.to ?? g.from).getTime();

/** The tour's end as it stood at instant `t` (the first one for instants before any change). */
function endKnownAt(g: Guest, t: number): number {
  let end = g.ends[0]?.to ?? g.from;
  for (const e of g.ends) if (e.at.getTime() <= t) end = e.to;
  return end.getTime();
}

/** The guests whose tour happened, and the absences that apply here (not the guests' own tours). */
function guestsAndAbsences(input: LayerPlanInput): { guests: Guest[]; absences: Absence[] } {
  // A tour ended before it began never happened.
  const guests = (input.guests ?? []).filter((g) => finalEnd(g) > g.from.getTime());
  const ownTours = new Set(guests.flatMap((g) => (g.absenceId ? [g.absenceId] : [])));
  const absences = input.absences.filter((a) => !(a.kind === 'tour' && ownTours.has(a.id)));
  return { guests, absences };
}

/** Chat edits and guests arriving and leaving, in time order. */
function queueEvents(edits: readonly MemberEdit[], guests: readonly Guest[]): QueueEvent[] {
  return [
    ...edits.map((e) => ({ at: e.at.getTime(), person: e.person, kind: e.kind })),
    ...guests.flatMap((g): QueueEvent[] => [{ at: g.from.getTime(), person: g.person, kind: 'add' }, { at: finalEnd(g), person: g.person, kind: 'tour-end' }]),
  ].sort((x, y) => x.at - y.at);
}

/** Each person's absences as intervals cut to `pieces`, merged, in order. */
function awayPieces(absences: readonly Absence[]): AwayPieces {
  const awayBy = new Map<string, Absence[]>();
  for (const a of absences) {
    const list = awayBy.get(a.person);
    if (list) list.push(a);
    else awayBy.set(a.person, [a]);
  }
  return (person, pieces) => {
    const cut: Interval[] = [];
    for (const a of awayBy.get(person) ?? []) {
      for (const p of pieces) {
        const start = Math.max(p.start, a.from.getTime());
        const end = Math.min(p.end, a.to.getTime());
        if (end > start) cut.push({ start, end });
      }
    }
    return merge(cut);
  };
}

function merge(list: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of [...list].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && last.end >= i.start) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

const lengthOf = (list: Interval[]) => list.reduce((n, i) => n + i.end - i.start, 0);

/** Away for less than half of the turn's pieces, and (a guest) not past the tour's end known at its start. */
function availability(away: AwayPieces, guests: readonly Guest[]): Availability {
  /** The guest's tour that has them in the queue at `t`, if that is why they are in it. */
  const tourAt = (person: string, t: number) => guests.find((g) => g.person === person && g.from.getTime() <= t && t < finalEnd(g));
  return (person, pieces, start) => {
    if (2 * lengthOf(away(person, pieces)) >= lengthOf(pieces)) return false;
    const tour = tourAt(person, start);
    return !tour || pieces.every((p) => p.end <= endKnownAt(tour, start));
  };
}

/** The holder's turn with the hours they are away taken out as an explicit `absent` gap. */
function splitAway(turn: Turn, away: AwayPieces): Turn[] {
  if (turn.person === null) return [turn];
  const pieces = turn.pieces.map((p) => ({ start: p.start.getTime(), end: p.end.getTime() }));
  const gone = away(turn.person, pieces);
  if (gone.length === 0) return [turn];
  const kept: Interval[] = [];
  for (const p of pieces) {
    let at = p.start;
    for (const g of gone) {
      if (g.end <= at || g.start >= p.end) continue;
      if (g.start > at) kept.push({ start: at, end: g.start });
      at = Math.max(at, g.end);
    }
    if (at < p.end) kept.push({ start: at, end: p.end });
  }
  return [{ ...turn, pieces: toDates(kept) }, { ...turn, pieces: toDates(gone), person: null, gap: 'absent', absentee: turn.person }];
}

/**
 * Where the simulation starts: the anchor, or for a plain layer the first turn any absence or
 * edit can touch, with the queue rotated by one per turn jumped over.
 */
function simulationStart(input: LayerPlanInput, clock: TurnClock, kFirst: number, events: readonly QueueEvent[], absences: readonly Absence[]): { queue: string[]; k: number } {
  const { layer } = input;
  let queue = [...layer.members];
  // Short hourly turns can vanish in a spring-forward gap (and then charge nobody), so they are
  // walked; two hours or more always keep at least an hour.
  const noEmptyTurns = layer.turn.unit !== 'hours' || layer.turn.count >= 3;
  if (layer.restriction || !noEmptyTurns) return { queue, k: 0 };
  // Jump over the plain stretch: turns before the first one any absence or edit can touch.
  let kEvent = kFirst;
  for (const e of events) kEvent = Math.min(kEvent, Math.max(0, clock.indexAt(e.at)));
  for (const a of absences) kEvent = Math.min(kEvent, Math.max(0, clock.indexAt(a.from.getTime())));
  if (queue.length > 0) {
    const n = kEvent % queue.length;
    queue = [...queue.slice(n), ...queue.slice(0, n)];
  }
  return { queue, k: kEvent };
}

function applyEvent(walk: QueueWalk, e: QueueEvent): void {
  if (e.kind === 'add') {
    if (!walk.queue.includes(e.person)) walk.queue.push(e.person);
  } else {
    walk.queue = walk.queue.filter((p) => p !== e.person);
  }
}

/** Apply the events at or before `t` (they are in force when a turn starting at `t` begins). */
function applyEventsUntil(walk: QueueWalk, t: number): void {
  while (walk.next < walk.events.length && walk.events[walk.next]!.at <= t) applyEvent(walk, walk.events[walk.next++]!);
}

/**
 * Edits during the turn change the queue for later turns; removing the holder (or their tour
 * ending early) cuts this one.
 */
function applyEventsDuring(walk: QueueWalk, end: number, holder: string | null): Cut | undefined {
  let cut: Cut | undefined;
  while (walk.next < walk.events.length && walk.events[walk.next]!.at < end) {
    const edit = walk.events[walk.next++]!;
    applyEvent(walk, edit);
    if (edit.kind !== 'add' && edit.person === holder && cut === undefined) cut = { at: edit.at, why: edit.kind === 'remove' ? 'member-removed' : 'tour-ended' };
  }
  return cut;
}

/** Give the turn to the first available member, who moves to the back; or say why it is a gap. */
function takeTurn(walk: QueueWalk, available: Availability, pieces: Interval[], start: number): { person: string | null; gap?: GapReason } {
  if (walk.queue.length === 0) return { person: null, gap: 'empty-queue' };
  const i = walk.queue.findIndex((p) => available(p, pieces, start));
  if (i < 0) return { person: null, gap: 'nobody-available' };
  const person = walk.queue[i]!;
  walk.queue.splice(i, 1);
  walk.queue.push(person);
  return { person };
}

const toDates = (list: Interval[]) => list.map((p) => ({ start: new Date(p.start), end: new Date(p.end) }));

/** The turn as planned, or (cut) the part the holder served and the gap after it. */
function turnsOf(base: Omit<Turn, 'pieces' | 'person' | 'gap'>, pieces: Interval[], holder: { person: string | null; gap?: GapReason }, cut: Cut | undefined): Turn[] {
  const { person, gap } = holder;
  if (cut === undefined) return [{ ...base, pieces: toDates(pieces), person, ...(gap ? { gap } : {}) }];
  const at = cut.at;
  const before = pieces.filter((p) => p.start < at).map((p) => ({ start: p.start, end: Math.min(p.end, at) }));
  const after = pieces.filter((p) => p.end > at).map((p) => ({ start: Math.max(p.start, at), end: p.end }));
  const out: Turn[] = [];
  if (before.length > 0) out.push({ ...base, pieces: toDates(before), person });
  if (after.length > 0) out.push({ ...base, pieces: toDates(after), person: null, gap: cut.why });
  return out;
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

  const { guests, absences } = guestsAndAbsences(input);
  const events = queueEvents(input.edits, guests);
  const away = awayPieces(absences);
  const available = availability(away, guests);
  const start = simulationStart(input, clock, kFirst, events, absences);
  const walk: QueueWalk = { queue: start.queue, events, next: 0 };

  const out: Turn[] = [];
  // Edits before the first simulated turn were already in force when it started.
  for (let k = start.k; k <= kLast; k++) {
    const s = clock.boundary(k);
    const e = clock.boundary(k + 1);
    if (e <= s) continue; // a handoff swallowed by a DST gap: no such turn
    const pieces = activePieces(s, e, layer.restriction, zone);
    applyEventsUntil(walk, s);
    if (pieces.length === 0) continue;
    const holder = takeTurn(walk, available, pieces, s);
    const cut = applyEventsDuring(walk, e, holder.person);
    if (k < kFirst) continue;
    out.push(...turnsOf({ layer: layer.name, slot, start: new Date(s), end: new Date(e) }, pieces, holder, cut).flatMap((t) => splitAway(t, away)));
  }
  return out;
}
