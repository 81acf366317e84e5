/**
 * Opsgenie (REST API v2) → Day2. Shapes follow the public API reference: `GET /v2/schedules?expand=rotation`,
 * `GET /v2/schedules/{id}/overrides`, `GET /v2/schedules/{id}/timeline`, `GET /v2/users`.
 *
 * What maps to what:
 *   - a schedule is a rotation (its `timezone` the rotation's zone, its owner team the team);
 *   - each Opsgenie rotation becomes a layer (several when its restriction windows differ in time,
 *     see windows.ts): `startDate` the anchor, `type`+`length` the turn, user participants the queue;
 *   - Opsgenie puts every rotation of a schedule on call at once. Rotations whose restrictions never
 *     overlap (follow-the-sun) share one Day2 slot; any other rotation gets a slot of its own, so
 *     both stay on duty as they are in Opsgenie;
 *   - overrides apply to the slots of the rotations they name (all of them when they name none).
 */
import { z } from 'zod';
import { localDateTimeOfWallMs, wallMsAt } from '../../time/wall-clock.js';
import { isValidZone } from '../../time/zone.js';
import { slugOf, type ImportedLayer, type ImportedOverride, type ImportedSchedule, type Note, type SourcePerson, type SourceShift } from './model.js';
import { overlapsWeekly, restrictionsOf, spanMinutes, WEEKDAY_INDEX, weekIntervals, type WeeklyWindow } from './windows.js';
import { count } from '../wording.js';

const isoDate = z.iso.datetime({ offset: true });
const weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const hour = z.int().min(0).max(24);
const minute = z.int().min(0).max(59);
const timeOfDay = z.object({ startHour: hour, startMin: minute, endHour: hour, endMin: minute });

const participant = z.object({ type: z.string(), id: z.string().optional(), username: z.string().optional(), name: z.string().optional() });

const rotation = z.object({
  id: z.string(),
  name: z.string(),
  startDate: isoDate,
  endDate: isoDate.optional(),
  type: z.enum(['hourly', 'daily', 'weekly']),
  length: z.int().min(1).max(9999),
  participants: z.array(participant),
  timeRestriction: z
    .discriminatedUnion('type', [
      z.object({ type: z.literal('time-of-day'), restriction: timeOfDay }),
      z.object({ type: z.literal('weekday-and-time-of-day'), restrictions: z.array(timeOfDay.extend({ startDay: weekday, endDay: weekday })).min(1) }),
    ])
    .optional(),
});

const schedule = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  ownerTeam: z.object({ id: z.string(), name: z.string() }).optional(),
  rotations: z.array(rotation).default([]),
});

export type OpsgenieSchedule = z.infer<typeof schedule>;
/** One schedule of the list, validated on its own so a wrong shape names the schedule it is in. */
export const opsgenieSchedule = schedule;
export const opsgenieScheduleList = z.object({ data: z.array(z.object({ id: z.string(), name: z.string() }).loose()) });
export type OpsgenieRotation = z.infer<typeof rotation>;

export const opsgenieUsers = z.object({
  data: z.array(z.object({ id: z.string(), username: z.string(), fullName: z.string() })),
  paging: z.object({ next: z.string().optional() }).optional(),
});
export type OpsgenieUser = z.infer<typeof opsgenieUsers>['data'][number];

export const opsgenieOverrides = z.object({
  data: z.array(
    z.object({
      alias: z.string(),
      user: z.object({ type: z.string(), id: z.string().optional(), username: z.string().optional() }),
      startDate: isoDate,
      endDate: isoDate,
      rotations: z.array(z.object({ id: z.string(), name: z.string().optional() })).default([]),
    }),
  ),
});
export type OpsgenieOverride = z.infer<typeof opsgenieOverrides>['data'][number];

export const opsgenieTeam = z.object({
  data: z.object({ id: z.string(), name: z.string(), members: z.array(z.object({ user: z.object({ id: z.string(), username: z.string().optional() }), role: z.string().optional() })).default([]) }),
});
export type OpsgenieTeam = z.infer<typeof opsgenieTeam>['data'];

const period = z.object({ startDate: isoDate, endDate: isoDate, type: z.string(), recipient: z.object({ type: z.string(), id: z.string().optional(), name: z.string().optional() }) });
export const opsgenieTimeline = z.object({
  data: z.object({
    startDate: isoDate,
    endDate: isoDate,
    finalTimeline: z.object({ rotations: z.array(z.object({ id: z.string(), name: z.string(), periods: z.array(period).default([]) })) }),
  }),
});
export type OpsgenieTimeline = z.infer<typeof opsgenieTimeline>;

