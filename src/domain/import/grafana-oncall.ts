/**
 * Grafana OnCall (HTTP API v1) → Day2. Shapes follow the public API reference: `GET /api/v1/schedules/`,
 * `GET /api/v1/on_call_shifts/?schedule_id=`, `GET /api/v1/schedules/{id}/final_shifts`,
 * `GET /api/v1/users/` (page by page through `next`).
 *
 * What maps to what:
 *   - a schedule is a rotation in its `time_zone`, every shift a layer of slot "primary" in its own
 *     `time_zone` (follow-the-sun shifts keep their zones): a higher `level` is a better precedence;
 *   - a `rolling_users` shift turns its user lists every `interval` × `frequency` (the Day2 turn),
 *     from `start` (the anchor); its occurrences (`by_day`, `start` time, `duration`) are the
 *     layer's restriction; a `recurrent_event` is the same with one person;
 *   - `single_event` shifts and `override` shifts become Day2 overrides from now on.
 */
import { z } from 'zod';
import { instantOfWallMs, wallMsAt } from '../../time/wall-clock.js';
import { isValidZone } from '../../time/zone.js';
import { slugOf, type ImportedLayer, type ImportedOverride, type ImportedSchedule, type Note, type SourcePerson, type SourceShift } from './model.js';
import { restrictionsOf, weekIntervals, type WeeklyWindow } from './windows.js';
import { count } from '../wording.js';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { error: 'a local date-time such as 2020-09-10T08:00:00' });
const ICAL_DAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

const shift = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['single_event', 'recurrent_event', 'rolling_users', 'override']),
  time_zone: z.string().nullable().optional(),
  level: z.int().default(0),
  start: localDate,
  rotation_start: localDate.nullable().optional(),
  duration: z.int().min(60),
  frequency: z.enum(['hourly', 'daily', 'weekly', 'monthly']).nullable().optional(),
  interval: z.int().min(1).nullable().optional(),
  until: localDate.nullable().optional(),
  week_start: z.enum(ICAL_DAYS).nullable().optional(),
  by_day: z.array(z.enum(ICAL_DAYS)).nullable().optional(),
  users: z.array(z.string()).nullable().optional(),
  rolling_users: z.array(z.array(z.string())).nullable().optional(),
  start_rotation_from_user_index: z.int().min(0).nullable().optional(),
});
export type GrafanaShift = z.infer<typeof shift>;

const page = { next: z.string().nullable().optional() };
export const grafanaScheduleList = z.object({ results: z.array(z.object({ id: z.string(), name: z.string() }).loose()), ...page });
export const grafanaSchedule = z.object({ id: z.string(), name: z.string(), type: z.string(), time_zone: z.string().nullable().optional(), team_id: z.string().nullable().optional() });
export type GrafanaSchedule = z.infer<typeof grafanaSchedule>;
export const grafanaShifts = z.object({ results: z.array(shift), ...page });
export const grafanaUsers = z.object({ results: z.array(z.object({ id: z.string(), email: z.string(), username: z.string(), name: z.string().nullable().optional() })), ...page });
export type GrafanaUser = z.infer<typeof grafanaUsers>['results'][number];
export const grafanaFinalShifts = z.object({
  results: z.array(z.object({ user_pk: z.string(), user_email: z.string().optional(), user_username: z.string().optional(), shift_start: z.iso.datetime({ offset: true }), shift_end: z.iso.datetime({ offset: true }) })),
  ...page,
});
export type GrafanaFinalShift = z.infer<typeof grafanaFinalShifts>['results'][number];

const UNIT = { hourly: 'h', daily: 'd', weekly: 'w', monthly: 'mo' } as const;
const PERIOD_MIN = { hourly: 60, daily: 1440, weekly: 10080 } as const;

const wallOf = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10), +s.slice(11, 13), +s.slice(14, 16));
const instantOf = (s: string, zone: string) => instantOfWallMs(wallOf(s), zone);

