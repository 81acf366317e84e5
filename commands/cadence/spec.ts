/**
 * Reads what follows `/cadence create <name>` (and the options of `/cadence edit`) into the parts
 * of a cadence, checking each against the config: schedule, time, zone, channels and options.
 *
 *   <schedule words…> <HH:MM> [zone] [channel…] [kind=…] [title="…"] [template=…] [holidays=<calendar>[:skip|shift]]
 *   [reminders=1d,1h|none] [blocking=yes] [env=prod,staging] [invite=pre,rele] [duration=1h] [start=YYYY-MM-DD]
 *
 * The schedule may span words ("monthly last fri") or be one quoted string or `RRULE:…` word.
 */
import { tokenize, type Token } from '../../src/dispatch/tokenize.js';
import { ROLES, type Role } from '../../src/domain/roles.js';
import { isValidZone } from '../../src/time/zone.js';
import { looksLikeChannel, parseCadenceChannel, type CadenceChannel, type ChannelRules } from '../../src/domain/cadence/channels.js';
import { CADENCE_KINDS, type CadenceKind } from '../../src/domain/cadence/config.js';
import { parseReminder } from '../../src/domain/cadence/reminders.js';
import { parseSchedule, parseTimeOfDay, type Parsed } from '../../src/domain/cadence/schedule.js';


export interface SpecRules {
  channels: ChannelRules;
  calendars: ReadonlySet<string>;
  environments: ReadonlySet<string>;
  templateExists(name: string): boolean;
}

/** Every optional part; absent means "not given". */
export interface CadenceOptions {
  schedule?: string;
  rule?: string;
  time?: { hour: number; minute: number };
  zone?: string;
  channels?: CadenceChannel[];
  kind?: CadenceKind;
  title?: string;
  template?: string;
  holidays?: { calendar: string; policy: 'skip' | 'shift' } | null;
  reminders?: string[];
  blocking?: boolean;
  environments?: string[];
  invite?: Role[];
  duration?: string;
  start?: string;
}

const OPTION_KEYS = ['schedule', 'time', 'zone', 'channels', 'kind', 'title', 'template', 'holidays', 'reminders', 'blocking', 'env', 'invite', 'duration', 'start'] as const;
const YES = new Set(['yes', 'true', 'on', '1']);
const NO = new Set(['no', 'false', 'off', '0']);

function fail<T>(problem: string): Parsed<T> {
  return { ok: false, problem };
}

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** Reads one option's value into `out`; a problem string on bad input. */
type OptionParser = (value: string, rules: SpecRules, out: CadenceOptions) => string | undefined;

function parseScheduleOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  const r = parseSchedule(value);
  if (!r.ok) return r.problem;
  out.schedule = value.trim();
  out.rule = r.value;
  return undefined;
}

function parseTimeOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  const r = parseTimeOfDay(value);
  if (!r.ok) return r.problem;
  out.time = r.value;
  return undefined;
}

function parseZoneOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  if (!isValidZone(value)) return `"${value}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)`;
  out.zone = value;
  return undefined;
}

function parseChannelsOption(value: string, rules: SpecRules, out: CadenceOptions): string | undefined {
  const chans: CadenceChannel[] = [];
  for (const c of list(value)) {
    const r = parseCadenceChannel(c, rules.channels);
    if (!r.ok) return r.problem;
    chans.push(r.value);
  }
  if (chans.length === 0) return 'channels= needs at least one channel';
  out.channels = chans;
  return undefined;
}

function parseKindOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  if (!(CADENCE_KINDS as readonly string[]).includes(value)) return `kind must be one of ${CADENCE_KINDS.join(', ')}, not "${value}"`;
  out.kind = value as CadenceKind;
  return undefined;
}

function parseTitleOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  if (value.trim().length === 0 || value.length > 120) return 'title must be 1 to 120 characters';
  out.title = value.trim();
  return undefined;
}

function parseTemplateOption(value: string, rules: SpecRules, out: CadenceOptions): string | undefined {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(value) || !rules.templateExists(value)) return `there is no template "${value}" (e.g. cadence/meeting; add your own under DAY2_TEMPLATES_DIR)`;
  out.template = value;
  return undefined;
}

function parseHolidaysOption(value: string, rules: SpecRules, out: CadenceOptions): string | undefined {
  if (value === 'none') {
    out.holidays = null;
    return undefined;
  }
  const [calendar = '', policy = 'skip'] = value.split(':');
  if (!rules.calendars.has(calendar)) return `unknown holiday calendar "${calendar}" (configured: ${[...rules.calendars].join(', ') || 'none'})`;
  if (policy !== 'skip' && policy !== 'shift') return `holiday policy must be skip or shift, not "${policy}"`;
  out.holidays = { calendar, policy };
  return undefined;
}

function parseRemindersOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  if (value === 'none') {
    out.reminders = [];
    return undefined;
  }
  const items = list(value);
  for (const r of items) {
    const p = parseReminder(r);
    if (!p.ok) return p.problem;
  }
  out.reminders = [...new Set(items)];
  return undefined;
}

function parseBlockingOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  if (YES.has(value.toLowerCase())) out.blocking = true;
  else if (NO.has(value.toLowerCase())) out.blocking = false;
  else return `blocking must be yes or no, not "${value}"`;
  return undefined;
}

