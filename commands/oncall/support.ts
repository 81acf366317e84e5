/**
 * `/support …` (also `/day2 support …`): ask a team for help. The request goes to the team's
 * channels addressed to whoever holds its rotation now, with Ack / Resolve buttons; unanswered,
 * it re-notifies and then escalates (src/services/oncall/support.ts).
 *
 * The team comes from `team=`, else from the channel the command was typed in (a team's own
 * channel), else the caller's only team (a host team on tour counts). Ack / Resolve take a member
 * of the team now: a guest on tour with it included.
 */
import { z } from 'zod';
import type { Team } from '../../src/config.js';
import { arg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand, defineFamily } from '../../src/dispatch/define.js';
import type { CommandContext } from '../../src/dispatch/types.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { memberNow, teamsNow } from '../../src/services/oncall/membership.js';
import type { SupportService } from '../../src/services/oncall/support.js';

function service(ctx: CommandContext): SupportService {
  const s = ctx.services.support;
  if (!s) throw new Error('the support service is not wired into this bot');
  return s;
}

async function teamFor(ctx: CommandContext, teamId: string | undefined): Promise<Team> {
  const cfg = ctx.services.config();
  const withRotation = cfg.teams.filter((t) => cfg.rotations.some((r) => r.team === t.id));
  const list = withRotation.map((t) => t.id).join(', ') || 'none yet';
  if (teamId) {
    const t = cfg.teams.find((x) => x.id === teamId.toLowerCase());
    if (!t) throw new InputError(`Unknown team "${teamId}". Teams taking support requests: ${list}.`);
    if (!withRotation.includes(t)) throw new InputError(`Team "${t.id}" has no rotation, so nobody would get the request. Teams taking support requests: ${list}.`);
    return t;
  }
  const { platform, id } = ctx.event.channel;
  const inChannels = (c: { slack: string[]; mattermost: string[]; console?: string[] } | undefined) => (platform === 'slack' ? c?.slack : platform === 'mattermost' ? c?.mattermost : c?.console)?.includes(id);
  const here = withRotation.find((t) => inChannels(t.channels) || inChannels(t.supportChannels));
  if (here) return here;
  const me = ctx.caller.person?.id;
  // A guest on tour belongs to the host team too.
  const mine = me ? await teamsNow(ctx.services.tours, withRotation, me, ctx.now()) : [];
  if (mine.length === 1) return mine[0]!;
  throw new InputError(`Which team? Add team=<id>. Teams taking support requests: ${list}.`);
}

const ask = defineCommand({
  name: 'ask',
  summary: "Ask a team for help: goes to its current tribute, with Ack / Resolve buttons and an SLA",
  usage: 'ask [team=<id>] <text>',
  examples: ['/support The staging login page is blank', '/support team=payments Refunds are stuck in pending', '/support ask The staging login page is blank'],
  args: z.object({ team: arg.text({ max: 63, hint: 'a team id such as payments' }).optional(), text: arg.rest({ max: 2000 }) }),
  positional: ['text'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, args) {
    const team = await teamFor(ctx, args.team);
    const { platform, id } = ctx.event.channel;
    if (platform !== 'slack' && platform !== 'mattermost' && platform !== 'console') throw new InputError('Support requests come from Slack or Mattermost.');
    await ctx.services.oncall?.rememberUser(ctx.caller.user);
    const r = await service(ctx).create({ team: team.id, text: args.text, asker: { platform, userId: ctx.caller.user.id, channelId: id, ...(ctx.caller.person ? { personId: ctx.caller.person.id } : {}) } }, ctx.now());
    return ctx.reply('support/created', { id: r.id, team: team.name, assignee: r.assignee ? `person:${r.assignee}` : null, self: !!r.assignee && r.assignee === ctx.caller.person?.id });
  },
});

function answer(kind: 'ack' | 'resolve') {
  return defineButton({
    actionId: kind === 'ack' ? 'supportack' : 'supportresolve',
    role: 'anyone',
    mutates: true,
    async handler(ctx, value) {
      const svc = service(ctx);
      const r = await svc.get(value);
      if (!r) throw new InputError('That support request no longer exists.');
      const team = ctx.services.config().teams.find((t) => t.id === r.team);
      const me = ctx.caller.person?.id;
      if (!me || !team || !(await memberNow(ctx.services.tours, team, me, ctx.now()))) throw new ForbiddenError(`Only members of ${team?.name ?? r.team} can take its support requests.`);
      if (kind === 'ack' && r.ackedAt) return { ...ctx.info('Already acknowledged.'), changed: false };
      if (kind === 'resolve' && r.resolvedAt) return { ...ctx.info('Already resolved.'), changed: false };
      await ctx.services.oncall?.rememberUser(ctx.caller.user);
      const done = kind === 'ack' ? await svc.ack(r.id, me, ctx.now()) : await svc.resolve(r.id, me, ctx.now());
      // The channel copies are edited through the delivery queue; this answers the clicker.
      return ctx.ok(kind === 'ack' ? `You have support request ${done.id}.` : `Support request ${done.id} is resolved; the asker is told.`);
    },
  });
}

export const supportFamily = defineFamily({
  name: 'support',
  aliases: ['/support'],
  summary: "Ask a team for help; it goes to the team's current tribute",
  // `/support <text>` is the natural form: anything that is not a subcommand is a request.
  defaultCommand: 'ask',
  commands: [ask],
  buttons: [answer('ack'), answer('resolve')],
});
