/**
 * Settings that come from the environment: secrets and deployment specifics. Validated with zod
 * like the config file, and reported the same way (every problem, with a hint).
 */
import { z } from 'zod';
import type { ConfigProblem } from './config.js';
import { parseDuration } from './time/duration.js';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (hint: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), { error: `must be an http(s) URL, ${hint}` });

export const envSchema = z
  .object({
    DAY2_CONFIG: z.string().default('./day2.yaml'),
    DAY2_TEMPLATES_DIR: optionalString,
    REDIS_URL: optionalString.refine((v) => v === undefined || /^(rediss?|redis\+sentinel|redis\+cluster):\/\//.test(v), {
      error: 'must start with redis://, rediss://, redis+sentinel:// or redis+cluster://',
    }),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** Address Mattermost uses to reach Day2 for buttons and dialogs. */
    DAY2_PUBLIC_URL: url('e.g. https://day2.example.com'),
    /** HMAC key for Mattermost button/dialog integrity; derived from MATTERMOST_TOKEN when unset. */
    DAY2_ACTION_SECRET: optionalString,
    /** How long a Mattermost button or dialog stays valid (`7d`, `36h`…), in ms; default 7 days. */
    DAY2_ACTION_TTL: optionalString.transform((v, ctx) => {
      if (v === undefined) return undefined;
      const d = parseDuration(v);
      // A month counts as 30 days: this is a validity window, not a calendar date.
      const ms = d.ok ? (d.value.ms ?? 0) + ((d.value.days ?? 0) + 7 * (d.value.weeks ?? 0) + 30 * (d.value.months ?? 0)) * 86_400_000 : 0;
      if (d.ok && ms >= 60_000 && ms <= 366 * 86_400_000) return ms;
      ctx.addIssue({ code: 'custom', message: `must be a duration from 1m to 366d such as 7d or 36h${d.ok ? '' : ` (${d.problem})`}` });
      return z.NEVER;
    }),
    SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xoxb-'), { error: 'must be a bot token starting with xoxb-' }),
    SLACK_SIGNING_SECRET: optionalString,
    SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), { error: 'must be an app-level token starting with xapp- (Socket Mode)' }),
    SLACK_API_URL: url('e.g. https://slack.com/api/'),
    MATTERMOST_URL: url('e.g. https://chat.example.com'),
    MATTERMOST_TOKEN: optionalString,
    MATTERMOST_COMMAND_TOKENS: optionalString.transform((v) => (v ? v.split(',').map((t) => t.trim()).filter(Boolean) : [])),
    MATTERMOST_WEBSOCKET: z.enum(['true', 'false']).default('true'),
    /** Force the console adapter on (it is on by default only when no platform is configured). */
    DAY2_CONSOLE: z.enum(['true', 'false', 'auto']).default('auto'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** HTTP: all request headers must arrive within this many ms (slow clients are cut off). */
    DAY2_HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
    /** HTTP: the whole request, headers and body, must arrive within this many ms. */
    DAY2_HTTP_BODY_TIMEOUT_MS: z.coerce.number().int().min(1).default(30_000),
    /** How often queue depths are read from Redis for /metrics (scrapes never read Redis). */
    DAY2_QUEUE_DEPTH_INTERVAL_MS: z.coerce.number().int().min(10).default(15_000),
  })
  .superRefine((env, ctx) => {
    // A platform is either fully configured or not at all: half a configuration is a mistake.
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN)
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'required with SLACK_BOT_TOKEN in HTTP mode (Slack app → Basic Information → Signing Secret), or set SLACK_APP_TOKEN for Socket Mode' });
    if (!env.SLACK_BOT_TOKEN && (env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN))
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'required when other SLACK_* settings are given (Slack app → OAuth & Permissions → Bot User OAuth Token)' });
    if (env.MATTERMOST_URL && !env.MATTERMOST_TOKEN)
      ctx.addIssue({ code: 'custom', path: ['MATTERMOST_TOKEN'], message: 'required with MATTERMOST_URL (a bot account access token)' });
    if (env.MATTERMOST_TOKEN && !env.MATTERMOST_URL)
      ctx.addIssue({ code: 'custom', path: ['MATTERMOST_URL'], message: 'required with MATTERMOST_TOKEN (your server address, e.g. https://chat.example.com)' });
    if (env.MATTERMOST_URL && env.MATTERMOST_COMMAND_TOKENS.length === 0)
      ctx.addIssue({ code: 'custom', path: ['MATTERMOST_COMMAND_TOKENS'], message: 'required with MATTERMOST_URL: the comma-separated tokens of the registered slash commands (see README, "Connect Mattermost")' });
  });

export type Env = z.infer<typeof envSchema>;

export type EnvResult = { ok: true; env: Env } | { ok: false; problems: ConfigProblem[] };

export function parseEnv(source: NodeJS.ProcessEnv = process.env): EnvResult {
  const parsed = envSchema.safeParse(source);
  if (parsed.success) return { ok: true, env: parsed.data };
  return { ok: false, problems: parsed.error.issues.map((i) => ({ path: `env ${i.path.join('.')}`, message: i.message })) };
}

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