const TURN_UNIT = { hourly: 'h', daily: 'd', weekly: 'w' } as const;

function localText(instant: number, zone: string): string {
  const t = localDateTimeOfWallMs(wallMsAt(instant, zone));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.year}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}`;
}

/** The rotation's weekly windows, or undefined when it is on duty around the clock. */
export function opsgenieWindows(r: OpsgenieRotation): WeeklyWindow[] | undefined {
  const tr = r.timeRestriction;
  if (!tr) return undefined;
  if (tr.type === 'time-of-day') {
    const { startHour, startMin, endHour, endMin } = tr.restriction;
    const s = startHour * 60 + startMin;
    const e = endHour * 60 + endMin;
    const length = e > s ? e - s : e + 1440 - s;
    return [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: s, length }));
  }
  return tr.restrictions.map((x) => {
    const day = WEEKDAY_INDEX[x.startDay]!;
    const start = x.startHour * 60 + x.startMin;
    return { day, start, length: spanMinutes(day, start, WEEKDAY_INDEX[x.endDay]!, x.endHour * 60 + x.endMin) };
  });
}

const userOf = (users: ReadonlyMap<string, OpsgenieUser>, p: { id?: string | undefined; username?: string | undefined }) =>
  (p.id ? users.get(p.id) : undefined) ?? [...users.values()].find((u) => u.username === p.username);

interface Kept {
  r: OpsgenieRotation;
  slot: string;
  layers: ImportedLayer[];
}

/** The layers of one rotation, or a note saying why it has none. */
function rotationLayers(r: OpsgenieRotation, zone: string, users: ReadonlyMap<string, OpsgenieUser>, notes: Note[], people: Map<string, SourcePerson>): ImportedLayer[] {
  const members: string[] = [];
  for (const p of r.participants) {
    const u = p.type === 'user' ? userOf(users, p) : undefined;
    if (u) {
      members.push(u.id);
      people.set(u.id, { sourceId: u.id, name: u.fullName, email: u.username });
    } else {
      const what = p.type === 'none' ? 'an empty turn ("none")' : `${p.type} "${p.name ?? p.username ?? p.id ?? '?'}"`;
      notes.push({ kind: 'difference', text: `rotation "${r.name}": participant ${what} is left out — a Day2 queue holds people only, so the turns after it shift` });
    }
  }
  const start = Date.parse(r.startDate);
  const base = { sourceId: r.id, zone, anchor: localText(start, zone), turn: `${r.length}${TURN_UNIT[r.type]}`, members };
  if (r.type === 'hourly') notes.push({ kind: 'difference', text: `rotation "${r.name}": hourly turns — Day2 counts them on the wall clock, so a DST night moves handoffs by an hour` });
  if (r.endDate) notes.push({ kind: 'difference', text: `rotation "${r.name}" ends ${r.endDate}: Day2 layers do not end, remove the layer from day2.yaml then` });
  const windows = opsgenieWindows(r);
  const restrictions = windows ? restrictionsOf(windows) : [undefined];
  const name = slugOf(r.name, 'rotation');
  if (restrictions.length > 1) notes.push({ kind: 'exact', text: `rotation "${r.name}": its ${restrictions.length} different daily windows become ${restrictions.length} layers sharing its queue` });
  return restrictions.map((res, i) => ({ ...base, name: restrictions.length > 1 ? `${name.slice(0, 58)}-${i + 1}` : name, slot: '', precedence: 0, ...(res ? { restriction: res } : {}) }));
}

/**
 * Slots: rotations share one only when their weekly windows never overlap (follow-the-sun). The
 * first slot is "primary", as in a Day2 rotation without layers; the others take their rotation's name.
 */
function assignSlots(kept: Kept[], notes: Note[]): void {
  const slots: { name: string; week: [number, number][]; members: string[] }[] = [];
  for (const k of kept) {
    const week = weekIntervals(opsgenieWindows(k.r));
    const shared = slots.find((s) => !overlapsWeekly(s.week, week));
    if (shared) {
      shared.week.push(...week);
      shared.members.push(k.r.name);
      k.slot = shared.name;
      notes.push({ kind: 'exact', text: `rotations ${shared.members.map((m) => `"${m}"`).join(', ')} never overlap: they split slot "${shared.name}"` });
    } else {
      const name = slots.length === 0 ? 'primary' : slugOf(k.r.name, 'rotation');
      slots.push({ name, week: [...week], members: [k.r.name] });
      k.slot = name;
    }
  }
  let precedence = 1;
  for (const k of kept) for (const l of k.layers) Object.assign(l, { slot: k.slot, precedence: precedence++ });
}

export interface OpsgenieInput {
  schedule: OpsgenieSchedule;
  /** The schedule's owner team with its members, when it has one. */
  team?: OpsgenieTeam;
  overrides: readonly OpsgenieOverride[];
  users: ReadonlyMap<string, OpsgenieUser>;
  now: number;
}

export function mapOpsgenieSchedule({ schedule: s, team, overrides, users, now }: OpsgenieInput): ImportedSchedule {
  const notes: Note[] = [];
  const people = new Map<string, SourcePerson>();
  const zone = s.timezone;
  if (!isValidZone(zone)) throw new Error(`schedule "${s.name}": timezone "${zone}" is not an IANA zone`);
  const kept: Kept[] = [];
  for (const r of s.rotations) {
    if (r.endDate && Date.parse(r.endDate) <= now) {
      notes.push({ kind: 'not-carried', text: `rotation "${r.name}" ended ${r.endDate}: it has no turns from now on, so it is left out` });
      continue;
    }
    kept.push({ r, slot: '', layers: rotationLayers(r, zone, users, notes, people) });
  }
  assignSlots(kept, notes);
  const layers = kept.flatMap((k) => k.layers);
  const teamMembers = (team?.members ?? []).map((m) => userOf(users, m.user)).filter((u): u is OpsgenieUser => u !== undefined);
  for (const u of teamMembers) people.set(u.id, { sourceId: u.id, name: u.fullName, email: u.username });
  if (team) notes.push({ kind: 'exact', text: `team "${team.name}": its ${count(teamMembers.length, 'member')} join the Day2 team` });
  if (layers.length > 0) notes.unshift({ kind: 'exact', text: `zone ${zone}; ${count(kept.length, 'rotation')} → ${count(layers.length, 'layer')}: anchors, turns, queues and restrictions as in Opsgenie` });
  return {
    sourceId: s.id,
    name: s.name,
    id: slugOf(s.name, 'schedule'),
    teamName: team?.name ?? s.ownerTeam?.name ?? s.name,
    ...(teamMembers.length > 0 ? { teamMembers: teamMembers.map((u) => u.id) } : {}),
    zone,
    layers,
    overrides: mapOverrides(s, overrides, kept, users, now, notes, people),
    notes,
    people: [...people.values()],
  };
}

function mapOverrides(s: OpsgenieSchedule, overrides: readonly OpsgenieOverride[], kept: Kept[], users: ReadonlyMap<string, OpsgenieUser>, now: number, notes: Note[], people: Map<string, SourcePerson>): ImportedOverride[] {
  const out: ImportedOverride[] = [];
  for (const o of overrides) {
    const end = Date.parse(o.endDate);
    if (end <= now) {
      notes.push({ kind: 'not-carried', text: `override "${o.alias}" ended ${o.endDate}: only overrides from now on are imported` });
      continue;
    }
    const u = o.user.type === 'user' ? userOf(users, o.user) : undefined;
    if (!u) {
      notes.push({ kind: 'not-carried', text: `override "${o.alias}" is for ${o.user.type} "${o.user.username ?? o.user.id ?? '?'}": a Day2 override is taken by a person` });
      continue;
    }
    people.set(u.id, { sourceId: u.id, name: u.fullName, email: u.username });
    const named = new Set(o.rotations.map((r) => r.id));
    const slots = new Set(kept.filter((k) => named.size === 0 || named.has(k.r.id)).map((k) => k.slot));
    for (const slot of slots) {
      out.push({ sourceId: `${s.id}-${o.alias}-${slot}`, slot, person: u.id, from: new Date(Math.max(now, Date.parse(o.startDate))), to: new Date(end) });
    }
    notes.push({ kind: 'exact', text: `override "${o.alias}": ${u.fullName} ${o.startDate} → ${o.endDate} on ${[...slots].join(', ')}` });
  }
  return out;
}

/** Opsgenie's own rendering of the schedule, by the slot each rotation was mapped to. */
export function opsgenieShifts(timeline: OpsgenieTimeline, mapped: ImportedSchedule): SourceShift[] {
  const slotOf = new Map(mapped.layers.map((l) => [l.sourceId, l.slot]));
  const out: SourceShift[] = [];
  for (const r of timeline.data.finalTimeline.rotations) {
    for (const p of r.periods) {
      const isUser = p.recipient.type === 'user' && p.recipient.id !== undefined;
      out.push({
        slot: slotOf.get(r.id) ?? `(rotation "${r.name}", not imported)`,
        person: isUser ? p.recipient.id! : null,
        label: p.recipient.name ?? p.recipient.id ?? p.recipient.type,
        from: Date.parse(p.startDate),
        to: Date.parse(p.endDate),
      });
    }
  }
  return out;
}
