/**
 * What every `/cadence` declaration shares: the role sets, the cadence-name argument, the
 * service and a cadence by name, the spec rules from config, and the formatting of occurrences
 * and channels. Kept apart so each concern's file imports it and none imports another.
 */
import { z } from 'zod';
import type { CommandContext, RoleRequirement } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import { allowedChannels } from '../../src/domain/cadence/channels.js';
import { CADENCE_NAME } from '../../src/domain/cadence/config.js';
import { formatTime, type Cadence } from '../../src/domain/cadence/model.js';
import { retimed, type Occurrence } from '../../src/domain/cadence/occurrences.js';
import type { CadenceOptions, SpecRules } from './spec.js';
import type { CadenceService } from '../../src/services/cadence/service.js';
import { localPartsOf } from '../../src/time/when.js';
import { formatAbsolute } from '../../src/render/dates.js';

export const MANAGERS: RoleRequirement = ['manager', 'pre', 'admin'];
export const PARTICIPANTS: RoleRequirement = ['pre', 'rele', 'obe', 'manager', 'admin'];

export const name = z.string({ error: 'needs a value' }).regex(CADENCE_NAME, { error: 'cadence names are 1-40 lowercase letters, digits and "-" (e.g. platform-sync)' });

export function service(ctx: CommandContext): CadenceService {
  const s = ctx.services.cadence;
  if (!s) throw new Error('the cadence service is not wired into this bot');
  return s;
}

export async function load(ctx: CommandContext, cadenceName: string): Promise<Cadence> {
  const rec = await service(ctx).store.cadences.get(cadenceName);
  if (!rec) throw new InputError(`there is no cadence "${cadenceName}" (see /cadence list)`);
  return rec.value;
}

/** Who is acting, as stored on agenda items, notes and action items: their person id or platform:user. */
export function callerId(ctx: CommandContext): string {
  return ctx.caller.person?.id ?? `${ctx.event.platform}:${ctx.event.user.id}`;
}

export function rules(ctx: CommandContext): SpecRules {
  const cfg = ctx.services.config();
  return {
    channels: { allowed: allowedChannels(cfg), here: { platform: ctx.event.platform, channelId: ctx.event.channel.id } },
    calendars: new Set(Object.keys(cfg.cadence.holidays)),
    environments: new Set(cfg.environments.map((e) => e.id)),
    templateExists: (t) => ctx.services.renderer.has(t),
  };
}

/** "Tue 8 Dec 2026, 10:00 CET" in `zone`: the one date format, for times the caller typed. */
export function formatIn(at: Date, zone: string): string {
  return formatAbsolute(at, zone, 'datetime');
}

export function noteOf(o: Occurrence, c: Cadence): string | undefined {
  if (o.change === 'shifted') return `shifted for ${o.holiday ?? 'a holiday'}`;
  if (o.change === 'moved') return 'moved';
  const local = localPartsOf(o.at, c.zone);
  if (local.hour !== c.time.hour || local.minute !== c.time.minute) return `${formatTime(c.time)} does not exist that day in ${c.zone} (clocks change)`;
  return undefined;
}

const PLATFORM_NAME: Record<string, string> = { slack: 'Slack', mattermost: 'Mattermost', console: 'console' };

/**
 * Channels as their members know them, "#platform (Slack)": the platform is asked for the name
 * (an id is shown only when it does not say); console channels are named by their id.
 */
export async function channelLabels(ctx: CommandContext, channels: readonly { platform: string; channelId: string }[]): Promise<string[]> {
  return Promise.all(
    channels.map(async (ch) => {
      const name = ch.platform === 'console' ? ch.channelId : ((await ctx.services.channelName?.(ch.platform, ch.channelId)) ?? ch.channelId);
      // Mattermost shows display names ("Town Square"), the others "#name".
      const shown = ch.platform === 'mattermost' || name.startsWith('#') ? name : `#${name}`;
      return `${shown} (${PLATFORM_NAME[ch.platform] ?? ch.platform})`;
    }),
  );
}

/** `createdBy` as a mention when it is a person id (platform users are stored as "platform:id"). */
export const creatorRef = (createdBy: string): string | undefined => (createdBy.includes(':') ? undefined : `person:${createdBy}`);

/** Apply parsed options to a cadence (create defaults or an edit). */
export function applyOptions(c: Cadence, o: CadenceOptions): Cadence {
  const next: Cadence = { ...c };
  if (o.schedule !== undefined && o.rule !== undefined) {
    next.schedule = o.schedule;
    next.rule = o.rule;
  }
  if (o.time) Object.assign(next, { time: o.time }, retimed(c, o.time));
  if (o.zone) next.zone = o.zone;
  if (o.channels) next.channels = o.channels;
  if (o.kind) next.kind = o.kind;
  if (o.title) next.title = o.title;
  if (o.template) next.template = o.template;
  if (o.holidays !== undefined) next.holidays = o.holidays ?? undefined;
  if (o.reminders) next.reminders = o.reminders;
  if (o.blocking !== undefined) next.blocking = o.blocking;
  if (o.environments) next.environments = o.environments;
  if (o.invite) next.invite = o.invite;
  if (o.duration) next.duration = o.duration;
  if (o.start) next.start = o.start;
  return next;
}

export function requireOccurs(ctx: CommandContext, c: Cadence): Occurrence[] {
  const next = service(ctx).upcoming(c, 5, ctx.now());
  if (next.length === 0) throw new InputError(`the schedule ${c.schedule} never occurs after today (check COUNT/UNTIL, the start date and skips); nothing was saved`);
  return next;
}
