/**
 * The `cadence:` section of the config file: holiday calendars per region, defaults, and
 * cadences declared in git (they are loaded at start and cannot be deleted from chat).
 */
import { z } from 'zod';
import { isValidZone } from '../../time/zone.js';
import { parseSchedule, parseTimeOfDay } from './schedule.js';
import { parseReminder } from './reminders.js';
import { consoleChannels } from '../channels.js';

/** The config's roles, repeated here because src/config.ts imports this file (no import cycle). */
const ROLES = ['pre', 'rele', 'obe', 'manager', 'admin'] as const;

export const CADENCE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const CADENCE_KINDS = ['announcement', 'meeting', 'exercise'] as const;
export type CadenceKind = (typeof CADENCE_KINDS)[number];

const name = z.string().regex(CADENCE_NAME, { error: 'cadence names are 1-40 lowercase letters, digits and "-" (e.g. "platform-sync")' });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'dates are YYYY-MM-DD' });
const holiday = z.strictObject({ date: isoDate, name: z.string().min(1).max(80) });
const reminder = z.string().refine((s) => parseReminder(s).ok, { error: (iss) => `"${String(iss.input)}" is not a reminder offset such as 1d, 1h or 30m` });

const declared = z.strictObject({
  name,
  /** Preset ("monthly 2nd tue") or RRULE ("RRULE:FREQ=…"). */
  schedule: z.string().refine((s) => parseSchedule(s).ok, { error: (iss) => (() => { const r = parseSchedule(String(iss.input)); return r.ok ? '' : r.problem; })() }),
  time: z.string().refine((s) => parseTimeOfDay(s).ok, { error: (iss) => `"${String(iss.input)}" is not a time of day (24-hour HH:MM)` }),
  /** Defaults to the top-level `timezone`. */
  zone: z.string().refine(isValidZone, { error: (iss) => `"${String(iss.input)}" is not an IANA time zone` }).optional(),
  kind: z.enum(CADENCE_KINDS).default('announcement'),
  title: z.string().min(1).max(120).optional(),
  channels: z.strictObject({ slack: z.array(z.string()).default([]), mattermost: z.array(z.string()).default([]), console: consoleChannels }).prefault({}),
  holidays: z.strictObject({ calendar: z.string(), policy: z.enum(['skip', 'shift']).default('skip') }).optional(),
  reminders: z.array(reminder).optional(),
  /** Occurrences block releases in these environments (release coordination asks). */
  blocking: z.boolean().default(false),
  environments: z.array(z.string()).default([]),
  /** Exercises: roles invited (RSVP is counted by role). */
  invite: z.array(z.enum(ROLES)).default([]),
  /** Template for the announcement (templates/<name>.hbs); default by kind. */
  template: z.string().regex(/^[a-z0-9-]+\/[a-z0-9-]+$/).optional(),
  /** First date the schedule may produce (YYYY-MM-DD); default: the day it is loaded. */
  start: isoDate.optional(),
  /** Length of one occurrence, for the iCal feed and release blocking. */
  duration: z.string().refine((s) => parseReminder(s).ok, { error: 'a length such as 1h or 90m' }).default('1h'),
});

export const cadenceConfig = z.strictObject({
  /** A cadence whose time passed while Day2 was down is posted late within this window, else recorded missed. */
  graceMinutes: z.int().min(0).max(7 * 24 * 60).default(60),
  /** Default reminders before each occurrence. */
  reminders: z.array(reminder).default(['1d', '1h']),
  /** Holiday calendars by region id: lists of { date: YYYY-MM-DD, name }. */
  holidays: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/), z.array(holiday)).default({}),
  /** Channels cadences may post in besides team and environment channels. */
  channels: z.strictObject({ slack: z.array(z.string()).default([]), mattermost: z.array(z.string()).default([]), console: consoleChannels }).prefault({}),
  /** Secret that makes GET /ical/cadence.ics?token=… answer; without it the feed is off. */
  icalToken: z.string().min(16).optional(),
  cadences: z.array(declared).default([]),
});

export type CadenceConfig = z.infer<typeof cadenceConfig>;
export type DeclaredCadence = CadenceConfig['cadences'][number];

interface RefineCtx {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** Cross-references of the section (called from the config's superRefine). */
export function checkCadenceConfig(cfg: { cadence: CadenceConfig; environments: { id: string }[] }, ctx: RefineCtx): void {
  const seen = new Set<string>();
  const envs = new Set(cfg.environments.map((e) => e.id));
  cfg.cadence.cadences.forEach((c, i) => {
    if (seen.has(c.name)) ctx.addIssue({ code: 'custom', path: ['cadence', 'cadences', i, 'name'], message: `duplicate cadence "${c.name}": names must be unique` });
    seen.add(c.name);
    if (c.holidays && !Object.hasOwn(cfg.cadence.holidays, c.holidays.calendar)) {
      ctx.addIssue({ code: 'custom', path: ['cadence', 'cadences', i, 'holidays', 'calendar'], message: `unknown holiday calendar "${c.holidays.calendar}": add it under cadence.holidays` });
    }
    c.environments.forEach((e, j) => {
      if (!envs.has(e)) ctx.addIssue({ code: 'custom', path: ['cadence', 'cadences', i, 'environments', j], message: `unknown environment "${e}": add it under environments: or fix the spelling` });
    });
    if (c.channels.slack.length + c.channels.mattermost.length + c.channels.console.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['cadence', 'cadences', i, 'channels'], message: 'a cadence needs at least one channel (channels.slack, channels.mattermost or channels.console)' });
    }
  });
}