function parseEnvOption(value: string, rules: SpecRules, out: CadenceOptions): string | undefined {
  const envs = list(value);
  const unknown = envs.find((e) => !rules.environments.has(e));
  if (unknown) return `unknown environment "${unknown}"`;
  out.environments = envs;
  return undefined;
}

function parseInviteOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  const roles = list(value);
  const bad = roles.find((r) => !(ROLES as readonly string[]).includes(r));
  if (bad) return `invite takes roles (${ROLES.join(', ')}), not "${bad}"`;
  out.invite = roles as Role[];
  return undefined;
}

function parseDurationOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  const p = parseReminder(value);
  if (!p.ok) return `duration: ${p.problem}`;
  out.duration = value;
  return undefined;
}

function parseStartOption(value: string, _rules: SpecRules, out: CadenceOptions): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return `start must be a date YYYY-MM-DD, not "${value}"`;
  out.start = value;
  return undefined;
}

const OPTION_PARSERS: Record<(typeof OPTION_KEYS)[number], OptionParser> = {
  schedule: parseScheduleOption,
  time: parseTimeOption,
  zone: parseZoneOption,
  channels: parseChannelsOption,
  kind: parseKindOption,
  title: parseTitleOption,
  template: parseTemplateOption,
  holidays: parseHolidaysOption,
  reminders: parseRemindersOption,
  blocking: parseBlockingOption,
  env: parseEnvOption,
  invite: parseInviteOption,
  duration: parseDurationOption,
  start: parseStartOption,
};

/** Apply one `key=value` option to `out`; a problem string on bad input. */
function applyOption(key: string, value: string, rules: SpecRules, out: CadenceOptions): string | undefined {
  // Own keys only: a key such as "toString" is an unknown option, not a method of the table.
  const parse = Object.hasOwn(OPTION_PARSERS, key) ? OPTION_PARSERS[key as keyof typeof OPTION_PARSERS] : undefined;
  if (!parse) return `unknown option "${key}" (options: ${OPTION_KEYS.join(', ')})`;
  return parse(value, rules, out);
}

function tokens(text: string): Parsed<Token[]> {
  try {
    return { ok: true, value: tokenize(text) };
  } catch (e) {
    return fail((e as Error).message);
  }
}

/** `<schedule…> <HH:MM> [zone] [channels…] [options]` — schedule and time are required. */
export function parseCreateSpec(text: string, rules: SpecRules): Parsed<CadenceOptions & { schedule: string; rule: string; time: { hour: number; minute: number } }> {
  const t = tokens(text);
  if (!t.ok) return t;
  const toks = t.value;
  const out: CadenceOptions = {};
  // The schedule runs to the first word shaped like a clock time.
  const timeAt = toks.findIndex((k) => k.kind === 'word' && !k.quoted && /^\d{1,2}:\d{1,2}$/.test(k.value));
  if (timeAt < 0) return fail('a time of day is missing after the schedule (24-hour HH:MM, e.g. 10:00)');
  const schedWords = toks.slice(0, timeAt);
  if (schedWords.length === 0) return fail('the schedule is missing before the time (e.g. "weekly mon", "monthly last fri", or RRULE:FREQ=…)');
  if (schedWords.some((k) => k.kind !== 'word')) return fail('options go after the schedule and time');
  const schedule = schedWords.map((k) => k.value).join(' ');
  const err = applyOption('schedule', schedule, rules, out) ?? applyOption('time', toks[timeAt]!.value, rules, out);
  if (err) return fail(err);

  const channels: CadenceChannel[] = [];
  for (const [i, k] of toks.slice(timeAt + 1).entries()) {
    if (k.kind !== 'word') {
      const problem = applyOption(k.key === 'environments' ? 'env' : k.key!, k.value, rules, out);
      if (problem) return fail(problem);
      continue;
    }
    if (i === 0 && !looksLikeChannel(k.value)) {
      const problem = applyOption('zone', k.value, rules, out);
      // A word without "/" may as well have been meant as a channel: say what either would look like.
      if (problem) return fail(k.value.includes('/') ? problem : `"${k.value}" is neither a time zone (e.g. Europe/Berlin, UTC) nor a channel Day2 can address ("here", a Slack channel link or id, or a Mattermost channel id)`);
      continue;
    }
    const r = parseCadenceChannel(k.value, rules.channels);
    if (!r.ok) return fail(r.problem);
    if (!channels.some((c) => c.platform === r.value.platform && c.channelId === r.value.channelId)) channels.push(r.value);
  }
  if (channels.length > 0) out.channels = [...(out.channels ?? []), ...channels];
  return { ok: true, value: { ...out, schedule: out.schedule!, rule: out.rule!, time: out.time! } };
}

/** `key=value …` for `/cadence edit`; at least one option. */
export function parseEditSpec(text: string, rules: SpecRules): Parsed<CadenceOptions> {
  const t = tokens(text);
  if (!t.ok) return t;
  const out: CadenceOptions = {};
  for (const k of t.value) {
    if (k.kind !== 'option') return fail(`"${k.value || k.key}" is not an option: write key=value (${OPTION_KEYS.join(', ')})`);
    const problem = applyOption(k.key === 'environments' ? 'env' : k.key!, k.value, rules, out);
    if (problem) return fail(problem);
  }
  if (Object.keys(out).length === 0) return fail(`nothing to change: give key=value options (${OPTION_KEYS.join(', ')})`);
  return { ok: true, value: out };
}
