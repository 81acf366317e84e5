/**
 * The onboarding engineers' commands: ask the requester, claim, schedule the meeting, mark
 * progress, done or declined, and the statistics. Each lifecycle step goes through moves.ts.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import { formatAbsolute } from '../../src/render/dates.js';
import { STATUS_LABEL, STATUSES } from '../../src/domain/onboard/lifecycle.js';
import { onboardingStats } from '../../src/domain/onboard/stats.js';
import { resolveWhen } from '../../src/time/when.js';
import { onboardingOf } from './intake.js';
import { askRequester, claimRequest, moveRequest } from './moves.js';
import { requestId } from './shared.js';

/** A time span for the stats: minutes under an hour, hours under two days, else days ("0.0 h" says nothing). */
function span(hours: number): string {
  if (hours < 1 / 60) return 'under a minute';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

const ask = defineCommand({
  name: 'ask',
  summary: 'Ask the requester a question (they answer with /onboard note)',
  usage: 'ask <id> <question>',
  examples: ['/onboard ask ob-12 "Which database do you use?"'],
  args: z.object({ id: requestId(), text: arg.rest({ max: 2000 }) }),
  positional: ['id', 'text'],
  role: ['obe', 'admin'],
  mutates: true,
  handler: (ctx, { id, text }) => askRequester(ctx, id, text),
});

const claim = defineCommand({
  name: 'claim',
  summary: 'Take a submitted request: you become its onboarding engineer',
  usage: 'claim <id>',
  examples: ['/onboard claim ob-12'],
  args: z.object({ id: requestId() }),
  positional: ['id'],
  role: ['obe', 'admin'],
  mutates: true,
  handler: (ctx, { id }) => claimRequest(ctx, id),
});

const decline = defineCommand({
  name: 'decline',
  summary: 'Decline a request, with a reason for the requester',
  usage: 'decline <id> [reason]',
  examples: ['/onboard decline ob-12 "Not a platform workload"'],
  args: z.object({ id: requestId(), reason: arg.rest({ max: 1000 }).optional() }),
  positional: ['id', 'reason'],
  role: ['obe', 'admin'],
  mutates: true,
  async handler(ctx, { id, reason }) {
    await moveRequest(ctx, id, 'decline', { ...(reason ? { text: reason } : {}), patch: (_r, now) => ({ closedAt: now.toISOString(), ...(reason ? { declineReason: reason } : {}) }) });
    return ctx.ok(`${id} is declined; the requester is told.`);
  },
});

const meeting = defineCommand({
  name: 'meeting',
  summary: 'Schedule (or move) the onboarding meeting; both sides are told and reminded',
  usage: 'meeting <id> <time> [duration]',
  examples: ['/onboard meeting ob-12 "2027-03-01 10:00"', '/onboard meeting ob-12 "tomorrow 14:00" 45m', '/onboard meeting ob-12 "mon 09:30" 1h'],
  args: z.object({ id: requestId(), time: arg.when(), duration: arg.duration().optional() }),
  positional: ['id', 'time', 'duration'],
  role: ['obe', 'admin'],
  mutates: true,
  async handler(ctx, { id, time, duration }) {
    const svc = onboardingOf(ctx);
    const at = resolveWhen(time, ctx.caller.zone, ctx.now());
    if (at.getTime() <= ctx.now().getTime()) throw new InputError('That time has passed: give a time in the future.');
    if (duration && (duration.days || duration.weeks || duration.months)) throw new InputError('A meeting lasts minutes or hours (e.g. 45m, 1h30m).');
    const minutes = duration ? Math.round((duration.ms ?? 0) / 60_000) : 60;
    if (minutes < 5 || minutes > 480) throw new InputError('A meeting lasts 5 minutes to 8 hours.');
    const updated = await moveRequest(ctx, id, 'meeting', { meeting: { at: at.toISOString(), minutes }, patch: () => ({ meeting: { at: at.toISOString(), minutes, zone: ctx.caller.zone } }) });
    const data = svc.meetingData(updated, false);
    const key = svc.eventKey(updated, 'meeting');
    await svc.tell(updated.requester, `${key}-r`, 'onboard/meeting', data);
    if (updated.claimedBy) await svc.tell(updated.claimedBy, `${key}-o`, 'onboard/meeting', data);
    await svc.scheduleReminders(updated, ctx.now());
    // The DMs go to the requester and the claiming ObE; whoever typed it (an admin, say) is told here.
    return ctx.ok(`The onboarding meeting for ${id} is set for ${formatAbsolute(at, ctx.caller.zone, 'datetime')} (${minutes} min); the requester and the onboarding engineer are told.`);
  },
});

const progress = defineCommand({
  name: 'progress',
  summary: 'Mark a claimed request as in progress (onboarding under way)',
  usage: 'progress <id> [note]',
  examples: ['/onboard progress ob-12', '/onboard progress ob-12 "Namespaces created"'],
  args: z.object({ id: requestId(), note: arg.rest({ max: 1000 }).optional() }),
  positional: ['id', 'note'],
  role: ['obe', 'admin'],
  mutates: true,
  async handler(ctx, { id, note: text }) {
    await moveRequest(ctx, id, 'start', text ? { text } : {});
    return ctx.ok(`${id} is in progress; the requester is told.`);
  },
});

const done = defineCommand({
  name: 'done',
  summary: 'Mark a request onboarded',
  usage: 'done <id> [note]',
  examples: ['/onboard done ob-12', '/onboard done ob-12 "Live in staging"'],
  args: z.object({ id: requestId(), note: arg.rest({ max: 1000 }).optional() }),
  positional: ['id', 'note'],
  role: ['obe', 'admin'],
  mutates: true,
  async handler(ctx, { id, note: text }) {
    await moveRequest(ctx, id, 'done', { ...(text ? { text } : {}), patch: (_r, now) => ({ onboardedAt: now.toISOString(), closedAt: now.toISOString() }) });
    return ctx.ok(`${id} is onboarded; the requester is told.`);
  },
});

const stats = defineCommand({
  name: 'stats',
  summary: 'Requests per status, time to claim and time to onboarded',
  usage: 'stats',
  examples: ['/onboard stats'],
  args: z.object({}),
  positional: [],
  role: ['obe', 'manager', 'admin'],
  mutates: false,
  async handler(ctx) {
    const s = onboardingStats((await onboardingOf(ctx).store.requests.list()).map((r) => r.value));
    const round = (x: { median: number; max: number; count: number } | undefined, hoursPer: number) => (x ? { median: span(x.median * hoursPer), max: span(x.max * hoursPer), count: x.count } : undefined);
    return ctx.reply('onboard/stats', {
      total: s.total,
      statuses: STATUSES.map((st) => ({ label: STATUS_LABEL[st], count: s.byStatus[st] })),
      ...(s.toClaim ? { toClaim: round(s.toClaim, 1) } : {}),
      ...(s.toOnboarded ? { toOnboarded: round(s.toOnboarded, 24) } : {}),
    });
  },
});

export const engineerCommands: CommandDecl<any>[] = [ask, claim, meeting, progress, done, decline, stats];
