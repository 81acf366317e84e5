/**
 * Day2's configuration file (YAML, GitOps-friendly) and its schema. Secrets never live here: they
 * come from the environment (see src/env.ts). Parsing reports *every* problem with its path and a
 * hint, so `day2 check-config` can be used as a linter in a team's own CI.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { checkNoticesConfig, noticesConfig } from './domain/notice/config.js';
import { checkRotationsConfig, rotationsConfig } from './domain/oncall/config.js';
import { checkReleasesConfig, releasesConfig } from './domain/release/config.js';
import { isValidZone } from './time/zone.js';
import { onboardingConfig, onboardingProblems } from './domain/onboard/config.js';
import { cadenceConfig, checkCadenceConfig } from './domain/cadence/config.js';
import { deliveryConfig } from './domain/delivery/config.js';
import { ROLES } from './domain/roles.js';
import { webConfig } from './domain/web/config.js';
import { limitsConfig } from './domain/limits.js';
import { consoleChannels } from './domain/channels.js';
import { alertsConfig, checkAlertsConfig } from './domain/alert/config.js';
import { count } from './domain/wording.js';

export { ROLES, type Role } from './domain/roles.js';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lowercase letters, digits and "-", starting with a letter or digit (e.g. "prod-east")' });

const zone = z.string().refine(isValidZone, { error: (iss) => `"${String(iss.input)}" is not an IANA time zone (e.g. "Europe/Berlin", "America/New_York", "UTC")` });

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'Slack user ids look like "U0123ABCD" (profile → ⋮ → Copy member ID)' });
const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, { error: 'Slack channel ids look like "C0123ABCD" (channel details → bottom of the About tab)' });
const mattermostUsername = z.string().regex(/^[a-z0-9._-]{1,64}$/, { error: 'Mattermost usernames are lowercase letters, digits, ".", "_" or "-" (without the @)' });
const mattermostChannelId = z.string().regex(/^[a-z0-9]{26}$/, { error: 'Mattermost channel ids are 26 lowercase letters/digits (channel menu → View Info)' });

const person = z.strictObject({
  id,
  name: z.string().min(1),
  slack: slackUserId.optional(),
  mattermost: mattermostUsername.optional(),
  timezone: zone.optional(),
  email: z.email().optional(),
});

const channels = z.strictObject({
  slack: z.array(slackChannelId).default([]),
  mattermost: z.array(mattermostChannelId).default([]),
  console: consoleChannels,
});

const team = z.strictObject({
  id,
  name: z.string().min(1),
  members: z.array(id).default([]),
  managers: z.array(id).default([]),
  channels: channels.optional(),
  /** Where /support requests to this team are posted; without it, the team's channels. */
  supportChannels: channels.optional(),
});

const environment = z.strictObject({
  id,
  name: z.string().min(1),
  /** Shown on every message about this environment (e.g. "UNCLASSIFIED", "CUI"). */
  classification: z.string().min(1).max(64).default('UNCLASSIFIED'),
  description: z.string().optional(),
  timezone: zone.optional(),
  channels: channels.prefault({}),
  /** Person ids of the environment's platform reliability engineers. */
  pres: z.array(id).default([]),
  /** Components listed on its status page, in this order (components named by notices are added). */
  components: z.array(z.string().min(1).max(64)).max(100).default([]),
  /** Publish its status page (/status/<env>) and status feeds without a link or token. */
  public: z.boolean().default(false),
});

/**
 * Who holds a role. Each entry is a person id (`alice`), a platform user (`slack:U123`,
 * `mattermost:alice`), a Slack user group (`slack-group:S123`) or a Mattermost team
 * (`mattermost-team:<team id>`).
 */
const principal = z.string().regex(/^([a-z0-9][a-z0-9-]*|slack:[UW][A-Z0-9]+|mattermost:[a-z0-9._-]+|slack-group:S[A-Z0-9]+|mattermost-team:[a-z0-9]+)$/, {
  error: 'use a person id ("alice"), "slack:U123", "mattermost:alice", "slack-group:S123" or "mattermost-team:<team id>"',
});

const configShape = z.strictObject({
    /** Default zone for schedules and for readers whose zone is unknown. */
    timezone: zone.default('UTC'),
    /** Prefix of every Redis key (and BullMQ prefix); change it to run several Day2s on one Redis. */
    redisPrefix: z.string().regex(/^[A-Za-z0-9:_{}-]+$/, { error: 'letters, digits and ":_-{}" only' }).default('day2'),
    people: z.array(person).default([]),
    teams: z.array(team).default([]),
    environments: z.array(environment).default([]),
    roles: z.partialRecord(z.enum(ROLES), z.array(principal)).default({}),
    notices: noticesConfig,
    rotations: rotationsConfig.default([]),
    releases: releasesConfig.prefault({}),
    delivery: deliveryConfig.prefault({}),
    cadence: cadenceConfig.prefault({}),
    onboarding: onboardingConfig.prefault({}),
    /** Alert integrations and routing (src/domain/alert/config.ts). */
    alerts: alertsConfig.prefault({}),
    /** Sanity limits on typed lengths (tours, leave); see src/domain/limits.ts. */
    limits: limitsConfig,
    /** Web pages: link lifetime and rate limit (src/domain/web/config.ts). */
    web: webConfig,
  });

