/**
 * The `releases:` section of the config file: apps and their owners, each environment's release
 * hours and spacing, the readiness checklist, required sign-offs, reminder offsets and recurring
 * freezes. Everything has a default, so `releases: {}` (or no section) gives the shipped policy.
 */
import { z } from 'zod';
import { fixedLengthMs, parseDuration } from '../../time/duration.js';
import type { Duration, LocalTime } from '../../time/when.js';
import type { ReleaseHours } from './hours.js';
import { ruleOf } from './rrule.js';
import { consoleChannels } from '../channels.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lowercase letters, digits and "-" (e.g. "payments-api")' });

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'a time of day "HH:MM" (24-hour)' });

const duration = z.string().refine((s) => parseDuration(s).ok, { error: (iss) => `"${String(iss.input)}" is not a duration (e.g. "2h", "90m", "1d")` });

const hours = z
  .strictObject({
    days: z.array(z.enum(WEEKDAYS)).min(1).default(['mon', 'tue', 'wed', 'thu']),
    from: clock.default('09:00'),
    to: clock.default('16:00'),
  })
  .refine((h) => h.from < h.to, { error: '"from" must be earlier than "to"' });

/** Who may tick an item or must sign: Day2 roles, plus `owner` (the app's owners) and `pre` (a PRE of the release's environment). */
export const RELEASE_ACTORS = ['rele', 'owner', 'pre', 'admin', 'manager', 'obe'] as const;
export type ReleaseActor = (typeof RELEASE_ACTORS)[number];
const actor = z.enum(RELEASE_ACTORS);

export const DEFAULT_CHECKLIST: { id: string; label: string; roles: ReleaseActor[] }[] = [
  { id: 'demo', label: 'Final pre-release demo attended by the RelE', roles: ['rele'] },
  { id: 'artifacts', label: 'Release artifacts verified', roles: ['rele'] },
  { id: 'test-harness', label: 'Test harness present and runnable (unit, API, GUI, journey)', roles: ['rele', 'owner'] },
  { id: 'staging-tests', label: 'Integration tests pass in staging', roles: ['rele', 'owner'] },
  { id: 'manifests', label: 'Manifests, bindings and environment variables verified', roles: ['rele', 'owner'] },
  { id: 'target-services', label: 'Target services available in the target environment', roles: ['pre', 'rele'] },
  { id: 'ia-controls', label: 'Information-assurance controls evidenced', roles: ['rele', 'owner'] },
  { id: 'buildpacks', label: 'Custom buildpack pipelines present if used', roles: ['rele', 'owner', 'pre'] },
];

const checklistItem = z.strictObject({ id, label: z.string().min(1).max(200), roles: z.array(actor).min(1) });

const recurringFreeze = z
  .strictObject({
    id,
    reason: z.string().min(1).max(200),
    /** Environment ids; empty means every environment. */
    environments: z.array(id).default([]),
    /** A shorthand, or an RFC 5545 RRULE read on the environment's wall clock (dates only). */
    every: z.enum(['last-week-of-quarter', 'last-week-of-month']).optional(),
    rrule: z.string().min(1).optional(),
    /** Local time the freeze starts on each occurrence date. */
    start: clock.default('00:00'),
    duration: duration.default('7d'),
    owner: z.string().min(1).default('release engineering'),
  })
  .refine((f) => (f.every === undefined) !== (f.rrule === undefined), { error: 'give exactly one of "every" or "rrule"' });

const envPolicySchema = z.strictObject({
  env: id,
  hours: hours.optional(),
  spacing: duration.optional(),
  /** Where release announcements for this environment go; defaults to the environment's channels. */
  channels: z.strictObject({ slack: z.array(z.string()).default([]), mattermost: z.array(z.string()).default([]), console: consoleChannels }).optional(),
});

