/**
 * PagerDuty (REST API v2) → Day2. Shapes follow the public API reference: `GET /schedules`,
 * `GET /schedules/{id}?since&until` (layers and the rendered `final_schedule`),
 * `GET /schedules/{id}/overrides`, `GET /users`, `GET /escalation_policies` (offset pagination, `more`).
 *
 * What maps to what:
 *   - a schedule is a rotation in its `time_zone`, with one slot ("primary") holding every layer:
 *     PagerDuty's final schedule is one line where a later layer wins over the earlier ones and an
 *     earlier one shows through a later one's gaps, which is Day2's layer precedence in one slot;
 *   - a layer's `rotation_virtual_start` is the anchor, `rotation_turn_length_seconds` the turn,
 *     its users the queue, its daily / weekly restrictions Day2 restrictions (windows.ts);
 *   - overrides apply to the whole schedule, so to the slot;
 *   - an escalation policy whose rule targets the schedule gives the ack timeout (that rule's
 *     delay) and the managers (the users of the rules after it).
 */
import { z } from 'zod';
import { localDateTimeOfWallMs, wallMsAt } from '../../time/wall-clock.js';
import { isValidZone } from '../../time/zone.js';
import { slugOf, type ImportedLayer, type ImportedOverride, type ImportedSchedule, type Note, type SourcePerson, type SourceShift } from './model.js';
import { restrictionsOf, type WeeklyWindow } from './windows.js';
import { count } from '../wording.js';

const isoDate = z.iso.datetime({ offset: true });
const ref = z.object({ id: z.string(), type: z.string(), summary: z.string().optional() });
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/);

const restriction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('daily_restriction'), start_time_of_day: timeOfDay, duration_seconds: z.int().min(1) }),
  z.object({ type: z.literal('weekly_restriction'), start_time_of_day: timeOfDay, duration_seconds: z.int().min(1), start_day_of_week: z.int().min(1).max(7) }),
]);

const layer = z.object({
  id: z.string(),
  name: z.string(),
  start: isoDate,
  end: isoDate.nullable().optional(),
  rotation_virtual_start: isoDate,
  rotation_turn_length_seconds: z.int().min(3600),
  users: z.array(z.object({ user: ref })),
  restrictions: z.array(restriction).default([]),
});

const entry = z.object({ start: isoDate, end: isoDate, user: ref.nullable().optional() });

export const pagerdutySchedule = z.object({
  schedule: z.object({
    id: z.string(),
    name: z.string(),
    time_zone: z.string(),
    schedule_layers: z.array(layer),
    teams: z.array(ref).default([]),
    final_schedule: z.object({ rendered_schedule_entries: z.array(entry) }),
  }),
});
export type PagerdutySchedule = z.infer<typeof pagerdutySchedule>['schedule'];
type Layer = z.infer<typeof layer>;

const page = { more: z.boolean().default(false), offset: z.int().default(0), limit: z.int().default(25) };
export const pagerdutyScheduleList = z.object({ schedules: z.array(z.object({ id: z.string(), name: z.string() }).loose()), ...page });
export const pagerdutyUsers = z.object({ users: z.array(z.object({ id: z.string(), name: z.string(), email: z.string() })), ...page });
export type PagerdutyUser = z.infer<typeof pagerdutyUsers>['users'][number];
export const pagerdutyOverrides = z.object({ overrides: z.array(z.object({ id: z.string(), start: isoDate, end: isoDate, user: ref })) });
export type PagerdutyOverride = z.infer<typeof pagerdutyOverrides>['overrides'][number];
export const pagerdutyPolicies = z.object({
  escalation_policies: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      num_loops: z.int().default(0),
      escalation_rules: z.array(z.object({ escalation_delay_in_minutes: z.int().min(0), targets: z.array(ref) })),
    }),
  ),
  ...page,
});
export type PagerdutyPolicy = z.infer<typeof pagerdutyPolicies>['escalation_policies'][number];

const DAY_S = 86_400;