/** The occurrences of a shift as weekly windows, or undefined when they fill every turn. */
function windowsOf(s: GrafanaShift, notes: Note[]): WeeklyWindow[] | undefined | null {
  const freq = s.frequency!;
  const interval = s.interval ?? 1;
  const minutes = Math.round(s.duration / 60);
  const startDay = new Date(wallOf(s.start)).getUTCDay();
  const startMin = +s.start.slice(11, 13) * 60 + +s.start.slice(14, 16);
  const days = s.by_day?.length ? s.by_day.map((d) => ICAL_DAYS.indexOf(d)) : undefined;
  if (freq === 'monthly' || freq === 'hourly' || interval > 1) {
    // Whole turns back to back need no restriction; months differ in length, so they always do.
    if (!days && freq !== 'monthly' && minutes === PERIOD_MIN[freq] * interval) return undefined;
    notes.push({ kind: 'not-carried', text: `shift "${s.name}": ${interval > 1 ? `every ${interval} ${freq} periods` : freq} with ${days ? 'by_day' : 'a shorter duration'} — Day2 restrictions repeat daily or weekly` });
    return null;
  }
  if (!days && minutes === PERIOD_MIN[freq]) return undefined;
  const on = days ?? (freq === 'daily' ? [0, 1, 2, 3, 4, 5, 6] : [startDay]);
  return on.map((day) => ({ day, start: startMin, length: minutes }));
}

function queueOf(s: GrafanaShift, users: ReadonlyMap<string, GrafanaUser>, notes: Note[], people: Map<string, SourcePerson>): string[] {
  const groups = s.type === 'rolling_users' ? (s.rolling_users ?? []) : [s.users ?? []];
  const from = (s.start_rotation_from_user_index ?? 0) % Math.max(1, groups.length);
  const out: string[] = [];
  for (const g of [...groups.slice(from), ...groups.slice(0, from)]) {
    if (g.length > 1) notes.push({ kind: 'difference', text: `shift "${s.name}": ${g.length} people on call together — a Day2 turn has one holder, so only the first is carried` });
    const u = g[0] !== undefined ? users.get(g[0]) : undefined;
    if (!u) {
      notes.push({ kind: 'difference', text: `shift "${s.name}": an empty or unknown user list is left out — the turns after it shift` });
      continue;
    }
    out.push(u.id);
    people.set(u.id, { sourceId: u.id, name: u.name ?? u.username, email: u.email });
  }
  return out;
}

function layersOf(s: GrafanaShift, zone: string, users: ReadonlyMap<string, GrafanaUser>, notes: Note[], people: Map<string, SourcePerson>, now: number): ImportedLayer[] {
  if (s.until && instantOf(s.until, zone) <= now) {
    notes.push({ kind: 'not-carried', text: `shift "${s.name}" ended ${s.until}: it has no turns from now on, so it is left out` });
    return [];
  }
  if (s.until) notes.push({ kind: 'difference', text: `shift "${s.name}" ends ${s.until}: Day2 layers do not end, remove the layer from day2.yaml then` });
  if (s.rotation_start && instantOf(s.rotation_start, zone) > now) notes.push({ kind: 'difference', text: `shift "${s.name}" starts rotating ${s.rotation_start}: Day2 starts a layer at its anchor, ${s.start}` });
  const windows = windowsOf(s, notes);
  if (windows === null) return [];
  const members = queueOf(s, users, notes, people);
  const restrictions = windows ? restrictionsOf(windows) : [undefined];
  const name = slugOf(s.name, 'shift');
  return restrictions.map((res, i) => ({
    sourceId: s.id,
    name: restrictions.length > 1 ? `${name.slice(0, 58)}-${i + 1}` : name,
    slot: 'primary',
    precedence: 0,
    zone,
    anchor: s.start.slice(0, 16).replace('T', ' '),
    turn: `${s.interval ?? 1}${UNIT[s.frequency!]}`,
    members,
    ...(res ? { restriction: res } : {}),
  }));
}

export interface GrafanaInput {
  schedule: GrafanaSchedule;
  shifts: readonly GrafanaShift[];
  users: ReadonlyMap<string, GrafanaUser>;
  now: number;
  /** End of the compared stretch: DST changes before it are named. */
  until: number;
}

/** The wall readings (wall ms, just before) at which `zone` changes its offset in [from, to). */
function offsetChanges(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  const HOUR = 3_600_000;
  let before = wallMsAt(from, zone) - from;
  for (let t = from + HOUR; t < to; t += HOUR) {
    const o = wallMsAt(t, zone) - t;
    if (o !== before) out.push(wallMsAt(t - 1, zone));
    before = o;
  }
  return out;
}

/** Whether an occurrence of the shift is under way at that wall reading (every one is, unrestricted). */
function spans(s: GrafanaShift, wall: number): boolean {
  const windows = windowsOf(s, []);
  if (!windows) return windows === undefined;
  const d = new Date(wall);
  const at = d.getUTCDay() * 1440 + d.getUTCHours() * 60 + d.getUTCMinutes();
  return weekIntervals(windows).some(([a, b]) => a <= at && at < b);
}

