/**
 * What an importer reads from another on-call tool, in Day2's terms but before any Day2 ids are
 * chosen: each vendor mapping (opsgenie.ts …) produces these, and fragment.ts turns them into a
 * config fragment. Every decision a mapping takes is recorded as a note, so the plan can say what
 * was carried exactly and what was not, and why: nothing is approximated silently.
 */

/** Someone the source knows: matched to a Day2 person by email, then by name (people.ts). */
export interface SourcePerson {
  sourceId: string;
  name: string;
  email?: string;
}

/** A Day2 restriction as config text: `{ days: [mon, …], from: "09:00", to: "17:00" }`. */
export interface RestrictionText {
  days: ('sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat')[];
  from: string;
  to: string;
}

/** One Day2 layer to be: its queue holds source person ids until fragment.ts names them. */
export interface ImportedLayer {
  /** The source rotation / layer / shift it comes from (one source rotation may give several layers). */
  sourceId: string;
  name: string;
  slot: string;
  precedence: number;
  zone: string;
  /** First handoff, local "YYYY-MM-DD HH:MM" in `zone`. */
  anchor: string;
  /** Day2 turn text: 12h, 1d, 1w … */
  turn: string;
  members: string[];
  restriction?: RestrictionText;
}

/** An override from now on: `person` (a source id) takes `slot` over `[from, to)`. */
export interface ImportedOverride {
  /** Stable across runs (the source's own id), so a second import changes nothing. */
  sourceId: string;
  slot: string;
  person: string;
  from: Date;
  to: Date;
}

export type NoteKind = 'exact' | 'not-carried' | 'difference';

/** One line of the plan for a schedule. */
export interface Note {
  kind: NoteKind;
  text: string;
}

export interface ImportedSchedule {
  sourceId: string;
  name: string;
  /** The rotation id to use in Day2 (lowercase, "-"). */
  id: string;
  /** The source team owning it (name), when it says; else the schedule's own name. */
  teamName: string;
  zone: string;
  layers: ImportedLayer[];
  overrides: ImportedOverride[];
  notes: Note[];
  /** Source people taking part (layers, overrides, escalation), by source id. */
  people: SourcePerson[];
  /** The source team's own members (source person ids), who join the Day2 team even without a turn. */
  teamMembers?: string[];
  /** Who the source escalates to after the schedule (source person ids): the Day2 team's managers. */
  managers?: string[];
  /** Seconds the source waits for an acknowledgement before escalating past the schedule. */
  ackTimeoutSeconds?: number;
}

/** A stretch someone holds in the source's own rendered timeline, by slot. */
export interface SourceShift {
  slot: string;
  /** Source person id (null: a participant Day2 cannot hold, named in `label`). */
  person: string | null;
  label: string;
  from: number;
  to: number;
}

/** A lowercase id from any text: "Payments On-Call" → "payments-on-call". */
export function slugOf(text: string, fallback = 'imported'): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return s === '' ? fallback : s;
}
