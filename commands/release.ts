/**
 * `/release` (= `/day2 release`): release-date coordination. Propose a release and see its
 * conflicts with suggestions, freeze environments, tick the readiness checklist (commands or
 * buttons), sign off, reschedule, cancel, record outcomes, and read the calendar and the stats.
 * Handlers parse and render; the rules live in src/domain/release and src/store/release.
 */
import { z } from 'zod';
import type { Platform } from '../src/chat/port.js';
import { arg } from '../src/dispatch/args.js';
import { defineButton, defineCommand, defineFamily } from '../src/dispatch/define.js';
import type { CommandContext } from '../src/dispatch/types.js';
import type { Blocker, Interval } from '../src/domain/release/blockers.js';
import { findConflicts } from '../src/domain/release/conflicts.js';
import { describeHours } from '../src/domain/release/hours.js';
import { actorsOf } from '../src/domain/release/readiness.js';
import { OUTCOMES, isOpen, type Release } from '../src/domain/release/release.js';
import { KIND_LABELS } from '../src/domain/release/view.js';
import { InputError } from '../src/errors.js';
import { feedPath, feedToken } from '../src/store/release/feed-tokens.js';
import type { ReleaseServices } from '../src/services/release/wiring.js';
import type { Actor, SlotCheck } from '../src/services/release/coordinator.js';
import { localPartsOf, resolveWhen, type When } from '../src/time/when.js';

const DAY = 86_400_000;

function releases(ctx: CommandContext): ReleaseServices {
  const r = ctx.services.releases;
  if (!r) throw new Error('release coordination is not wired into this Day2 process');
  return r;
}

/** Who is acting, as the release rules see them; remembers Mattermost ids for countdown DMs. */
async function actorOf(ctx: CommandContext): Promise<Actor> {
  const { user, person, roles } = ctx.caller;
  if (user.platform === 'mattermost' && person?.mattermost && user.name === person.mattermost) {
    await releases(ctx).store.rememberMattermostUser(person.mattermost, user.id);
  }
  const ref = person ? `person:${person.id}` : `${user.platform}:${user.platform === 'mattermost' ? (user.name ?? user.id) : user.id}`;
  return { ref, ...(person ? { personId: person.id } : {}), roles, platform: user.platform as Platform, userId: user.id };
}

const conflictView = (b: Blocker) => ({ label: KIND_LABELS[b.kind], title: b.title, owner: b.owner, start: b.start, end: b.end, kind: b.kind, id: b.id });
const slotView = (s: Interval) => ({ start: s.start, end: s.end });

function checkData(ctx: CommandContext, r: Release, check: SlotCheck) {
  const { zone, policy } = releases(ctx).coordinator.envInfo(r.env);
  const first = check.suggestions[0];
  return {
    release: releases(ctx).countdown.view(r),
    conflicts: check.conflicts.map(conflictView),
    outsideHours: !check.inHours,
    hours: describeHours(policy.hours),
    zone,
    suggestions: check.suggestions.map(slotView),
    clear: check.conflicts.length === 0 && check.inHours,
    // A ready-to-type command for the first suggestion, in the caller's own zone.
    rescheduleHint: first ? `/release reschedule ${r.id} ${wallClock(first.start, ctx.caller.zone)}` : '',
  };
}

