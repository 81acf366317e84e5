/**
 * What every `/oncall …` declaration shares: the service lookup, finding a team's rotation and a
 * person, who may change a team, checked time ranges, schedule rows and DMs through the delivery
 * queue. Split out of index.ts so each concern's file can use them without importing another.
 */
import type { Person, Team } from '../../src/config.js';
import type { RotationEntry } from '../../src/domain/oncall/config.js';
import type { Segment } from '../../src/domain/oncall/types.js';
import type { UserArg } from '../../src/dispatch/args.js';
import { resolvePerson } from '../../src/dispatch/lookup.js';
import type { CommandContext } from '../../src/dispatch/types.js';
import { InputError, dated } from '../../src/errors.js';
import { memberNow as isMemberNow, teamsNow } from '../../src/services/oncall/membership.js';
import type { OncallService } from '../../src/services/oncall/service.js';
import { resolveWhen, type When } from '../../src/time/when.js';

export const DAY = 86_400_000;
/** Most rows a schedule answer lists (a message has to stay readable and under platform limits). */
export const MAX_ROWS = 60;
/** How far back a cover or leave may start: "now" typed a moment ago still counts as now. */
const PAST_SLACK_MS = 5 * 60_000;

export function service(ctx: CommandContext): OncallService {
  const s = ctx.services.oncall;
  if (!s) throw new Error('the on-call service is not wired into this bot');
  return s;
}

/** Learn the caller's platform id (Mattermost handoff DMs need it), then hand out the service. */
export async function remembered(ctx: CommandContext): Promise<OncallService> {
  const s = service(ctx);
  await s.rememberUser(ctx.caller.user);
  return s;
}

/** The team's rotation, or a specific error naming the teams that have one. */
export function rotationOf(ctx: CommandContext, teamId: string): { entry: RotationEntry; team: Team } {
  const svc = service(ctx);
  const team = svc.team(teamId.toLowerCase());
  const known = svc.entries().map((r) => r.team).join(', ') || 'none yet';
  if (!team) throw new InputError(`Unknown team "${teamId}". Teams with a rotation: ${known}.`);
  const entry = svc.entryForTeam(team.id);
  if (!entry) throw new InputError(`Team "${team.id}" has no rotation. Teams with a rotation: ${known}.`);
  return { entry, team };
}

/** Rotations of the caller's teams now (a host team on tour included), or every rotation when they are in none. */
export async function defaultRotations(ctx: CommandContext): Promise<RotationEntry[]> {
  const svc = service(ctx);
  const me = ctx.caller.person?.id;
  const teams = me ? new Set((await teamsNow(ctx.services.tours, ctx.services.config().teams, me, ctx.now())).map((t) => t.id)) : new Set<string>();
  const mine = svc.entries().filter((r) => teams.has(r.team));
  return mine.length > 0 ? mine : svc.entries();
}

export function personOf(ctx: CommandContext, ref: UserArg, raw = ref.name ?? ref.id ?? 'that user'): Person {
  const p = resolvePerson(ref, ctx.services.directory(), ctx.event.platform);
  if (!p) throw new InputError(`Unknown user "${raw.startsWith('@') ? raw : `@${raw}`}": they are not in Day2's people directory.`);
  return p;
}

/** A member by config, or a guest of the team on a tour of duty running now. */
export const memberNow = (ctx: CommandContext, team: Team, person: string): Promise<boolean> => isMemberNow(ctx.services.tours, team, person, ctx.now());
export const isManagerOf = (ctx: CommandContext, team: Team) => ctx.caller.roles.has('admin') || (!!ctx.caller.person && team.managers.includes(ctx.caller.person.id));

/** `from`/`to` in the caller's zone, checked: parses, in order, not in the past. */
export function range(ctx: CommandContext, from: When, to: When, { future }: { future: boolean }): { from: Date; to: Date } {
  const now = ctx.now();
  const f = resolveWhen(from, ctx.caller.zone, now);
  const t = resolveWhen(to, ctx.caller.zone, now);
  if (t.getTime() <= f.getTime()) throw new InputError(dated`"to" (${t}) must be after "from" (${f}).`);
  if (future && f.getTime() < now.getTime() - PAST_SLACK_MS) throw new InputError(dated`That starts in the past (${f}); changes apply to the future only. Use "now" to start at once.`);
  return { from: f, to: t };
}

export const who = (p: string | null) => (p === null ? null : `person:${p}`);

export function row(s: Segment) {
  return { start: s.start, end: s.end, slot: s.slot, person: who(s.person), gap: s.gap ?? null, override: s.source === 'override', swap: s.source === 'swap' };
}

/** A DM through the delivery queue (idempotent per key), to every platform the person is known on. */
export async function dm(ctx: CommandContext, svc: OncallService, person: string, key: string, template: string, data: Record<string, unknown>): Promise<void> {
  const deliveries = ctx.services.deliveries;
  if (!deliveries) return;
  const message = ctx.render(template, data);
  await deliveries.enqueue((await svc.addressesOf(person)).map((target) => ({ key, revision: 1, target, message })));
}

/** A `from=… to=…` window as typed; either end may be left out. */
export interface RangeArgs {
  from?: When;
  to?: When;
}

/**
 * The window a report covers, read in the caller's zone. A missing end is filled from the other:
 * `forwardDays` after `from` (schedules look ahead) or `backDays` before `to` (reports look back),
 * from now. The error names only ends the caller typed, and says what the default was otherwise.
 */
export function rangeOf(
  ctx: CommandContext,
  args: RangeArgs,
  window: { forwardDays: number } | { backDays: number },
  longest: { days: number; said: string },
): { from: Date; to: Date } {
  const now = ctx.now();
  const zone = ctx.caller.zone;
  let from: Date;
  let to: Date;
  if ('forwardDays' in window) {
    from = args.from ? resolveWhen(args.from, zone, now) : now;
    to = args.to ? resolveWhen(args.to, zone, now) : new Date(from.getTime() + window.forwardDays * DAY);
  } else {
    to = args.to ? resolveWhen(args.to, zone, now) : now;
    from = args.from ? resolveWhen(args.from, zone, now) : new Date(to.getTime() - window.backDays * DAY);
  }
  if (to.getTime() <= from.getTime()) {
    if (args.from && args.to) throw new InputError('"to" must be later than "from": type the earlier time as from=… and the later one as to=….');
    if (args.from) throw new InputError('"from" is in the future, and the report ends now when no "to" is given: add to=… after it, or pick an earlier "from".');
    throw new InputError('"to" is before now, where the window starts when no "from" is given: add from=… before it.');
  }
  if (to.getTime() - from.getTime() > longest.days * DAY) throw new InputError(`That range is longer than ${longest.said}; ask for a shorter one.`);
  return { from, to };
}
