/**
 * Cadence firing. Each cadence has timers for exactly one occurrence at a time (the next one
 * not yet handled): its announcement (`cadence-fire`) and its reminders (`cadence-remind`), named
 * `<cadence>.<occurrence>` so every process that plans the same occurrence names the same
 * timer (the scheduler's ids are deterministic), and a re-plan after an edit moves them.
 *
 * Once, even with two processes and restarts: the announcement is claimed by creating the
 * occurrence's state record (only one create wins; a crash after the claim leaves `firing`, and
 * the retry finishes the job), and the post itself goes through the delivery queue under the key
 * `cadence-<cadence>-<occurrence>`, which never posts the same (key, channel, revision) twice.
 *
 * Late: a timer that runs after its time (the bot was down) announces within the grace window,
 * marked late, and otherwise records the occurrence missed. Occurrences that passed with no timer
 * at all (down for longer than one period) are recorded missed when the cadence is next planned.
 */
import type { DeliveryService } from '../../delivery/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import { z } from 'zod';
import type { Renderer } from '../../render/renderer.js';
import type { Logger } from '../../log.js';
import { RecordConflictError } from '../../store/record.js';
import { occurrenceKey, type CadenceStore } from '../../store/cadence/store.js';
import { timingOf, type ActionItem, type Cadence, type OccurrenceState, type RsvpChoice } from '../../domain/cadence/model.js';
import { nextOccurrences, occurrencesBetween, type Holiday, type Occurrence } from '../../domain/cadence/occurrences.js';
import { lengthMs, reminderAt } from '../../domain/cadence/reminders.js';
import { addDuration } from '../../time/when.js';

export const FIRE_KIND = 'cadence-fire';
export const REMIND_KIND = 'cadence-remind';
export const ACTION_KIND = 'cadence-action';
export const FOLLOWUP_KIND = 'cadence-followup';
/** An open action item is reminded at most this many times (daily). */
const MAX_ACTION_REMINDERS = 14;

/** By default an announcement later than this after its time is marked late. */
const LATE_AFTER_MS = 60_000;
/** At most this many passed occurrences are recorded missed in one planning pass. */
const MAX_MISSED_RECORDED = 50;

export interface CadenceServiceOptions {
  store: CadenceStore;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  /** Holiday calendars, grace and default template lookups read the config in force now. */
  settings(): { calendars: Record<string, Holiday[]>; graceMs: number; lateAfterMs?: number; invitees?: (roles: readonly string[]) => string[] };
  clock?: () => Date;
  log: Logger;
}

export interface RsvpBy {
  key: string;
  name: string;
  roles: string[];
  /** The platform user who answered, for messages to participants afterwards. */
  user?: { platform: 'slack' | 'mattermost' | 'console'; id: string };
}

export interface CadenceService {
  readonly store: CadenceStore;
  calendars(): Record<string, Holiday[]>;
  /** The next `n` occurrences of a cadence (as it would be saved). */
  upcoming(c: Cadence, n: number, after?: Date): Occurrence[];
  /** Save a new cadence and set its timers; throws RecordConflictError for a taken name. */
  create(c: Cadence): Promise<void>;
  /** Apply `fn` to a stored cadence, then re-plan its timers. */
  change(name: string, fn: (c: Cadence) => Cadence): Promise<Cadence>;
  /** Delete a cadence and cancel its timers. */
  remove(name: string): Promise<boolean>;
  /** Set the timers for the next occurrence not handled yet (and record passed ones missed). */
  plan(name: string): Promise<void>;
  /** Plan every stored cadence (at start). */
  planAll(): Promise<void>;
  /** Record an RSVP and queue the announcement's next revision with the new counts. */
  rsvp(name: string, occurrence: string, by: RsvpBy, choice: RsvpChoice): Promise<OccurrenceState | undefined>;
  /** Latest handled occurrence of a cadence (for notes, actions, show). */
  lastOccurrence(name: string): Promise<OccurrenceState | undefined>;
  /** Render and queue the announcement's current revision to every channel. */
  publish(c: Cadence, state: OccurrenceState): Promise<void>;
  /**
   * Add an action item to an occurrence and remind its owner in the cadence's channels at `firstReminder`,
   * then daily until it is done.
   */
  addAction(name: string, occurrence: string, item: { owner: string; text: string; due?: Date; by: string }, firstReminder: Date): Promise<ActionItem>;
  /** Mark an action item done (resolves false when there is none by that id) and stop its reminders. */
  completeAction(name: string, actionId: string): Promise<ActionItem | undefined>;
  /** Occurrences of blocking cadences in [from, to), optionally only those naming `env`. */
  blockingEvents(env: string | undefined, from: Date, to: Date): Promise<BlockingEvent[]>;
}

