/**
 * `/notice subscribe`, `unsubscribe`, `subscriptions` and `ical`: the ways to follow an
 * environment's notices, a channel subscription or the private calendar feed of its maintenance.
 */
import { z } from 'zod';
import { NOTICE_KINDS, type NoticeKind } from '../../src/domain/notice/config.js';
import { arg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import { PRE_OR_ADMIN, authorOf, channelLabel, commaList, components, componentsArg, preOf, service } from './shared.js';

/** The channel the command was typed in; console channels subscribe like any other. */
function chatChannel(ctx: CommandContext): { platform: 'slack' | 'mattermost' | 'console'; channelId: string } {
  const { platform, id } = ctx.event.channel;
  return { platform, channelId: id };
}

function kinds(raw: string | undefined): NoticeKind[] | undefined {
  if (!raw || raw === 'all') return undefined;
  const out = commaList(raw);
  for (const k of out) if (!(NOTICE_KINDS as readonly string[]).includes(k)) throw new InputError(`"${k}" is not a notice kind: use ${NOTICE_KINDS.join(', ')} or all (comma-separated)`);
  return out as NoticeKind[];
}

const subscribe = defineCommand({
  name: 'subscribe',
  summary: "Subscribe this channel to an environment's notices (optionally some kinds / components)",
  usage: 'subscribe <env> [kinds] [components]',
  examples: ['/notice subscribe prod-east', '/notice subscribe prod-east outage,maintenance api,db'],
  args: z.object({ env: arg.text({ max: 63 }), kinds: arg.text({ max: 100, hint: 'kinds, comma-separated: outage,maintenance,deploy (or all)' }).optional(), components: componentsArg }),
  positional: ['env', 'kinds', 'components'],
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const channel = chatChannel(ctx);
    const k = kinds(a.kinds);
    const c = components(a.components);
    await service(ctx).store.subscribe({ env: env.id, ...channel, ...(k ? { kinds: k } : {}), ...(c.length ? { components: c } : {}), by: authorOf(ctx).name });
    return ctx.reply('notices/subscribed', { env: env.id, envName: env.name, kinds: k ?? [], components: c, classification: env.classification });
  },
});

const unsubscribe = defineCommand({
  name: 'unsubscribe',
  summary: "Stop this channel's notices for an environment",
  usage: 'unsubscribe <env>',
  examples: ['/notice unsubscribe prod-east'],
  args: z.object({ env: arg.text({ max: 63 }) }),
  positional: ['env'],
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const channel = chatChannel(ctx);
    const configured = ctx.services.config().notices.subscriptions.some((s) => s.env === env.id && s.platform === channel.platform && s.channel === channel.channelId);
    const removed = await service(ctx).store.unsubscribe(env.id, channel.platform, channel.channelId);
    if (!removed && configured) throw new InputError(`this channel's subscription to ${env.name} comes from the config file (notices.subscriptions, env ${env.id}); remove it there`);
    if (!removed) throw new InputError(`this channel is not subscribed to ${env.name}`);
    return ctx.reply('notices/unsubscribed', { env: env.id, envName: env.name, configured, classification: env.classification });
  },
});

const subscriptions = defineCommand({
  name: 'subscriptions',
  summary: "This channel's notice subscriptions (admins: all of them)",
  usage: 'subscriptions',
  examples: ['/notice subscriptions'],
  args: z.object({}),
  positional: [],
  role: 'anyone',
  mutates: false,
  async handler(ctx) {
    const all = ctx.caller.roles.has('admin');
    const here = ctx.event.channel;
    // A subscription stored in chat may outlive its environment in the config: it reads by id then.
    const names = new Map(ctx.services.config().environments.map((e) => [e.id, e.name]));
    const rows = [
      ...ctx.services.config().notices.subscriptions.map((s) => ({ env: s.env, platform: s.platform, channelId: s.channel, kinds: s.kinds, components: s.components, configured: true })),
      ...(await service(ctx).store.subscriptions()).map((s) => ({ ...s, configured: false })),
    ]
      .filter((s) => all || (s.platform === here.platform && s.channelId === here.id))
      .map((s) => ({ env: s.env, envName: names.get(s.env) ?? s.env, platform: s.platform, channelId: s.channelId, kinds: s.kinds?.join(', ') ?? 'all', components: s.components?.join(', ') ?? 'all', configured: s.configured }));
    const subs = await Promise.all(rows.map(async (r) => ({ ...r, channel: await channelLabel(ctx, r.platform, r.channelId) })));
    return ctx.reply('notices/subscriptions', { subs, scope: all ? 'all channels' : 'this channel' });
  },
});

const icalCmd = defineCommand({
  name: 'ical',
  summary: "The private iCalendar feed address of an environment's maintenance windows",
  usage: 'ical <env>',
  examples: ['/notice ical prod-east'],
  args: z.object({ env: arg.text({ max: 63 }) }),
  positional: ['env'],
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const tokens = ctx.services.icalTokens;
    if (!tokens || !ctx.services.publicUrl) throw new Error('iCal feeds are not wired into this bot');
    return ctx.reply('notices/ical', { env: env.id, envName: env.name, url: `${ctx.services.publicUrl}/ical/maintenance/${env.id}.ics?token=${await tokens.tokenFor(env.id)}` });
  },
});

/** The commands that follow an environment, in help order. */
export const followingCommands: CommandDecl<any>[] = [subscribe, unsubscribe, subscriptions, icalCmd];