export function mapGrafanaSchedule({ schedule: s, shifts, users, now, until }: GrafanaInput): ImportedSchedule {
  const notes: Note[] = [];
  const people = new Map<string, SourcePerson>();
  const zone = s.time_zone ?? 'UTC';
  if (!isValidZone(zone)) throw new Error(`schedule "${s.name}": time_zone "${zone}" is not an IANA zone`);
  const zoneOf = (x: GrafanaShift) => x.time_zone ?? zone;
  const recurring = shifts.filter((x) => x.type === 'rolling_users' || x.type === 'recurrent_event');
  // Higher level wins in Grafana OnCall; lower precedence wins in Day2.
  const ordered = [...recurring].sort((a, b) => b.level - a.level);
  const levels = new Map<number, number>();
  for (const x of ordered) levels.set(x.level, (levels.get(x.level) ?? 0) + 1);
  for (const [level, n] of levels) if (n > 1) notes.push({ kind: 'difference', text: `${n} shifts share level ${level}: where they overlap Grafana OnCall puts all of them on call, Day2 the first listed` });
  let precedence = 1;
  const layers = ordered.flatMap((x) => layersOf(x, zoneOf(x), users, notes, people, now).map((l) => ({ ...l, precedence: precedence++ })));
  for (const x of ordered.filter((y) => layers.some((l) => l.sourceId === y.id))) {
    // Grafana OnCall's documented, and known, behaviour: `duration` is real seconds, so across a
    // DST change an occurrence runs an hour past (or short of) the wall-clock end Day2 keeps.
    const changes = offsetChanges(zoneOf(x), now, until).filter((wall) => spans(x, wall));
    const dates = changes.map((wall) => new Date(wall).toISOString().slice(0, 10));
    if (dates.length > 0) notes.push({ kind: 'difference', text: `shift "${x.name}": Grafana OnCall counts its ${x.duration}s duration in real time, Day2 keeps wall-clock times in ${zoneOf(x)}; the occurrence over the DST change of ${dates.join(', ')} differs by the hour the clocks moved (see the differences)` });
  }
  if (layers.length > 0) notes.unshift({ kind: 'exact', text: `zone ${zone}; ${count(recurring.length, 'recurring shift')} → ${count(layers.length, 'layer')} of slot "primary", each in its shift's zone (${[...new Set(layers.map((l) => l.zone))].join(', ')}), the highest level first` });
  const overrides: ImportedOverride[] = [];
  const top = Math.max(Number.NEGATIVE_INFINITY, ...recurring.map((x) => x.level));
  for (const x of shifts.filter((y) => y.type === 'single_event' || y.type === 'override')) {
    const from = instantOf(x.start, zoneOf(x));
    const to = from + x.duration * 1000;
    if (to <= now) continue;
    const who = (x.users ?? x.rolling_users?.flat() ?? []).map((id) => users.get(id)).filter((u): u is GrafanaUser => u !== undefined);
    if (who.length !== 1) {
      notes.push({ kind: 'not-carried', text: `${x.type.replace('_', ' ')} "${x.name}" has ${who.length} known people — a Day2 override is taken by one` });
      continue;
    }
    const u = who[0]!;
    people.set(u.id, { sourceId: u.id, name: u.name ?? u.username, email: u.email });
    overrides.push({ sourceId: `${s.id}-${x.id}`, slot: 'primary', person: u.id, from: new Date(Math.max(now, from)), to: new Date(to) });
    // A single event wins only where its level is the highest; a Day2 override wins everywhere.
    const exact = x.type === 'override' || x.level > top;
    notes.push({ kind: exact ? 'exact' : 'difference', text: `${x.type === 'override' ? 'override' : `single event (level ${x.level})`} "${x.name}": ${u.name ?? u.username} ${x.start} for ${x.duration / 3600}h${x.type === 'override' ? '' : ` becomes a Day2 override${exact ? ' (its level is above every shift)' : ', which wins over every layer, whatever its level'}`}` });
  }
  return { sourceId: s.id, name: s.name, id: slugOf(s.name, 'schedule'), teamName: s.name, zone, layers, overrides, notes, people: [...people.values()] };
}

/** Grafana OnCall's final shifts, in slot "primary". */
export function grafanaShiftsOf(final: readonly GrafanaFinalShift[]): SourceShift[] {
  return final.map((f) => ({ slot: 'primary', person: f.user_pk, label: f.user_username ?? f.user_pk, from: Date.parse(f.shift_start), to: Date.parse(f.shift_end) }));
}