// Cross-references run even when some fields are wrong (`when`), so check-config lists every
// problem in one pass instead of in stages.
export const configSchema = configShape.superRefine((cfg, ctx) => checkCrossReferences(cfg, ctx), { when: () => true });

type Shape = z.output<typeof configShape>;
type RefineCtx = z.core.$RefinementCtx<Shape>;

/**
 * Runs one cross-reference check. With `when`, a section may still hold what the user wrote
 * (a string where a list belongs); the schema has reported that, so its walk is skipped.
 */
function guarded(check: () => void): void {
  try {
    check();
  } catch {
    // Already reported as a wrong type; one problem, not a crash.
  }
}

function checkCrossReferences(cfg: Shape, ctx: RefineCtx): void {
  guarded(() => checkCadenceConfig(cfg, ctx));
  guarded(() => checkUniqueIds(cfg, ctx));
  guarded(() => {
    for (const p of onboardingProblems(cfg)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });
  guarded(() => checkNoticesConfig(cfg, ctx));
  guarded(() => checkRotationsConfig(cfg, ctx));
  guarded(() => checkReleasesConfig(cfg, ctx));
  guarded(() => checkAlertsConfig(cfg, ctx));
  guarded(() => checkPeopleNamed(cfg, ctx));
  guarded(() => checkOneHandleOnePerson(cfg, ctx));
}

function checkUniqueIds(cfg: Shape, ctx: RefineCtx): void {
  const unique = (list: { id: string }[], path: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.id)) ctx.addIssue({ code: 'custom', path: [path, i, 'id'], message: `duplicate id "${x.id}": ids must be unique within ${path}` });
      seen.add(x.id);
    });
  };
  guarded(() => unique(cfg.people, 'people'));
  guarded(() => unique(cfg.teams, 'teams'));
  guarded(() => unique(cfg.environments, 'environments'));
}

/** Every person a team, environment or role names must be declared under people:. */
function checkPeopleNamed(cfg: Shape, ctx: RefineCtx): void {
  const people = new Set(cfg.people.map((p) => p.id));
  const known = (pid: string, path: (string | number)[]) => {
    if (typeof pid === 'string' && !people.has(pid)) ctx.addIssue({ code: 'custom', path, message: `unknown person "${pid}": add them under people: or fix the spelling` });
  };
  cfg.teams.forEach((t, i) => {
    guarded(() => t.members.forEach((m, j) => known(m, ['teams', i, 'members', j])));
    guarded(() => t.managers.forEach((m, j) => known(m, ['teams', i, 'managers', j])));
  });
  cfg.environments.forEach((e, i) => guarded(() => e.pres.forEach((m, j) => known(m, ['environments', i, 'pres', j]))));
  for (const [role, list] of Object.entries(cfg.roles)) {
    guarded(() =>
      list?.forEach((p, j) => {
        if (typeof p === 'string' && !p.includes(':')) known(p, ['roles', role, j]);
      }),
    );
  }
}

/** One person is one identity: a platform handle may belong to one person only. */
function checkOneHandleOnePerson(cfg: Shape, ctx: RefineCtx): void {
  for (const platform of ['slack', 'mattermost'] as const) {
    const owners = new Map<string, string>();
    cfg.people.forEach((p, i) => {
      const handle = p[platform];
      if (!handle) return;
      const other = owners.get(handle);
      if (other) ctx.addIssue({ code: 'custom', path: ['people', i, platform], message: `${platform} handle "${handle}" already belongs to "${other}": one handle, one person` });
      owners.set(handle, p.id);
    });
  }
}

export type Config = z.infer<typeof configSchema>;
export type Person = Config['people'][number];
export type Team = Config['teams'][number];
export type Environment = Config['environments'][number];