/** Shaped like release coordination's CalendarEntry (src/domain/release/calendar-port.ts). */
export interface BlockingEvent {
  /** `<cadence>.<occurrence>` */
  id: string;
  owner: 'cadence';
  cadence: string;
  title: string;
  occurrence: string;
  start: Date;
  end: Date;
  /** Environments it blocks; empty means all. */
  environments: string[];
}

const fireData = z.object({ name: z.string(), occurrence: z.string() });
const remindData = z.object({ name: z.string(), occurrence: z.string(), offset: z.string() });
const actionData = z.object({ name: z.string(), occurrence: z.string(), action: z.string() });
const followupData = z.object({ name: z.string(), occurrence: z.string() });

export function announcementTemplate(c: Cadence): string {
  return c.template ?? `cadence/${c.kind}`;
}

export function createCadenceService(opts: CadenceServiceOptions): CadenceService {
  const { store, scheduler, deliveries, renderer, log } = opts;
  const now = opts.clock ?? (() => new Date());
  const calendars = () => opts.settings().calendars;
  const timing = (c: Cadence) => timingOf(c, calendars());

  const fireId = (name: string, occ: string) => occurrenceKey(name, occ);
  const remindId = (name: string, occ: string, offset: string) => `${occurrenceKey(name, occ)}.r${offset}`;

  const cancelPlanned = async (c: Cadence) => {
    if (!c.planned) return;
    await scheduler.cancel(FIRE_KIND, fireId(c.name, c.planned.occurrence));
    for (const r of c.planned.reminders) await scheduler.cancel(REMIND_KIND, remindId(c.name, c.planned.occurrence, r));
  };

  const announcementData = (c: Cadence, s: OccurrenceState) => {
    const votes = Object.values(s.rsvp);
    const count = (choice: RsvpChoice) => votes.filter((v) => v.choice === choice).length;
    const byRole = c.invite.map((role) => ({
      role,
      going: votes.filter((v) => v.choice === 'going' && v.roles.includes(role)).length,
      invited: true,
    }));
    return {
      cadence: { name: c.name, title: c.title ?? c.name, kind: c.kind },
      at: new Date(s.at),
      late: s.late,
      agenda: s.agenda.map((a) => a.text),
      going: count('going'),
      notGoing: count('not-going'),
      maybe: count('maybe'),
      goingNames: votes.filter((v) => v.choice === 'going').map((v) => v.name),
      rsvp: c.kind !== 'announcement',
      roles: byRole,
      /** Mention references of the people holding the invited roles (exercises). */
      invitees: c.invite.length > 0 ? (opts.settings().invitees?.(c.invite) ?? []).map((id) => `person:${id}`) : [],
      value: `${c.name}~${s.occurrence}`,
    };
  };

  const service: CadenceService = {
    store,
    calendars,
    upcoming: (c, n, after = now()) => nextOccurrences(timing(c), after, n),

    async create(c) {
      await store.cadences.put(c.name, c);
      await service.plan(c.name);
    },

    async change(name, fn) {
      const saved = await store.cadences.update(name, fn);
      await service.plan(name);
      return saved.value;
    },

    async remove(name) {
      const c = await store.cadences.get(name);
      if (!c) return false;
      await cancelPlanned(c.value);
      return store.cadences.delete(name);
    },

    async plan(name) {
      const rec = await store.cadences.get(name);
      if (!rec) return;
      const c = rec.value;
      const t = now();
      if (c.paused) {
        await cancelPlanned(c);
        if (c.planned) await store.cadences.update(name, (cur) => ({ ...cur, planned: undefined }));
        return;
      }
      const grace = opts.settings().graceMs;
      // Nothing before the cadence existed is late or missed: a cadence created at 10:20 for a
      // daily 10:00 starts tomorrow, not with a late post of today's.
      const windowStart = new Date(Math.max(t.getTime() - grace, new Date(c.createdAt).getTime()));
      // Occurrences that passed beyond the grace window without a timer: record them missed.
      if (c.lastHandledAt) {
        const passed = occurrencesBetween(timing(c), new Date(new Date(c.lastHandledAt).getTime() + 1), windowStart).slice(-MAX_MISSED_RECORDED);
        for (const o of passed) await claim(c, o, 'missed', false);
      }
      let target: Occurrence | undefined;
      for (const o of nextOccurrences(timing(c), new Date(windowStart.getTime() - 1), 8)) {
        const state = await store.occurrences.get(occurrenceKey(name, o.id));
        if (!state || state.value.status === 'firing') {
          target = o;
          break;
        }
      }
      if (c.planned && c.planned.occurrence !== target?.id) {
        // A handled occurrence's announcement timer has run (it is what called us, usually):
        // only its reminders could still be pending.
        const handled = await store.occurrences.get(occurrenceKey(name, c.planned.occurrence));
        if (handled && handled.value.status !== 'firing') {
          for (const r of c.planned.reminders) await scheduler.cancel(REMIND_KIND, remindId(name, c.planned.occurrence, r));
        } else await cancelPlanned(c);
      }
      if (!target) {
        if (c.planned) await store.cadences.update(name, (cur) => ({ ...cur, planned: undefined }));
        return;
      }
      const reminders: string[] = [];
      for (const offset of c.reminders) {
        const at = reminderAt(target.at, offset, c.zone);
        if (at.getTime() <= t.getTime()) {
          await scheduler.cancel(REMIND_KIND, remindId(name, target.id, offset));
          continue;
        }
        await scheduler.at(REMIND_KIND, remindId(name, target.id, offset), at, { name, occurrence: target.id, offset });
        reminders.push(offset);
      }
      await scheduler.at(FIRE_KIND, fireId(name, target.id), target.at, { name, occurrence: target.id });
      const planned = { occurrence: target.id, at: target.at.toISOString(), reminders };
      await store.cadences.update(name, (cur) => ({ ...cur, planned }));
    },

    async planAll() {
      for (const c of await store.cadences.list()) {
        try {
          await service.plan(c.id);
        } catch (err) {
          log.error({ err, cadence: c.id }, 'cannot plan cadence');
        }
      }
    },

    async rsvp(name, occurrence, by, choice) {
      const c = await store.cadences.get(name);
      if (!c) return undefined;
      let changed = false;
      let updated: OccurrenceState;
      try {
        updated = (
          await store.occurrences.update(occurrenceKey(name, occurrence), (s) => {
            if (s.rsvp[by.key]?.choice === choice) return s;
            changed = true;
            return { ...s, rsvp: { ...s.rsvp, [by.key]: { choice, name: by.name, roles: by.roles, user: by.user } }, revision: s.revision + 1 };
          })
        ).value;
      } catch (e) {
        if ((e as Error).name === 'RecordNotFoundError') return undefined;
        throw e;
      }
      if (changed) await service.publish(c.value, updated);
      return updated;
    },

    async lastOccurrence(name) {
      const c = await store.cadences.get(name);
      if (!c) return undefined;
      // The most recent handled occurrence: walk back from now over the recent past.
      const t = now();
      const recent = occurrencesBetween(timing(c.value), new Date(t.getTime() - 400 * 86_400_000), new Date(t.getTime() + 1)).reverse();
      for (const o of recent.slice(0, 60)) {
        const s = await store.occurrences.get(occurrenceKey(name, o.id));
        if (s) return s.value;
      }
      return undefined;
    },

    async publish(c, state) {
      const message = renderer.render(announcementTemplate(c), announcementData(c, state));
      await deliveries.enqueue(c.channels.map((ch) => ({ key: `cadence-${c.name}-${state.occurrence}`, revision: state.revision, target: ch, message })));
    },

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

    async blockingEvents(env, from, to) {
      const out: BlockingEvent[] = [];
      for (const { value: c } of await store.cadences.list()) {
        if (!c.blocking || c.paused) continue;
        if (env !== undefined && c.environments.length > 0 && !c.environments.includes(env)) continue;
        const len = lengthMs(c.duration);
        // An occurrence that started before `from` may still be running.
        for (const o of occurrencesBetween(timing(c), new Date(from.getTime() - len), to)) {
          const end = new Date(o.at.getTime() + len);
          if (end.getTime() <= from.getTime()) continue;
          out.push({ id: occurrenceKey(c.name, o.id), owner: 'cadence', cadence: c.name, title: c.title ?? c.name, occurrence: o.id, start: o.at, end, environments: c.environments });
        }
      }
      return out.sort((a, b) => a.start.getTime() - b.start.getTime());
    },
  };

  /**
   * Create the occurrence's state (the claim). Resolves the state that stands now: ours, or the
   * one another process (or an earlier try) wrote first.
   */
  async function claim(c: Cadence, o: Occurrence, status: 'firing' | 'missed', late: boolean): Promise<{ state: OccurrenceState; ours: boolean }> {
    const key = occurrenceKey(c.name, o.id);
    const state: OccurrenceState = {
      cadence: c.name,
      occurrence: o.id,
      at: o.at.toISOString(),
      status,
      late,
      handledAt: now().toISOString(),
      agenda: status === 'firing' ? c.agenda.map((a) => ({ ...a, covered: false })) : [],
      rsvp: {},
      revision: 1,
      notes: [],
      actions: [],
    };
    try {
      await store.occurrences.put(key, state);
    } catch (e) {
      if (!(e instanceof RecordConflictError)) throw e;
      const existing = await store.occurrences.get(key);
      if (!existing) throw e;
      return { state: existing.value, ours: false };
    }
    // Archive the agenda with this occurrence; items added meanwhile stay for the next one.
    const archived = new Set(state.agenda.map((a) => a.id));
    await store.cadences.update(c.name, (cur) => ({
      ...cur,
      agenda: cur.agenda.filter((a) => !archived.has(a.id)),
      lastHandledAt: !cur.lastHandledAt || cur.lastHandledAt < state.at ? state.at : cur.lastHandledAt,
    }));
    log.info({ cadence: c.name, occurrence: o.id, status, late }, status === 'missed' ? 'cadence occurrence missed' : 'cadence occurrence claimed');
    return { state, ours: true };
  }

  /** The occurrence named `id` if it still stands at `scheduledFor` (else it was moved, skipped or edited). */
  function current(c: Cadence, id: string, scheduledFor: Date): Occurrence | undefined {
    const around = occurrencesBetween(timing(c), new Date(scheduledFor.getTime() - 1), new Date(scheduledFor.getTime() + 1));
    return around.find((o) => o.id === id);
  }

  scheduler.handle(FIRE_KIND, fireData, async (data, ctx) => {
    const rec = await store.cadences.get(data.name);
    if (!rec || rec.value.paused) return;
    const c = rec.value;
    const o = current(c, data.occurrence, ctx.scheduledFor);
    if (!o) {
      ctx.log.info({ cadence: c.name, occurrence: data.occurrence }, 'occurrence no longer stands at this time; re-planning');
      await service.plan(c.name);
      return;
    }
    const lateness = now().getTime() - o.at.getTime();
    const grace = opts.settings().graceMs;
    const { state } = await claim(c, o, lateness > grace ? 'missed' : 'firing', lateness > (opts.settings().lateAfterMs ?? LATE_AFTER_MS));
    if (state.status === 'firing') {
      // Idempotent: a second process or a retry queues the same (key, channel, revision).
      await service.publish(c, state);
      // Exercises ask for lessons learned once they are over (same id from any process: once).
      if (c.kind === 'exercise') await scheduler.at(FOLLOWUP_KIND, `${occurrenceKey(c.name, o.id)}.followup`, new Date(o.at.getTime() + lengthMs(c.duration)), { name: c.name, occurrence: o.id });
      await store.occurrences.update(occurrenceKey(c.name, o.id), (s) => (s.status === 'firing' ? { ...s, status: 'fired' } : s));
    }
    await service.plan(c.name);
  });

  scheduler.handle(REMIND_KIND, remindData, async (data, ctx) => {
    const rec = await store.cadences.get(data.name);
    if (!rec || rec.value.paused) return;
    const c = rec.value;
    const o = nextOccurrences(timing(c), new Date(now().getTime() - 1), 3).find((x) => x.id === data.occurrence);
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
  });

  // After an exercise: ask the channels and each participant who answered for lessons learned.
  scheduler.handle(FOLLOWUP_KIND, followupData, async (data) => {
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
  });

  scheduler.handle(ACTION_KIND, actionData, async (data) => {
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
    if (n < MAX_ACTION_REMINDERS) await scheduler.at(ACTION_KIND, `${c.name}.${item.id}`, addDuration(now(), { days: 1 }, c.zone), data);
  });

  return service;
}