export const releasesConfig = z.strictObject({
  apps: z.array(z.strictObject({ id, name: z.string().min(1), owners: z.array(id).min(1), team: id.optional() })).default([]),
  hours: hours.prefault({}),
  /** Minimum gap between two releases on one environment. */
  spacing: duration.default('24h'),
  /** Duration of a release when `propose` is given none. */
  defaultDuration: duration.default('2h'),
  reminders: z.array(duration).default(['7d', '1d', '1h']),
  signoffs: z.array(z.enum(['rele', 'owner', 'pre', 'manager'])).min(1).default(['rele', 'owner', 'pre']),
  checklist: z.array(checklistItem).min(1).default(DEFAULT_CHECKLIST),
  environments: z.array(envPolicySchema).default([]),
  recurringFreezes: z.array(recurringFreeze).default([]),
});

export type ReleasesConfig = z.infer<typeof releasesConfig>;
export type RecurringFreezeConfig = ReleasesConfig['recurringFreezes'][number];

interface ConfigShape {
  people: { id: string }[];
  teams: { id: string }[];
  environments: { id: string }[];
  releases: ReleasesConfig;
}

interface IssueSink {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** Cross-references of the section; called from the config schema's superRefine. */
export function checkReleasesConfig(cfg: ConfigShape, ctx: IssueSink): void {
  const r = cfg.releases;
  const people = new Set(cfg.people.map((p) => p.id));
  const teams = new Set(cfg.teams.map((t) => t.id));
  const envs = new Set(cfg.environments.map((e) => e.id));
  const dup = (list: { id: string }[], path: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.id)) ctx.addIssue({ code: 'custom', path: ['releases', path, i, 'id'], message: `duplicate id "${x.id}"` });
      seen.add(x.id);
    });
  };
  dup(r.apps, 'apps');
  dup(r.checklist, 'checklist');
  dup(r.recurringFreezes, 'recurringFreezes');
  r.apps.forEach((a, i) => {
    a.owners.forEach((o, j) => {
      if (!people.has(o)) ctx.addIssue({ code: 'custom', path: ['releases', 'apps', i, 'owners', j], message: `unknown person "${o}": add them under people:` });
    });
    if (a.team && !teams.has(a.team)) ctx.addIssue({ code: 'custom', path: ['releases', 'apps', i, 'team'], message: `unknown team "${a.team}"` });
  });
  r.environments.forEach((e, i) => {
    if (!envs.has(e.env)) ctx.addIssue({ code: 'custom', path: ['releases', 'environments', i, 'env'], message: `unknown environment "${e.env}": add it under environments:` });
  });
  r.recurringFreezes.forEach((f, i) => {
    f.environments.forEach((e, j) => {
      if (!envs.has(e)) ctx.addIssue({ code: 'custom', path: ['releases', 'recurringFreezes', i, 'environments', j], message: `unknown environment "${e}"` });
    });
    if (f.rrule) {
      try {
        ruleOf(f);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['releases', 'recurringFreezes', i, 'rrule'], message: (e as Error).message });
      }
    }
  });
}

export function parseClock(s: string): LocalTime {
  const [h, m] = s.split(':').map(Number);
  return { hour: h ?? 0, minute: m ?? 0 };
}

/** A config duration string as a Duration (validated by the schema already). */
export function configDuration(s: string): Duration {
  const d = parseDuration(s);
  if (!d.ok) throw new Error(`invalid duration "${s}"`);
  return d.value;
}

/** The policy for one environment, with its overrides applied. */
export interface EnvPolicy {
  hours: ReleaseHours;
  spacingMs: number;
  channels?: { slack: string[]; mattermost: string[] };
}

export function envPolicy(r: ReleasesConfig, env: string): EnvPolicy {
  const own = r.environments.find((e) => e.env === env);
  const h = own?.hours ?? r.hours;
  const toHours = (x: typeof h): ReleaseHours => {
    return { weekdays: x.days.map((d) => WEEKDAYS.indexOf(d)), from: parseClock(x.from), to: parseClock(x.to) };
  };
  const policy: EnvPolicy = { hours: toHours(h), spacingMs: fixedLengthMs(configDuration(own?.spacing ?? r.spacing)) };
  if (own?.channels) policy.channels = own.channels;
  return policy;
}
