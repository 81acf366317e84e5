/**
 * The `alerts` config section: integrations (where alerts come in, each with its own secret) and
 * routing rules (which team an alert belongs to and how urgent it is). Secrets never live in the
 * config file: an integration names the environment variable holding its bearer token.
 */
import { z } from 'zod';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lowercase letters, digits and "-" (e.g. "prom-prod")' });

export const INTEGRATION_KINDS = ['alertmanager', 'grafana', 'webhook', 'heartbeat'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

export const URGENCIES = ['high', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];

const labelName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'a label name (letters, digits, "_")' });

const envName = z.string().regex(/^[A-Z][A-Z0-9_]{0,127}$/, { error: 'the name of an environment variable holding the token, e.g. "DAY2_ALERTMANAGER_TOKEN"' });

const integration = z.strictObject({
  id,
  kind: z.enum(INTEGRATION_KINDS),
  /** Environment variable holding this integration's bearer token (secrets stay out of the file). */
  tokenEnv: envName,
  /** Teams whose alerts this integration may page; empty = every team. */
  teams: z.array(id).default([]),
  /** Heartbeat only: a beat is expected at least this often; a missed one pages its first team. */
  intervalSeconds: z.int().min(1).max(7 * 86_400).optional(),
  /** Alertmanager only: create a silence there when a page is acknowledged or snoozed. */
  silences: z
    .strictObject({
      /** The Alertmanager's base URL as Day2 reaches it, e.g. "http://alertmanager:9093". */
      url: z.url({ protocol: /^https?$/, error: 'an http(s) URL such as "http://alertmanager:9093"' }),
      onAck: z.boolean().default(true),
      onSnooze: z.boolean().default(true),
      /** How long an acknowledgement silences the group (it is lifted when the page resolves). */
      ackMinutes: z.int().min(1).max(7 * 24 * 60).default(60),
      /**
       * Silence the environment's alerts for each maintenance window a notice announces (from its
       * start to its end, moved when it is extended, lifted when it is completed or cancelled).
       */
      maintenance: z.boolean().default(false),
      /** The alert label naming the environment; its value is the notice's environment id. */
      envLabel: labelName.default('env'),
      /** The alert label naming a component; when set, a notice with components silences only those. */
      componentLabel: labelName.optional(),
    })
    .optional(),
});

/** A label matcher: exact text, or a regular expression written as "/…/". */
const matcher = z.string().min(1).max(256).refine(validMatcher, { error: 'an exact value, or a regular expression between slashes, e.g. "/^(critical|page)$/"' });

const route = z.strictObject({
  /** Labels the alert must carry; every one must match. */
  match: z.record(labelName, matcher).default({}),
  team: id,
  urgency: z.enum(URGENCIES).default('high'),
});

const urgencyTimeout = z.int().min(1).max(86_400);

export const alertsConfig = z.strictObject({
  integrations: z.array(integration).default([]),
  /** First matching rule wins. */
  routes: z.array(route).default([]),
  /** Where an alert no rule matches goes (and is counted). */
  defaultTeam: id.optional(),
  /** Seconds before an unacknowledged page escalates, per urgency. */
  ackTimeoutSeconds: z.strictObject({ high: urgencyTimeout.default(300), low: urgencyTimeout.default(1800) }).prefault({}),
  /** How long Snooze holds a page before it pages again, in minutes. */
  snoozeMinutes: z.int().min(1).max(24 * 60).default(30),
  /** Largest webhook body accepted, in bytes. */
  maxBodyBytes: z.int().min(1024).max(10 * 1024 * 1024).default(1024 * 1024),
});

export type AlertsConfig = z.output<typeof alertsConfig>;
export type AlertRoute = AlertsConfig['routes'][number];
export type Integration = AlertsConfig['integrations'][number];

export function validMatcher(text: string): boolean {
  if (!(text.length > 1 && text.startsWith('/') && text.endsWith('/'))) return true;
  try {
    new RegExp(text.slice(1, -1));
    return true;
  } catch {
    return false;
  }
}

interface CheckCtx {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** Teams named by routes and integrations must exist; ids must be unique. */
export function checkAlertsConfig(cfg: { teams: { id: string }[]; alerts: AlertsConfig }, ctx: CheckCtx): void {
  const teams = new Set(cfg.teams.map((t) => t.id));
  const known = (team: string, path: (string | number)[]) => {
    if (!teams.has(team)) ctx.addIssue({ code: 'custom', path, message: `unknown team "${team}": add it under teams: or fix the spelling` });
  };
  const seen = new Set<string>();
  cfg.alerts.integrations.forEach((i, n) => {
    if (seen.has(i.id)) ctx.addIssue({ code: 'custom', path: ['alerts', 'integrations', n, 'id'], message: `duplicate id "${i.id}": integration ids must be unique` });
    seen.add(i.id);
    i.teams.forEach((t, j) => known(t, ['alerts', 'integrations', n, 'teams', j]));
    if (i.silences && i.kind !== 'alertmanager') ctx.addIssue({ code: 'custom', path: ['alerts', 'integrations', n, 'silences'], message: `only an alertmanager integration can create silences; remove silences: from "${i.id}" (kind ${i.kind})` });
    if (i.kind === 'heartbeat' && !i.intervalSeconds) ctx.addIssue({ code: 'custom', path: ['alerts', 'integrations', n, 'intervalSeconds'], message: 'a heartbeat needs intervalSeconds: how often a beat is expected' });
  });
  cfg.alerts.routes.forEach((r, n) => known(r.team, ['alerts', 'routes', n, 'team']));
  if (cfg.alerts.defaultTeam) known(cfg.alerts.defaultTeam, ['alerts', 'defaultTeam']);
  if (cfg.alerts.integrations.length > 0 && !cfg.alerts.defaultTeam) {
    ctx.addIssue({ code: 'custom', path: ['alerts', 'defaultTeam'], message: 'required when integrations are declared: alerts no route matches go to this team' });
  }
}