/** "2026-12-07 09:30" on the wall clock of `zone`: how a user would type it back. */
function wallClock(d: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** The show data plus the buttons this caller may press (open items they may tick, sign-off). */
async function showData(ctx: CommandContext, r: Release, actor: Actor, showHistory = false) {
  const rel = releases(ctx);
  const cfg = ctx.services.config().releases;
  const actors = actorsOf(actor, rel.coordinator.scopeOf(r));
  const open = isOpen(r);
  const buttons = open
    ? cfg.checklist
        .filter((i) => !r.checks[i.id] && i.roles.some((x) => actors.has(x)))
        .map((i) => ({ value: `${r.id}:${i.id}`, label: `Tick: ${i.label}`.slice(0, 75) }))
    : [];
  const alreadySigned = Object.values(r.signoffs).some((s) => s.by === actor.ref);
  const signable = open && !alreadySigned && cfg.signoffs.some((x) => !r.signoffs[x] && actors.has(x));
  let conflicts: ReturnType<typeof conflictView>[] = [];
  if (open) {
    const all = await rel.coordinator.blockers(r.env, new Date(Date.parse(r.start) - 2 * DAY), new Date(Date.parse(r.end) + 2 * DAY));
    conflicts = findConflicts({ start: new Date(r.start), end: new Date(r.end) }, all, { spacingMs: rel.coordinator.envInfo(r.env).policy.spacingMs, self: r.id }).map(conflictView);
  }
  return { release: rel.countdown.view(r), conflicts, buttons, signable, showHistory };
}

const releaseId = () => arg.text({ max: 12, hint: 'a release id such as R7' });

const propose = defineCommand({
  name: 'propose',
  summary: 'Propose a release (RelE, admin, app owner) and check it against the environment’s calendar',
  usage: 'propose <app> <version> <env> <when> [duration]',
  examples: ['/release propose payments-api 1.4.0 prod-east "2026-12-08 10:00" 2h'],
  args: z.object({ app: arg.text({ max: 63 }), version: arg.text({ max: 64 }), env: arg.text({ max: 63 }), when: arg.when(), duration: arg.duration().optional() }),
  positional: ['app', 'version', 'env', 'when', 'duration'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, a) {
    const rel = releases(ctx);
    const actor = await actorOf(ctx);
    const start = resolveWhen(a.when as When, ctx.caller.zone, ctx.now());
    const { release, check } = await rel.coordinator.propose(
      actor,
      { app: a.app, version: a.version, env: a.env, start, ...(a.duration ? { duration: a.duration } : {}) },
      ctx.now(),
      { platform: ctx.event.platform, channelId: ctx.event.channel.id || 'dm' },
    );
    return ctx.reply('release/proposed', checkData(ctx, release, check));
  },
});

const show = defineCommand({
  name: 'show',
  summary: 'Show a release: checklist, sign-offs, what is missing, history',
  usage: 'show <id>',
  examples: ['/release show R7'],
  args: z.object({ id: releaseId() }),
  positional: ['id'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, a) {
    const r = await releases(ctx).coordinator.load(a.id);
    return ctx.reply('release/show', await showData(ctx, r, await actorOf(ctx), true));
  },
});

const list = defineCommand({
  name: 'list',
  summary: 'List open releases, optionally on one environment',
  usage: 'list [env]',
  examples: ['/release list', '/release list prod-east'],
  args: z.object({ env: arg.text({ max: 63 }).optional() }),
  positional: ['env'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, a) {
    const rel = releases(ctx);
    const envLabel = a.env ? (rel.coordinator.envInfo(a.env).env.name ?? a.env) : '';
    const found = await rel.coordinator.list((r) => isOpen(r) && (!a.env || r.env === a.env));
    return ctx.reply('release/list', { envLabel, releases: found.map((r) => rel.countdown.view(r)) });
  },
});

const check = defineCommand({
  name: 'check',
  summary: 'Tick a readiness checklist item (each item names the roles that may tick it)',
  usage: 'check <id> <item>',
  examples: ['/release check R7 artifacts'],
  args: z.object({ id: releaseId(), item: arg.text({ max: 63 }) }),
  positional: ['id', 'item'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, a) {
    const actor = await actorOf(ctx);
    const { release } = await releases(ctx).coordinator.tick(actor, a.id, a.item, ctx.now());
    return ctx.reply('release/show', await showData(ctx, release, actor));
  },
});

const signoff = defineCommand({
  name: 'signoff',
  summary: 'Sign a release off as RelE, app owner or PRE of its environment (once per person)',
  usage: 'signoff <id> [as]',
  examples: ['/release signoff R7', '/release signoff R7 as=pre'],
  args: z.object({ id: releaseId(), as: arg.enum(['rele', 'owner', 'pre', 'manager']).optional() }),
  positional: ['id', 'as'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, a) {
    const actor = await actorOf(ctx);
    const { release } = await releases(ctx).coordinator.sign(actor, a.id, a.as, ctx.now());
    return ctx.reply('release/show', await showData(ctx, release, actor));
  },
});

const freeze = defineCommand({
  name: 'freeze',
  summary: 'Freeze releases on an environment for a time (RelE, PRE of it, admin)',
  usage: 'freeze <env> <from> <to> <reason>',
  examples: ['/release freeze prod-east "2026-12-21 00:00" "2027-01-04 00:00" Year-end change freeze'],
  args: z.object({ env: arg.text({ max: 63 }), from: arg.when(), to: arg.when(), reason: arg.rest({ max: 200 }) }),
  positional: ['env', 'from', 'to', 'reason'],
  role: ['rele', 'pre', 'admin'],
  mutates: true,
  async handler(ctx, a) {
    const rel = releases(ctx);
    const now = ctx.now();
    const from = resolveWhen(a.from as When, ctx.caller.zone, now);
    const to = resolveWhen(a.to as When, ctx.caller.zone, now);
    const { freeze: f, affected } = await rel.coordinator.freeze(await actorOf(ctx), a.env, from, to, a.reason, now);
    const envName = rel.coordinator.envInfo(f.env).env.name;
    return ctx.reply('release/freeze', { freeze: { ...f, start: new Date(f.start), end: new Date(f.end) }, envName, affected: affected.map((r) => ({ id: r.id, app: r.app, version: r.version, start: new Date(r.start) })) });
  },
});

const unfreeze = defineCommand({
  name: 'unfreeze',
  summary: 'Lift a freeze (RelE, PRE of the environment, admin)',
  usage: 'unfreeze <id>',
  examples: ['/release unfreeze F3'],
  args: z.object({ id: arg.text({ max: 12, hint: 'a freeze id such as F3' }) }),
  positional: ['id'],
  role: ['rele', 'pre', 'admin'],
  mutates: true,
  async handler(ctx, a) {
    const rel = releases(ctx);
    const f = await rel.coordinator.unfreeze(await actorOf(ctx), a.id, ctx.now());
    return ctx.reply('release/unfrozen', { freeze: f, envName: rel.coordinator.envInfo(f.env).env.name });
  },
});

const reschedule = defineCommand({
  name: 'reschedule',
  summary: 'Move a release (RelE, admin, app owner): re-checks conflicts, re-notifies, keeps history',
  usage: 'reschedule <id> <when>',
  examples: ['/release reschedule R7 "2026-12-09 10:00"'],
  args: z.object({ id: releaseId(), when: arg.when() }),
  positional: ['id', 'when'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, a) {
    const rel = releases(ctx);
    const now = ctx.now();
    const before = await rel.coordinator.load(a.id);
    const start = resolveWhen(a.when as When, ctx.caller.zone, now);
    const { release, check: c } = await rel.coordinator.reschedule(await actorOf(ctx), a.id, start, now);
    const signoffsReset = Object.keys(before.signoffs).length;
    return ctx.reply('release/rescheduled', { ...checkData(ctx, release, c), from: new Date(before.start), by: release.history.at(-1)?.by ?? release.proposedBy, signoffsReset });
  },
});

const cancel = defineCommand({
  name: 'cancel',
  summary: 'Cancel a release with a reason (RelE, admin, app owner)',
  usage: 'cancel <id> <reason>',
  examples: ['/release cancel R7 "Blocked by an open security finding"'],
  args: z.object({ id: releaseId(), reason: arg.rest({ max: 300 }) }),
  positional: ['id', 'reason'],
  role: 'anyone',
  mutates: true,
  async handler(ctx, a) {
    const r = await releases(ctx).coordinator.cancel(await actorOf(ctx), a.id, a.reason, ctx.now());
    return ctx.reply('release/show', await showData(ctx, r, await actorOf(ctx)));
  },
});

const outcome = defineCommand({
  name: 'outcome',
  summary: 'Record how a release went (RelE or admin), after its release time',
  usage: 'outcome <id> <result> [open-bugs=N] [notes]',
  examples: ['/release outcome R7 success open-bugs=2 "Two minor UI bugs"', '/release outcome R7 rolled-back'],
  args: z.object({ id: releaseId(), result: arg.enum(OUTCOMES), 'open-bugs': arg.int({ min: 0, max: 100000 }).optional(), notes: arg.rest({ max: 1000 }).optional() }),
  positional: ['id', 'result', 'notes'],
  role: ['rele', 'admin'],
  mutates: true,
  async handler(ctx, a) {
    const actor = await actorOf(ctx);
    const r = await releases(ctx).coordinator.outcome(actor, a.id, a.result, a['open-bugs'] ?? 0, a.notes, ctx.now());
    return ctx.reply('release/show', await showData(ctx, r, actor));
  },
});

const calendar = defineCommand({
  name: 'calendar',
  summary: 'Releases, freezes, maintenance and blocking events together, in your zone',
  usage: 'calendar [env] [from] [to]',
  examples: ['/release calendar', '/release calendar prod-east "2026-12-01" "2027-01-31"'],
  args: z.object({ env: arg.text({ max: 63 }).optional(), from: arg.when().optional(), to: arg.when().optional() }),
  positional: ['env', 'from', 'to'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, a) {
    const rel = releases(ctx);
    const now = ctx.now();
    const cfg = ctx.services.config();
    let env = a.env;
    let fromWhen = a.from as When | undefined;
    // `/release calendar 2026-12-01` : a date where the environment would be.
    if (env && !cfg.environments.some((e) => e.id === env) && /^\d{4}-\d{2}-\d{2}$/.test(env)) {
      const [y, m, d] = env.split('-').map(Number);
      fromWhen = { kind: 'date', date: { year: y!, month: m!, day: d! } };
      env = undefined;
    }
    const envs = env ? [rel.coordinator.envInfo(env).env.id] : cfg.environments.map((e) => e.id);
    const from = fromWhen ? resolveWhen(fromWhen, ctx.caller.zone, now) : now;
    const to = a.to ? resolveWhen(a.to as When, ctx.caller.zone, now) : new Date(from.getTime() + 30 * DAY);
    if (to.getTime() <= from.getTime()) throw new InputError('The end of the calendar range must be after its start.');
    if (to.getTime() - from.getTime() > 400 * DAY) throw new InputError('Show at most about a year at a time.');
    const entries = await rel.coordinator.calendar(envs, from, to);
    const envName = (id: string) => cfg.environments.find((e) => e.id === id)?.name ?? id;
    const day = (d: Date) => { const p = localPartsOf(d, ctx.caller.zone); return `${p.year}-${p.month}-${p.day}`; };
    return ctx.reply('release/calendar', { envLabel: env ? envName(env) : '', from, to, zone: ctx.caller.zone, entries: entries.map((e) => ({ ...conflictView(e), env: envName(e.env), sameDay: day(e.start) === day(e.end) })) });
  },
});

const stats = defineCommand({
  name: 'stats',
  summary: 'Release health: success share, rollbacks, open bugs, lead times',
  usage: 'stats [scope]',
  examples: ['/release stats', '/release stats payments-api', '/release stats prod-east'],
  args: z.object({ scope: arg.text({ max: 63 }).optional() }),
  positional: ['scope'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, a) {
    const cfg = ctx.services.config();
    let filter: { app?: string; env?: string } = {};
    // The title names what was asked for as people know it (the app's or environment's name).
    let scope = '';
    if (a.scope) {
      const app = cfg.releases.apps.find((x) => x.id === a.scope);
      const env = cfg.environments.find((e) => e.id === a.scope);
      if (app) [filter, scope] = [{ app: app.id }, app.name];
      else if (env) [filter, scope] = [{ env: env.id }, env.name ?? env.id];
      else throw new InputError(`"${a.scope}" is neither an app (${cfg.releases.apps.map((x) => x.id).join(', ') || 'none'}) nor an environment (${cfg.environments.map((e) => e.id).join(', ') || 'none'}).`);
    }
    const s = await releases(ctx).coordinator.stats(filter);
    const hours = (h?: number) => (h === undefined ? '' : h >= 48 ? `${(h / 24).toFixed(1)} days` : `${h.toFixed(1)} h`);
    return ctx.reply('release/stats', {
      scope,
      stats: s,
      successPct: s.successShare === undefined ? '' : `${Math.round(s.successShare * 100)}%`,
      openBugsMean: s.openBugsMean === undefined ? '' : s.openBugsMean.toFixed(1),
      leadTime: hours(s.leadTimeHoursMean),
      confirmTime: hours(s.confirmHoursMean),
    });
  },
});

const ical = defineCommand({
  name: 'ical',
  summary: 'The address of an environment’s release calendar feed',
  usage: 'ical <env>',
  examples: ['/release ical prod-east'],
  args: z.object({ env: arg.text({ max: 63 }) }),
  positional: ['env'],
  role: ['rele', 'pre', 'admin', 'manager'],
  mutates: false,
  async handler(ctx, a) {
    const rel = releases(ctx);
    const env = rel.coordinator.envInfo(a.env).env;
    const token = feedToken(await rel.store.feedSecret(), env.id);
    return ctx.reply('release/ical', { envName: env.name, url: `${rel.publicUrl.replace(/\/+$/, '')}${feedPath(env.id, token)}` });
  },
});

const tickButton = defineButton({
  actionId: 'releasetick',
  role: 'anyone',
  mutates: true,
  async handler(ctx, value) {
    const [id, item] = value.split(':');
    if (!id || !item) throw new InputError('This button is out of date; run /release show again.');
    const actor = await actorOf(ctx);
    const { release } = await releases(ctx).coordinator.tick(actor, id, item, ctx.now());
    return ctx.update('release/show', await showData(ctx, release, actor));
  },
});

const signButton = defineButton({
  actionId: 'releasesign',
  role: 'anyone',
  mutates: true,
  async handler(ctx, value) {
    const actor = await actorOf(ctx);
    const { release } = await releases(ctx).coordinator.sign(actor, value, undefined, ctx.now());
    return ctx.update('release/show', await showData(ctx, release, actor));
  },
});

export const releaseFamily = defineFamily({
  name: 'release',
  aliases: ['/release'],
  summary: 'Release-date coordination: propose, conflicts, freezes, readiness, sign-offs, countdown, outcomes',
  commands: [propose, show, list, check, signoff, freeze, unfreeze, reschedule, cancel, outcome, calendar, stats, ical],
  buttons: [tickButton, signButton],
});