function localText(instant: number, zone: string): string {
  const t = localDateTimeOfWallMs(wallMsAt(instant, zone));
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.year}-${p(t.month)}-${p(t.day)} ${p(t.hour)}:${p(t.minute)}`;
}

/** Day2 turn text for a turn length; hours with a note (Day2 counts them on the wall clock). */
function turnOf(l: Layer, notes: Note[]): string | undefined {
  const s = l.rotation_turn_length_seconds;
  if (s % (7 * DAY_S) === 0) return `${s / (7 * DAY_S)}w`;
  if (s % DAY_S === 0) return `${s / DAY_S}d`;
  if (s % 3600 === 0) {
    notes.push({ kind: 'difference', text: `layer "${l.name}": ${s / 3600}-hour turns — PagerDuty counts them in real hours, Day2 on the wall clock, so a DST night moves handoffs by an hour` });
    return `${s / 3600}h`;
  }
  notes.push({ kind: 'not-carried', text: `layer "${l.name}": a turn of ${s} seconds is not a whole number of hours, which Day2 turns are` });
  return undefined;
}

export function pagerdutyWindows(l: Layer): WeeklyWindow[] | undefined {
  if (l.restrictions.length === 0) return undefined;
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return l.restrictions.flatMap((r) => {
    const length = Math.round(r.duration_seconds / 60);
    // ISO days (1 = Monday … 7 = Sunday) to Day2's (0 = Sunday).
    if (r.type === 'weekly_restriction') return [{ day: r.start_day_of_week % 7, start: minutes(r.start_time_of_day), length }];
    return [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, start: minutes(r.start_time_of_day), length }));
  });
}

export interface PagerdutyInput {
  schedule: PagerdutySchedule;
  overrides: readonly PagerdutyOverride[];
  policies: readonly PagerdutyPolicy[];
  users: ReadonlyMap<string, PagerdutyUser>;
  now: number;
}

function layerOf(l: Layer, zone: string, users: ReadonlyMap<string, PagerdutyUser>, notes: Note[], people: Map<string, SourcePerson>, now: number): ImportedLayer[] {
  if (l.end && Date.parse(l.end) <= now) {
    notes.push({ kind: 'not-carried', text: `layer "${l.name}" ended ${l.end}: it has no turns from now on, so it is left out` });
    return [];
  }
  if (l.end) notes.push({ kind: 'difference', text: `layer "${l.name}" ends ${l.end}: Day2 layers do not end, remove the layer from day2.yaml then` });
  if (Date.parse(l.start) > now) notes.push({ kind: 'difference', text: `layer "${l.name}" starts ${l.start}: Day2 starts a layer at its anchor, ${l.rotation_virtual_start}` });
  const turn = turnOf(l, notes);
  if (!turn) return [];
  const members: string[] = [];
  for (const { user } of l.users) {
    const u = users.get(user.id);
    if (!u) {
      notes.push({ kind: 'difference', text: `layer "${l.name}": ${user.type} "${user.summary ?? user.id}" is not a user the token can list, so it is left out of the queue` });
      continue;
    }
    members.push(u.id);
    people.set(u.id, { sourceId: u.id, name: u.name, email: u.email });
  }
  const windows = pagerdutyWindows(l);
  const restrictions = windows ? restrictionsOf(windows) : [undefined];
  const name = slugOf(l.name, 'layer');
  if (restrictions.length > 1) notes.push({ kind: 'exact', text: `layer "${l.name}": its ${restrictions.length} different daily windows become ${restrictions.length} layers sharing its queue` });
  return restrictions.map((res, i) => ({
    sourceId: l.id,
    name: restrictions.length > 1 ? `${name.slice(0, 58)}-${i + 1}` : name,
    slot: 'primary',
    precedence: 0,
    zone,
    anchor: localText(Date.parse(l.rotation_virtual_start), zone),
    turn,
    members,
    ...(res ? { restriction: res } : {}),
  }));
}

export function mapPagerdutySchedule({ schedule: s, overrides, policies, users, now }: PagerdutyInput): ImportedSchedule {
  const notes: Note[] = [];
  const people = new Map<string, SourcePerson>();
  const zone = s.time_zone;
  if (!isValidZone(zone)) throw new Error(`schedule "${s.name}": time_zone "${zone}" is not an IANA zone`);
  const perLayer = s.schedule_layers.map((l) => layerOf(l, zone, users, notes, people, now));
  // The last layer of the list wins in PagerDuty's final schedule: it gets Day2 precedence 1.
  let precedence = 1;
  for (const group of [...perLayer].reverse()) for (const l of group) l.precedence = precedence++;
  const layers = perLayer.flat();
  if (layers.length > 0) notes.unshift({ kind: 'exact', text: `zone ${zone}; ${count(perLayer.filter((g) => g.length > 0).length, 'layer')} → ${count(layers.length, 'Day2 layer')} of slot "primary", the last PagerDuty layer first: anchors, turns, queues and restrictions as in PagerDuty` });
  const out: ImportedSchedule = { sourceId: s.id, name: s.name, id: slugOf(s.name, 'schedule'), teamName: s.teams[0]?.summary ?? s.name, zone, layers, overrides: [], notes, people: [] };
  out.overrides = mapOverrides(s, overrides, users, now, notes, people);
  Object.assign(out, escalationOf(s, policies, users, notes, people));
  out.people = [...people.values()];
  return out;
}

function mapOverrides(s: PagerdutySchedule, overrides: readonly PagerdutyOverride[], users: ReadonlyMap<string, PagerdutyUser>, now: number, notes: Note[], people: Map<string, SourcePerson>): ImportedOverride[] {
  const out: ImportedOverride[] = [];
  for (const o of overrides) {
    if (Date.parse(o.end) <= now) continue;
    const u = users.get(o.user.id);
    if (!u) {
      notes.push({ kind: 'not-carried', text: `override ${o.id} is for "${o.user.summary ?? o.user.id}", not a user the token can list` });
      continue;
    }
    people.set(u.id, { sourceId: u.id, name: u.name, email: u.email });
    out.push({ sourceId: `${s.id}-${o.id}`, slot: 'primary', person: u.id, from: new Date(Math.max(now, Date.parse(o.start))), to: new Date(Date.parse(o.end)) });
    notes.push({ kind: 'exact', text: `override ${o.id}: ${u.name} ${o.start} → ${o.end}` });
  }
  return out;
}

/** Day2 escalates through the rotation's slots, then the team's managers, after ackTimeoutSeconds. */
function escalationOf(s: PagerdutySchedule, policies: readonly PagerdutyPolicy[], users: ReadonlyMap<string, PagerdutyUser>, notes: Note[], people: Map<string, SourcePerson>): Pick<ImportedSchedule, 'managers' | 'ackTimeoutSeconds'> {
  const using = policies.filter((p) => p.escalation_rules.some((r) => r.targets.some((t) => t.type === 'schedule_reference' && t.id === s.id)));
  const policy = using[0];
  if (!policy) return {};
  if (using.length > 1) notes.push({ kind: 'not-carried', text: `escalation policies ${using.slice(1).map((p) => `"${p.name}"`).join(', ')} also page this schedule: only "${policy.name}" is carried` });
  const at = policy.escalation_rules.findIndex((r) => r.targets.some((t) => t.id === s.id));
  if (at > 0) notes.push({ kind: 'not-carried', text: `policy "${policy.name}": ${count(at, 'rule')} before this schedule — Day2 pages the rotation first` });
  const managers: string[] = [];
  for (const rule of policy.escalation_rules.slice(at + 1)) {
    for (const t of rule.targets) {
      const u = t.type === 'user_reference' ? users.get(t.id) : undefined;
      if (u) {
        managers.push(u.id);
        people.set(u.id, { sourceId: u.id, name: u.name, email: u.email });
      } else notes.push({ kind: 'not-carried', text: `policy "${policy.name}": target ${t.type} "${t.summary ?? t.id}" — Day2 escalates to the team's managers, who are people` });
    }
  }
  const rule = policy.escalation_rules[at]!;
  if (rule.targets.length > 1) notes.push({ kind: 'not-carried', text: `policy "${policy.name}": the schedule's rule has other targets too, which Day2 does not page with it` });
  if (policy.num_loops > 0) notes.push({ kind: 'difference', text: `policy "${policy.name}" repeats ${count(policy.num_loops, 'time')}: Day2 escalates once, then stays with the managers` });
  notes.push({ kind: 'exact', text: `policy "${policy.name}": unacknowledged after ${rule.escalation_delay_in_minutes} min → ${managers.length > 0 ? 'the team\'s managers' : 'nobody further'} (alerts.ackTimeoutSeconds.high)` });
  return { ...(managers.length > 0 ? { managers } : {}), ackTimeoutSeconds: Math.max(1, rule.escalation_delay_in_minutes * 60) };
}

/** PagerDuty's final schedule, in slot "primary". */
export function pagerdutyShifts(s: PagerdutySchedule): SourceShift[] {
  return s.final_schedule.rendered_schedule_entries
    .filter((e) => e.user)
    .map((e) => ({ slot: 'primary', person: e.user!.type.startsWith('user') ? e.user!.id : null, label: e.user!.summary ?? e.user!.id, from: Date.parse(e.start), to: Date.parse(e.end) }));
}
