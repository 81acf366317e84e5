/**
 * The cadence timer kinds and their handlers: the announcement (`cadence-fire`, claimed once,
 * late within the grace window, missed beyond it), reminders before an occurrence
 * (`cadence-remind`), the lessons-learned prompt after an exercise (`cadence-followup`) and daily
 * action item reminders (`cadence-action`, in actions.ts). Registered when the service is made.
 */
import { z } from 'zod';
import type { TimerHandler } from '../../delivery/scheduler.js';
import { occurrenceKey } from '../../store/cadence/store.js';
import type { Cadence } from '../../domain/cadence/model.js';
import { nextOccurrences, occurrencesBetween, type Occurrence } from '../../domain/cadence/occurrences.js';
import { lengthMs } from '../../domain/cadence/reminders.js';
import { actionData, actionReminderHandler } from './actions.js';
import type { CadenceShared } from './shared.js';
import { ACTION_KIND, FIRE_KIND, FOLLOWUP_KIND, REMIND_KIND, type CadenceService, type CadenceServiceOptions } from './types.js';

/** By default an announcement later than this after its time is marked late. */
const LATE_AFTER_MS = 60_000;

const fireData = z.object({ name: z.string(), occurrence: z.string() });
const remindData = z.object({ name: z.string(), occurrence: z.string(), offset: z.string() });
const followupData = z.object({ name: z.string(), occurrence: z.string() });

export function registerCadenceTimers(opts: CadenceServiceOptions, shared: CadenceShared, service: Pick<CadenceService, 'plan' | 'publish'>): void {
  const { scheduler } = opts;
  scheduler.handle(FIRE_KIND, fireData, fireHandler(opts, shared, service));
  scheduler.handle(REMIND_KIND, remindData, reminderHandler(opts, shared));
  // After an exercise: ask the channels and each participant who answered for lessons learned.
  scheduler.handle(FOLLOWUP_KIND, followupData, followupHandler(opts));
  scheduler.handle(ACTION_KIND, actionData, actionReminderHandler(opts, shared));
}

/** The occurrence named `id` if it still stands at `scheduledFor` (else it was moved, skipped or edited). */
function current(shared: CadenceShared, c: Cadence, id: string, scheduledFor: Date): Occurrence | undefined {
  const around = occurrencesBetween(shared.timing(c), new Date(scheduledFor.getTime() - 1), new Date(scheduledFor.getTime() + 1));
  return around.find((o) => o.id === id);
}

function fireHandler(opts: CadenceServiceOptions, shared: CadenceShared, service: Pick<CadenceService, 'plan' | 'publish'>): TimerHandler<z.output<typeof fireData>> {
  const { store, scheduler } = opts;
  return async (data, ctx) => {
    const rec = await store.cadences.get(data.name);
    if (!rec || rec.value.paused) return;
    const c = rec.value;
    const o = current(shared, c, data.occurrence, ctx.scheduledFor);
    if (!o) {
      ctx.log.info({ cadence: c.name, occurrence: data.occurrence }, 'occurrence no longer stands at this time; re-planning');
      await service.plan(c.name);
      return;
    }
    const lateness = shared.now().getTime() - o.at.getTime();
    const grace = opts.settings().graceMs;
    const { state } = await shared.claim(c, o, lateness > grace ? 'missed' : 'firing', lateness > (opts.settings().lateAfterMs ?? LATE_AFTER_MS));
    if (state.status === 'firing') {
      // Idempotent: a second process or a retry queues the same (key, channel, revision).
      await service.publish(c, state);
      // Exercises ask for lessons learned once they are over (same id from any process: once).
      if (c.kind === 'exercise') await scheduler.at(FOLLOWUP_KIND, `${occurrenceKey(c.name, o.id)}.followup`, new Date(o.at.getTime() + lengthMs(c.duration)), { name: c.name, occurrence: o.id });
      await store.occurrences.update(occurrenceKey(c.name, o.id), (s) => (s.status === 'firing' ? { ...s, status: 'fired' } : s));
    }
    await service.plan(c.name);
  };
}

function reminderHandler(opts: CadenceServiceOptions, shared: CadenceShared): TimerHandler<z.output<typeof remindData>> {
  const { store, deliveries, renderer } = opts;
  return async (data, ctx) => {
    const rec = await store.cadences.get(data.name);
    if (!rec || rec.value.paused) return;
    const c = rec.value;
    const o = nextOccurrences(shared.timing(c), new Date(shared.now().getTime() - 1), 3).find((x) => x.id === data.occurrence);
    if (!o) {
      ctx.log.info({ cadence: c.name, occurrence: data.occurrence }, 'reminder for an occurrence that no longer stands');
      return;
    }
    const message = renderer.render('cadence/reminder', {
      cadence: { name: c.name, title: c.title ?? c.name, kind: c.kind },
      at: o.at,
      offset: data.offset,
      agenda: c.agenda.map((a) => a.text),
    });
    await deliveries.enqueue(c.channels.map((ch) => ({ key: `cadence-${c.name}-${o.id}-r${data.offset}`, revision: 1, target: ch, message })));
  };
}

function followupHandler(opts: CadenceServiceOptions): TimerHandler<z.output<typeof followupData>> {
  const { store, deliveries, renderer } = opts;
  return async (data) => {
    const rec = await store.cadences.get(data.name);
    const state = await store.occurrences.get(occurrenceKey(data.name, data.occurrence));
    if (!rec || !state) return;
    const c = rec.value;
    const message = renderer.render('cadence/lessons-prompt', { cadence: { name: c.name, title: c.title ?? c.name }, at: new Date(state.value.at) });
    const participants = Object.values(state.value.rsvp).filter((r) => r.choice !== 'not-going' && r.user && r.user.platform !== 'console');
    const key = `cadence-${c.name}-${data.occurrence}-lessons`;
    await deliveries.enqueue([
      ...c.channels.map((target) => ({ key, revision: 1, target, message })),
      ...participants.map((r) => ({ key, revision: 1, target: { platform: r.user!.platform, userId: r.user!.id }, message })),
    ]);
  };
}
