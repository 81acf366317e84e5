/**
 * `rotations[].dutyGroup`: where a team's "who is on duty now" is kept current on each platform,
 * so `@payments-tribute` always reaches whoever holds the rotation at the moment.
 *
 *   dutyGroup:
 *     slack:                          # a Slack user group whose members are the people on duty
 *       usergroup: payments-tribute   # handle without @, or the group id S…; default <team>-tribute
 *       create: true                  # create it when no group has that handle (default false)
 *       name: Payments tribute        # its name when created; default "<team name> tribute"
 *     mattermost:                     # a line in a channel header (bots get no user groups there)
 *       channel: <channel id>         # default: the team's first Mattermost channel
 *
 * A platform left out is not touched.
 */
import { z } from 'zod';

const SLACK_GROUP_ID = /^S[A-Z0-9]{2,}$/;

const slackDutyGroup = z.strictObject({
  usergroup: z
    .string()
    .regex(/^(S[A-Z0-9]{2,}|[a-z0-9][a-z0-9._-]{0,79})$/, { error: 'a user group handle without the @ (e.g. "payments-tribute") or the group id (e.g. "S0123ABCD")' })
    .optional(),
  create: z.boolean().default(false),
  name: z.string().min(1).max(80).optional(),
});

const mattermostDutyHeader = z.strictObject({
  channel: z.string().regex(/^[a-z0-9]{26}$/, { error: 'Mattermost channel ids are 26 lowercase letters/digits (channel menu → View Info)' }).optional(),
});

export const dutyGroupConfig = z.strictObject({
  slack: slackDutyGroup.optional(),
  mattermost: mattermostDutyHeader.optional(),
});

export type DutyGroupConfig = z.infer<typeof dutyGroupConfig>;

/** Where the on-duty group lives on each platform, defaults applied. */
export interface DutyGroupTargets {
  slack?: { target: string; create?: { name: string } };
  mattermost?: { target: string };
}

interface IssueSink {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** Problems a schema cannot see (called for each rotation that has a `dutyGroup`). */
export function checkDutyGroup(group: DutyGroupConfig, team: { channels?: { mattermost: string[] } } | undefined, path: (string | number)[], ctx: IssueSink): void {
  if (!group.slack && !group.mattermost) {
    ctx.addIssue({ code: 'custom', path, message: 'name at least one platform: dutyGroup: { slack: {} } for a user group, { mattermost: {} } for the channel header' });
  }
  if (group.slack?.create && group.slack.usergroup && SLACK_GROUP_ID.test(group.slack.usergroup)) {
    ctx.addIssue({ code: 'custom', path: [...path, 'slack', 'create'], message: 'a group is created under a handle, not an id: give usergroup a handle, or drop create' });
  }
  if (group.mattermost && !group.mattermost.channel && team && !team.channels?.mattermost.length) {
    ctx.addIssue({ code: 'custom', path: [...path, 'mattermost', 'channel'], message: "the team has no Mattermost channel to put the header in: name one here or under the team's channels" });
  }
}

export function dutyGroupTargets(group: DutyGroupConfig | undefined, team: { id: string; name: string; channels?: { mattermost: string[] } }): DutyGroupTargets {
  if (!group) return {};
  const out: DutyGroupTargets = {};
  if (group.slack) {
    const target = group.slack.usergroup ?? `${team.id}-tribute`;
    out.slack = { target, ...(group.slack.create ? { create: { name: group.slack.name ?? `${team.name} tribute` } } : {}) };
  }
  const channel = group.mattermost ? (group.mattermost.channel ?? team.channels?.mattermost[0]) : undefined;
  if (channel) out.mattermost = { target: channel };
  return out;
}
