/**
 * The `notices:` section of the config file: subscriptions declared in git, reminder offsets for
 * maintenance windows, and optional fixed iCal feed tokens. Kept apart from src/config.ts so the
 * notices feature owns its own schema; src/config.ts adds it with one line and calls
 * `checkNoticesConfig` from its cross-reference check.
 */
import { z } from 'zod';
import { parseDuration } from '../../time/duration.js';

export const NOTICE_KINDS = ['outage', 'maintenance', 'deploy'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

const envId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'an environment id (lowercase letters, digits and "-")' });
const component = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'component names are letters, digits, ".", "_" and "-"' });

/** An exact duration ("24h", "90m", "1d"): reminders count back from the start by wall time. */
const offset = z.string().refine((s) => parseDuration(s).ok, { error: (iss) => `"${String(iss.input)}" is not a duration such as 24h, 1h or 30m` });

export const noticeSubscriptionConfig = z.strictObject({
  /** Environment whose notices the channel receives. */
  env: envId,
  platform: z.enum(['slack', 'mattermost', 'console']),
  /** Slack channel id (`C…`) or Mattermost channel id (26 characters). */
  channel: z.string().min(1),
  /** Only these kinds; all kinds when absent. */
  kinds: z.array(z.enum(NOTICE_KINDS)).min(1).optional(),
  /** Only notices naming one of these components (notices that name none reach everyone). */
  components: z.array(component).min(1).optional(),
});

export const noticesConfig = z
  .strictObject({
    subscriptions: z.array(noticeSubscriptionConfig).default([]),
    /** Reminders before a maintenance window starts. Default 24 h and 1 h. */
    reminderOffsets: z.array(offset).max(10).default(['24h', '1h']),
    /** Longest maintenance window accepted (a typo such as 2w for 2h is caught). Default 14 days. */
    maxWindow: offset.default('14d'),
    /** Fixed secret tokens for GET /ical/maintenance/<env>.ics; otherwise Day2 derives one per environment. */
    icalTokens: z.record(envId, z.string().min(16, { error: 'use at least 16 characters for a feed token' })).default({}),
  })
  .prefault({});

export type NoticesConfig = z.infer<typeof noticesConfig>;
export type NoticeSubscriptionConfig = z.infer<typeof noticeSubscriptionConfig>;

const SLACK_CHANNEL = /^[CG][A-Z0-9]{2,}$/;
const MATTERMOST_CHANNEL = /^[a-z0-9]{26}$/;
const CONSOLE_CHANNEL = /^[a-z0-9][a-z0-9_-]{0,79}$/;

interface IssueSink {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** Cross-references: environments named under notices must exist; channel ids must fit their platform. */
export function checkNoticesConfig(cfg: { notices: NoticesConfig; environments: { id: string }[] }, ctx: IssueSink): void {
  const envs = new Set(cfg.environments.map((e) => e.id));
  cfg.notices.subscriptions.forEach((s, i) => {
    if (!envs.has(s.env)) ctx.addIssue({ code: 'custom', path: ['notices', 'subscriptions', i, 'env'], message: `unknown environment "${s.env}": add it under environments: or fix the spelling` });
    const re = s.platform === 'slack' ? SLACK_CHANNEL : s.platform === 'mattermost' ? MATTERMOST_CHANNEL : CONSOLE_CHANNEL;
    if (!re.test(s.channel)) {
      const message = { slack: 'Slack channel ids look like "C0123ABCD"', mattermost: 'Mattermost channel ids are 26 lowercase letters/digits', console: 'console channels are names such as "prod-east-notices"' }[s.platform];
      ctx.addIssue({ code: 'custom', path: ['notices', 'subscriptions', i, 'channel'], message });
    }
  });
  for (const env of Object.keys(cfg.notices.icalTokens)) {
    if (!envs.has(env)) ctx.addIssue({ code: 'custom', path: ['notices', 'icalTokens', env], message: `unknown environment "${env}"` });
  }
}
