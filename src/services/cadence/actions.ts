/**
 * Action items of an occurrence: adding one (its owner is reminded in the cadence's channels,
 * first at a given time, then daily), completing one (its reminders stop), and the timer
 * handler that posts each daily reminder.
 */
import { z } from 'zod';
import type { TimerHandler } from '../../delivery/scheduler.js';
import { occurrenceKey } from '../../store/cadence/store.js';
import type { ActionItem } from '../../domain/cadence/model.js';
import { addDuration } from '../../time/when.js';
import type { CadenceShared } from './shared.js';
import { ACTION_KIND, type CadenceService, type CadenceServiceOptions } from './types.js';

/** An open action item is reminded at most this many times (daily). */
const MAX_ACTION_REMINDERS = 14;

export const actionData = z.object({ name: z.string(), occurrence: z.string(), action: z.string() });

export function actionOps(opts: CadenceServiceOptions, shared: CadenceShared): Pick<CadenceService, 'addAction' | 'completeAction'> {
  const { store, scheduler } = opts;
  const { now } = shared;
  return {
    async addAction(name, occurrence, item, firstReminder) {
      let added: ActionItem | undefined;
      await store.occurrences.update(occurrenceKey(name, occurrence), (s) => {
        added = { id: `${occurrence}-${s.actions.length + 1}`, owner: item.owner, text: item.text, due: item.due?.toISOString(), done: false, reminded: 0, by: item.by, at: now().toISOString() };
        return { ...s, actions: [...s.actions, added] };
      });
      await scheduler.at(ACTION_KIND, `${name}.${added!.id}`, firstReminder, { name, occurrence, action: added!.id });
      return added!;
    },

    async completeAction(name, actionId) {
      const occurrence = actionId.replace(/-\d+$/, '');
      const key = occurrenceKey(name, occurrence);
      if (!(await store.occurrences.get(key))) return undefined;
      let found: ActionItem | undefined;
      await store.occurrences.update(key, (s) => ({
        ...s,
        actions: s.actions.map((a) => (a.id === actionId ? (found = { ...a, done: true }) : a)),
      }));
      if (found) await scheduler.cancel(ACTION_KIND, `${name}.${actionId}`);
      return found;
    },
  };
}

/** The `cadence-action` timer: remind an open action item's owner, then plan tomorrow's reminder. */
export function actionReminderHandler(opts: CadenceServiceOptions, shared: CadenceShared): TimerHandler<z.output<typeof actionData>> {
  const { store, scheduler, deliveries, renderer } = opts;
  return async (data) => {
    const rec = await store.cadences.get(data.name);
    const state = await store.occurrences.get(occurrenceKey(data.name, data.occurrence));
    const item = state?.value.actions.find((a) => a.id === data.action);
    if (!rec || !item || item.done || item.reminded >= MAX_ACTION_REMINDERS) return;
    const c = rec.value;
    const n = item.reminded + 1;
    const message = renderer.render('cadence/action-reminder', {
      cadence: { name: c.name, title: c.title ?? c.name },
      owner: item.owner,
      text: item.text,
      id: item.id,
      due: item.due ? new Date(item.due) : undefined,
      at: new Date(state!.value.at),
    });
    // Keyed per reminder number: a retry of this one posts nothing new, the next day's is new.
    await deliveries.enqueue(c.channels.map((ch) => ({ key: `cadence-${c.name}-act-${item.id}-${n}`, revision: 1, target: ch, message })));
    await store.occurrences.update(occurrenceKey(data.name, data.occurrence), (s) => ({ ...s, actions: s.actions.map((a) => (a.id === item.id ? { ...a, reminded: Math.max(a.reminded, n) } : a)) }));
    if (n < MAX_ACTION_REMINDERS) await scheduler.at(ACTION_KIND, `${c.name}.${item.id}`, addDuration(shared.now(), { days: 1 }, c.zone), data);
  };
}
