/**
 * What every part of the notices service shares: finding an environment and a notice, the
 * audience of a notice, its timers, and `change`, which applies a lifecycle change and queues
 * what it shows.
 */
import type { Environment } from '../../config.js';
import { audienceOf } from '../../domain/notice/audience.js';
import type { Notice, NoticeDraft, NoticeKind, NoticeTarget } from '../../domain/notice/notice.js';
import { MAX_WINDOW_MS, applyChange, reminderTimes, type Change } from '../../domain/notice/rules.js';
import { InputError } from '../../errors.js';
import { asSubscriptions } from '../../store/notice/store.js';
import { fixedLengthMs, parseDuration } from '../../time/duration.js';
import { TIMER, type NoticeServiceDeps } from './types.js';

/** How often the completion report looks again while copies are pending, and for how long. */
export const REPORT_POLL_MS = 3000;
export const REPORT_GIVE_UP_MS = 2 * 3600_000;
/**
 * Deliveries are queued at about the pace the platforms take them, a little ahead of it: a
 * thousand queued jobs would all wake for every free platform slot and crowd each other out,
 * while a couple of seconds' worth keeps every slot used. Queued copies are never queued again,
 * so a fan-out job that dies halfway and runs again only queues the rest.
 */
export const LEAD_SECONDS = 2;

export type NoticeShared = ReturnType<typeof noticeShared>;

/** A duration from the config in milliseconds (validated with the config; see fixedLengthMs). */
function configuredMs(text: string, fallback: number): number {
  const d = parseDuration(text);
  return d.ok ? fixedLengthMs(d.value) : fallback;
}

/** The environment `env` names, or an error listing the ones there are. */
function environmentOf(deps: NoticeServiceDeps, env: string): Environment {
  const found = deps.config().environments.find((e) => e.id === env);
  if (!found) {
    const known = deps.config().environments.map((e) => e.id);
    throw new InputError(`unknown environment "${env}"${known.length ? `: use one of ${known.join(', ')}` : ' (none are configured)'}`);
  }
  return found;
}

export function noticeShared(deps: NoticeServiceDeps) {
  const { store, scheduler } = deps;
  const environment = (env: string): Environment => environmentOf(deps, env);

  const load = async (id: string): Promise<Notice> => {
    const n = await store.get(id);
    if (!n) throw new InputError(`there is no notice ${JSON.stringify(id)}; /notice list shows the open ones`);
    return n;
  };

  const offsetsMs = (): number[] => deps.config().notices.reminderOffsets.map((o) => configuredMs(o, 0)).filter((ms) => ms > 0);

  /** notices.maxWindow in milliseconds (validated with the config; a day counts as 24 h). */
  const maxWindowMs = (): number => configuredMs(deps.config().notices.maxWindow, MAX_WINDOW_MS);

  const audience = async (env: string, kind: NoticeKind, components: readonly string[]) =>
    audienceOf(asSubscriptions(await store.subscriptions(), deps.config().notices.subscriptions), { env, kind, components });

  const scheduleFanout = (n: Notice, fromUpdate: number) => scheduler.at(TIMER.fanout, `${n.id}-r${n.rootRevision}`, new Date(), { id: n.id, fromUpdate });

  /** `since`: when this report's fan-out began (it gives up waiting for pending copies after a while). */
  const scheduleReport = (n: Notice, reportNo: number, now: Date, since = now.getTime()) =>
    scheduler.at(TIMER.report, `${n.id}-${reportNo}`, new Date(now.getTime() + REPORT_POLL_MS), { id: n.id, n: reportNo, since });

  /** Tell the `onWindow` hook (alert silences); its failure must not undo the notice's change. */
  const windowChanged = async (n: Notice) => {
    if (n.kind !== 'maintenance' || !deps.onWindow) return;
    await deps.onWindow(n).catch((err: unknown) => deps.log.warn({ err, notice: n.id }, 'the maintenance window hook failed'));
  };

  const scheduleWindow = async (n: Notice, now: Date) => {
    if (n.kind !== 'maintenance' || !n.start || !n.end) return;
    await windowChanged(n);
    const start = new Date(n.start);
    for (const r of reminderTimes(start, n.reminders, now)) await scheduler.at(TIMER.reminder, `${n.id}-${r.offsetMs}`, r.at, { id: n.id, offsetMs: r.offsetMs });
    if (n.status === 'scheduled') await scheduler.at(TIMER.start, n.id, start, { id: n.id });
    await scheduler.at(TIMER.end, n.id, new Date(n.end), { id: n.id });
  };

  const stopWindow = async (n: Notice) => {
    for (const ms of n.reminders) await scheduler.cancel(TIMER.reminder, `${n.id}-${ms}`);
    await scheduler.cancel(TIMER.start, n.id);
    await scheduler.cancel(TIMER.end, n.id);
    await windowChanged(n);
  };

  /** Apply a change, then queue what it shows. */
  const change = async (id: string, fn: (n: Notice) => Change | undefined): Promise<Notice> => {
    const before = await load(id);
    let applied: Change | undefined;
    const after = await store.update(id, (cur) => {
      applied = fn(cur);
      return applied ? applyChange(cur, applied) : cur;
    });
    if (applied && after.rootRevision !== before.rootRevision) {
      const entry = after.timeline.at(-1);
      await scheduleFanout(after, entry?.update ?? after.updates + 1);
    }
    return after;
  };

  const buildNotice = (d: NoticeDraft, id: string, targets: NoticeTarget[], now: Date): Notice => {
    const { draftId: _d, noticeId: _n, createdAt: _c, ...rest } = d;
    return {
      ...rest,
      id,
      audience: targets,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      rootRevision: 1,
      updates: 0,
      reports: 1,
      timeline: [{ at: now.toISOString(), by: d.author.name, event: 'created', status: d.status, text: d.summary }],
    };
  };

  return { environment, load, offsetsMs, maxWindowMs, audience, scheduleFanout, scheduleReport, scheduleWindow, stopWindow, windowChanged, change, buildNotice };
}