export interface ConfigProblem {
  path: string;
  message: string;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

/** Largest config file accepted: real configs are tens of KiB; more is a mistake or an attack. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Alias budget of the YAML (the yaml package's own measure: uses of an alias times the aliases
 * inside what it names). Plain anchors of flat lists cost nothing; nested ones ("billion laughs")
 * blow past it long before they exhaust memory.
 */
export const MAX_CONFIG_ALIASES = 100;

const problem = (path: string, message: string): { ok: false; problems: ConfigProblem[] } => ({ ok: false, problems: [{ path, message }] });

/** Parse YAML text into a validated config, collecting every problem (YAML and schema). */
export function parseConfig(text: string): ConfigResult {
  const raw = readYaml(text);
  if (!raw.ok) return raw;
  // reportInput: each problem can quote the value found, not just say what was expected.
  const parsed = configSchema.safeParse(raw.value, { reportInput: true });
  if (parsed.success) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((iss) => ({ path: formatPath(iss.path), message: describeIssue(iss) })),
  };
}

/**
 * The YAML document as plain data, refused when it cannot be a config: too big, broken syntax,
 * too many aliases, or no mapping of sections at all. An empty document is refused rather than
 * read as "all defaults": a file caught half-written by an editor would otherwise drop every
 * person, role and cadence on reload.
 */
function readYaml(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; problems: ConfigProblem[] } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CONFIG_BYTES) return problem('(file)', `the file is ${bytes} bytes, more than the ${MAX_CONFIG_BYTES} allowed — split out what does not belong in the config`);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({ path: e.linePos ? `line ${e.linePos[0].line}` : '(yaml)', message: `${e.message.split('\n')[0]} — fix the YAML syntax` })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_CONFIG_ALIASES });
  } catch (e) {
    // The yaml package throws a ReferenceError when aliases expand past the limit.
    return problem('(yaml)', `${(e as Error).message}: use at most ${MAX_CONFIG_ALIASES} aliases (*name) and do not nest them — write the lists out instead`);
  }
  if (value === null || value === undefined) return problem('(file)', 'the file is empty (no settings, only blanks, comments or "null") — a config needs at least people: and roles:; was it saved half-way?');
  if (typeof value !== 'object' || Array.isArray(value)) {
    return problem('(top level)', `the file holds ${Array.isArray(value) ? 'a list' : `a single ${typeof value} value`}, not a mapping of sections — start with "timezone:", "people:", "roles:" (see day2.example.yaml)`);
  }
  if (Object.keys(value).length === 0) return problem('(file)', 'the file is an empty mapping ({}) — a config needs at least people: and roles: (see day2.example.yaml)');
  return { ok: true, value: value as Record<string, unknown> };
}

export async function loadConfig(file: string): Promise<ConfigResult> {
  let text: string;
  try {
    // Check the size before reading, so a huge file (a log written over the config) is not loaded.
    const { size } = await stat(file);
    if (size > MAX_CONFIG_BYTES) return problem(file, `the file is ${size} bytes, more than the ${MAX_CONFIG_BYTES} allowed — is it the right file?`);
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return problem(file, code === 'ENOENT' ? `file not found — copy day2.example.yaml to ${file} or set DAY2_CONFIG` : `cannot read: ${(e as Error).message}`);
  }
  return parseConfig(text);
}

export function formatProblems(problems: ConfigProblem[]): string {
  return problems.map((p) => `  ✖ ${p.path}: ${p.message}`).join('\n');
}

function formatPath(path: PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** The value found, as the user wrote it, quoted and cut to fit on one line. */
export function quoteFound(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return `a list of ${count(input.length, 'item')}`;
  if (typeof input === 'object') return 'a mapping';
  const text = typeof input === 'string' ? input : String(input);
  const cut = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return typeof input === 'string' ? `"${cut}"` : `${cut} (a ${typeof input})`;
}

const TYPE_NAMES: Record<string, string> = { array: 'a list', object: 'a mapping', string: 'text', number: 'a number', boolean: 'true or false', int: 'a whole number' };

function describeIssue(iss: z.core.$ZodIssue): string {
  if (iss.code === 'unrecognized_keys') return `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')} — check the spelling against day2.example.yaml`;
  const expected = iss.code === 'invalid_type' ? (TYPE_NAMES[iss.expected] ?? iss.expected) : '';
  if (iss.code === 'invalid_type' && iss.input === undefined) return `required field is missing — add it (expected ${expected})`;
  if (iss.code === 'invalid_type') return `wrong type: expected ${expected}, found ${quoteFound(iss.input)} — write it as ${expected}`;
  if (iss.code === 'invalid_value') return `${quoteFound(iss.input)} is not allowed — use one of ${iss.values.map((v) => `"${String(v)}"`).join(', ')}`;
  // Custom messages usually quote the value already; add it only when they do not.
  if (iss.input === undefined || typeof iss.input === 'object') return iss.message;
  const found = quoteFound(iss.input);
  return iss.message.includes(String(iss.input)) ? iss.message : `${iss.message} (found ${found})`;
}
