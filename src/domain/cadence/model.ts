/**
 * A cadence as stored, and the state of one of its occurrences. Instants are ISO strings in UTC;
 * the cadence keeps its own IANA zone, and its schedule both as typed and as a canonical RRULE.
 */
import { z } from 'zod';
import { ROLES } from '../roles.js';
import { CADENCE_KINDS, CADENCE_NAME } from './config.js';
import type { CadenceTiming, Holiday } from './occurrences.js';

const platform = z.enum(['slack', 'mattermost', 'console']);
const iso = z.string();

export const agendaItemSchema = z.object({
  id: z.string(),
  text: z.string(),
  by: z.string(),
  at: iso,
});
export type AgendaItem = z.infer<typeof agendaItemSchema>;

export const cadenceSchema = z.object({
  name: z.string().regex(CADENCE_NAME),
  kind: z.enum(CADENCE_KINDS),
  title: z.string().optional(),
  /** As typed: "monthly 2nd tue" or "RRULE:…". */
  schedule: z.string(),
  rule: z.string(),
  time: z.object({ hour: z.int().min(0).max(23), minute: z.int().min(0).max(59) }),
  zone: z.string(),
  start: z.string(),
  channels: z.array(z.object({ platform, channelId: z.string() })).min(1),
  template: z.string().optional(),
  holidays: z.object({ calendar: z.string(), policy: z.enum(['skip', 'shift']) }).optional(),
  reminders: z.array(z.string()),
  duration: z.string().default('1h'),
  blocking: z.boolean().default(false),
  environments: z.array(z.string()).default([]),
  invite: z.array(z.enum(ROLES)).default([]),
  paused: z.boolean().default(false),
  skips: z.array(z.string()).default([]),
  moves: z.record(z.string(), iso).default({}),
  source: z.enum(['config', 'chat']),
  createdBy: z.string(),
  createdAt: iso,
  /** Items for the next occurrence; archived with it when it is announced. */
  agenda: z.array(agendaItemSchema).default([]),
  /** The occurrence whose timers are set, so a re-plan can cancel them. */
  planned: z.object({ occurrence: z.string(), at: iso, reminders: z.array(z.string()) }).optional(),
  /** Instant of the latest occurrence that was announced or recorded missed. */
  lastHandledAt: iso.optional(),
});
export type Cadence = z.infer<typeof cadenceSchema>;

export const rsvpChoiceSchema = z.enum(['going', 'not-going', 'maybe']);
export type RsvpChoice = z.infer<typeof rsvpChoiceSchema>;

export const actionItemSchema = z.object({
  /** `<occurrence>-<n>` */
  id: z.string(),
  /** Mention reference: `person:alice`, `slack:U123`, `mattermost:alice`. */
  owner: z.string(),
  text: z.string(),
  due: iso.optional(),
  done: z.boolean().default(false),
  /** Reminders sent so far (they stop after a cap). */
  reminded: z.int().min(0).default(0),
  by: z.string(),
  at: iso,
});
export type ActionItem = z.infer<typeof actionItemSchema>;

export const occurrenceStateSchema = z.object({
  cadence: z.string(),
  occurrence: z.string(),
  at: iso,
  /** firing: claimed, announcement being queued; fired: queued; missed: too late to announce. */
  status: z.enum(['firing', 'fired', 'missed']),
  late: z.boolean().default(false),
  handledAt: iso,
  agenda: z.array(agendaItemSchema.extend({ covered: z.boolean().default(false) })).default([]),
  /** By user key (`slack:U1`, `mattermost:abc`, or a person id). */
  rsvp: z.record(z.string(), z.object({ choice: rsvpChoiceSchema, name: z.string(), roles: z.array(z.string()).default([]), user: z.object({ platform, id: z.string() }).optional() })).default({}),
  /** Announcement revision on the delivery queue; grows with each RSVP. */
  revision: z.int().min(1).default(1),
  notes: z.array(z.object({ text: z.string(), by: z.string(), at: iso })).default([]),
  actions: z.array(actionItemSchema).default([]),
});
export type OccurrenceState = z.infer<typeof occurrenceStateSchema>;

/** The pure timing view of a cadence, with its holiday calendar resolved. */
export function timingOf(c: Cadence, calendars: Record<string, readonly Holiday[]>): CadenceTiming {
  const dates = c.holidays ? calendars[c.holidays.calendar] : undefined;
  return {
    rule: c.rule,
    time: c.time,
    zone: c.zone,
    start: c.start,
    holidays: c.holidays && dates ? { dates, policy: c.holidays.policy } : undefined,
    skips: c.skips,
    moves: c.moves,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
export const formatTime = (t: { hour: number; minute: number }) => `${pad(t.hour)}:${pad(t.minute)}`;
