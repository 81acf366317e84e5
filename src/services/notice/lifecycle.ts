/**
 * A notice's lifecycle after it is sent: updates and resolutions from people, a maintenance
 * window extended, completed or cancelled, and the window's own timers (reminders, start, end).
 * Each change edits every root copy and adds a thread reply through `change`.
 */
import { isFinal } from '../../domain/notice/notice.js';
import { withArticle } from '../../domain/wording.js';
import { checkOpen, checkStatus, checkWindow, describeOffset, type Change } from '../../domain/notice/rules.js';
import { dated, InputError } from '../../errors.js';
import { formatAbsolute } from '../../render/dates.js';
import { addDuration } from '../../time/when.js';
import type { NoticeShared } from './shared.js';
import { TIMER, type NoticeService, type NoticeServiceDeps } from './types.js';

type LifecycleOps = Pick<NoticeService, 'update' | 'resolution' | 'extend' | 'complete' | 'cancel' | 'onReminder' | 'onStart' | 'onEnd'>;

export function lifecycleOps(deps: NoticeServiceDeps, shared: NoticeShared): LifecycleOps {
  return { ...peopleOps(shared), ...windowOps(deps, shared), ...timerOps(deps, shared) };
}

/** Changes people make to any notice: updates, an outage's resolution, and cancelling. */
function peopleOps(shared: NoticeShared): Pick<LifecycleOps, 'update' | 'resolution' | 'cancel'> {
  const { change, stopWindow } = shared;
  return {
    async update(id, input, now = new Date()) {
      return change(id, (n) => {
        checkOpen(n);
        checkStatus(n, input.status);
        if (n.kind === 'maintenance' && input.status !== n.status) {
          throw new InputError(`the status of maintenance ${n.id} follows its window: use /notice extend, /notice complete or /notice cancel (or update with status ${n.status} to add a note)`);
        }
        const patch: Change['patch'] = {};
        if (input.impact) patch.impact = input.impact;
        if (input.postmortem) patch.postmortem = input.postmortem;
        return { at: now, by: input.by, event: input.status === 'resolved' ? 'resolved' : 'update', status: input.status, text: input.text, patch };
      }).then(async (n) => {
        if (n.kind === 'maintenance' && isFinal(n)) await stopWindow(n);
        return n;
      });
    },

    async resolution(id, input, now = new Date()) {
      return change(id, (cur) => {
        if (cur.kind !== 'outage' || cur.status !== 'resolved') throw new InputError(`notice ${cur.id} is not a resolved outage; impact and postmortem come with the resolution`);
        const patch: Change['patch'] = {};
        if (input.impact) patch.impact = input.impact;
        if (input.postmortem) patch.postmortem = input.postmortem;
        if (!patch.impact && !patch.postmortem) throw new InputError('give an impact summary, a postmortem link, or both');
        const text = [patch.impact && `Impact: ${patch.impact}`, patch.postmortem && `Postmortem: ${patch.postmortem}`].filter(Boolean).join(' · ');
        return { at: now, by: input.by, event: 'resolution', text, patch };
      });
    },

    async cancel(id, reason, who, now = new Date()) {
      const n = await change(id, (cur) => {
        checkOpen(cur);
        const status = cur.kind === 'maintenance' ? 'cancelled' : cur.kind === 'outage' ? 'resolved' : 'rolled-back';
        return { at: now, by: who, event: 'cancelled', status, text: `Cancelled: ${reason}` };
      });
      await stopWindow(n);
      return n;
    },
  };
}

/** Changes people make to a maintenance window: extending it, or completing it early. */
function windowOps(deps: NoticeServiceDeps, shared: NoticeShared): Pick<LifecycleOps, 'extend' | 'complete'> {
  const { scheduler } = deps;
  const { change, stopWindow, windowChanged, maxWindowMs } = shared;
  return {
    async extend(id, by, who, now = new Date()) {
      const n = await change(id, (cur) => {
        if (cur.kind !== 'maintenance' || !cur.end || !cur.start) throw new InputError(`notice ${cur.id} is ${withArticle(cur.kind)} notice; only maintenance windows can be extended`);
        checkOpen(cur);
        const end = addDuration(new Date(cur.end), by, cur.zone);
        checkWindow(new Date(cur.start), end, now, maxWindowMs());
        return { at: now, by: who, event: 'extended', text: `Extended until ${formatAbsolute(end, cur.zone, 'datetime')}`, patch: { end: end.toISOString() } };
      });
      await scheduler.at(TIMER.end, n.id, new Date(n.end!), { id: n.id });
      await windowChanged(n);
      return n;
    },

    async complete(id, who, now = new Date()) {
      const n = await change(id, (cur) => {
        if (cur.kind !== 'maintenance') throw new InputError(`notice ${cur.id} is ${withArticle(cur.kind)} notice: use /notice update ${cur.id} ${cur.kind === 'outage' ? 'resolved' : 'completed'} <text>`);
        checkOpen(cur);
        // Completing early moves the end to now, which must not fall before the start.
        if (now.getTime() < Date.parse(cur.start!)) throw new InputError(dated`maintenance ${cur.id} has not started yet (it starts ${new Date(cur.start!)}); use /notice cancel ${cur.id} <reason> to call it off`);
        return { at: now, by: who, event: 'completed', status: 'completed', text: 'Maintenance completed', patch: { end: now.getTime() < Date.parse(cur.end!) ? now.toISOString() : cur.end! } };
      });
      await stopWindow(n);
      return n;
    },
  };
}

/** The maintenance window's own timers: reminders before it, its start and its end. */
function timerOps(deps: NoticeServiceDeps, shared: NoticeShared): Pick<LifecycleOps, 'onReminder' | 'onStart' | 'onEnd'> {
  const { store } = deps;
  const { change, stopWindow } = shared;
  return {
    async onReminder(id, offsetMs, now = new Date()) {
      const n = await store.get(id);
      if (!n || n.status !== 'scheduled' || !n.start) return;
      await change(id, (cur) =>
        cur.status !== 'scheduled' ? undefined : { at: now, by: 'Day2', event: 'reminder', text: `Starts in ${describeOffset(offsetMs)}`, source: `timer:reminder:${offsetMs}:${cur.start}` },
      );
    },

    async onStart(id, now = new Date()) {
      const n = await store.get(id);
      if (!n || n.status !== 'scheduled') return;
      await change(id, (cur) => (cur.status !== 'scheduled' ? undefined : { at: now, by: 'Day2', event: 'started', status: 'in-progress', text: 'Maintenance started', source: `timer:start:${cur.start}` }));
    },

    async onEnd(id, now = new Date()) {
      const n = await store.get(id);
      if (!n || isFinal(n) || !n.end) return;
      // A window extended after this timer was queued is not over yet: the moved timer will come.
      if (Date.parse(n.end) > now.getTime() + 1000) return;
      // The window's hook is told the notice as it is now (completed), not as it was read above.
      const after = await change(id, (cur) => (isFinal(cur) ? undefined : { at: now, by: 'Day2', event: 'completed', status: 'completed', text: 'Maintenance completed', source: `timer:end:${cur.end}` }));
      await stopWindow(after);
    },
  };
}
