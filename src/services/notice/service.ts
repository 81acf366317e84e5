/**
 * The notices service: drafts, confirmation, lifecycle changes and the fan-out. Handlers and
 * timers call it; it never talks to a chat platform itself: every copy goes through the
 * delivery queue under deterministic keys, so a retry, a restart or a second process can only
 * ever make the platform show the newest revision of the one copy per channel.
 *
 *   root message   key notice-<id>,      revision = notice.rootRevision (edited on every change)
 *   update n       key notice-<id>-u<n>, revision 1, a thread reply: parentKey = root for the
 *                  first, the previous update for the others (so replies keep their order)
 *
 * The fan-out itself runs in a timer job (`notice-fanout`, one id per root revision), not in
 * the command handler: if the process dies halfway through queueing a thousand deliveries, the
 * job is picked up again and queues the rest; what was queued already is not queued twice.
 */
import { randomBytes } from 'node:crypto';
import type { OutboundMessage } from '../../chat/message.js';
import type { Platform } from '../../chat/port.js';
import type { Config, Environment } from '../../config.js';
import { audienceOf, countByPlatform } from '../../domain/notice/audience.js';
import { isFinal, reportKey, rootKey, updateKey, type Notice, type NoticeAuthor, type NoticeDraft, type NoticeKind, type NoticeTarget, type Severity } from '../../domain/notice/notice.js';
import { applyChange, checkOpen, checkStatus, checkWindow, describeOffset, initialStatus, reminderTimes, type Change } from '../../domain/notice/rules.js';
import { parseDuration } from '../../time/duration.js';
import { InputError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import { asSubscriptions, type MaintenanceWindow, type NoticeStore } from '../../store/notice/store.js';
import type { OutboxEntry } from '../../delivery/outbox.js';
import { RecordConflictError } from '../../store/record.js';
import { addDuration, type Duration } from '../../time/when.js';
import type { DeliveryRequest, DeliveryService } from '../../delivery/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import { noticeMessage, reportMessage, updateMessage } from './messages.js';

export const TIMER = {
  fanout: 'notice-fanout',
  report: 'notice-report',
  reminder: 'notice-reminder',
  start: 'notice-start',
  end: 'notice-end',
} as const;

/** How often the completion report looks again while copies are pending, and for how long. */
const REPORT_POLL_MS = 3000;
const REPORT_GIVE_UP_MS = 2 * 3600_000;
/**
 * Deliveries are queued at about the pace the platforms take them, a little ahead of it: a
 * thousand queued jobs would all wake for every free platform slot and crowd each other out,
 * while a couple of seconds' worth keeps every slot used. Queued copies are never queued again,
 * so a fan-out job that dies halfway and runs again only queues the rest.
 */
const LEAD_SECONDS = 2;

export interface DraftInput {
  env: string;
  kind: NoticeKind;
  summary: string;
  components: string[];
  severity?: Severity;
  service?: string;
  version?: string;
  notes?: string;
  start?: Date;
  end?: Date;
  author: NoticeAuthor;
}

export interface LedgerRow {
  target: NoticeTarget;
  state: OutboxEntry['state'] | 'not queued';
  deliveredRevision?: number;
  error?: string;
  /** Thread replies this channel shows, of `updates`. */
  repliesDelivered: number;
  repliesFailed: number;
}

export interface FanoutReport {
  total: number;
  delivered: number;
  pending: number;
  failed: { target: NoticeTarget; error: string }[];
}

export interface NoticeService {
  readonly store: NoticeStore;
  environment(env: string): Environment;
  audience(env: string, kind: NoticeKind, components: readonly string[]): Promise<NoticeTarget[]>;
  /** Validate and keep a draft; nothing is sent until `confirm`. */
  draft(input: DraftInput, now?: Date): Promise<{ draft: NoticeDraft; audience: NoticeTarget[]; counts: { slack: number; mattermost: number; total: number } }>;
  /** Turn a draft into a notice and start its fan-out. Pressing confirm twice gives one notice. */
  confirm(draftId: string, now?: Date): Promise<Notice>;
  /** Draft and confirm in one step (for code that has no one to ask). */
  create(input: DraftInput, now?: Date): Promise<Notice>;
  /** `/notice update`: status and text, posted to every thread and shown on every root. */
  update(id: string, input: { status: string; text: string; by: string; impact?: string; postmortem?: string }, now?: Date): Promise<Notice>;
  /** Impact and postmortem of a resolved outage, added after the fact: a reply and every root edited. */
  resolution(id: string, input: { impact?: string; postmortem?: string; by: string }, now?: Date): Promise<Notice>;
  extend(id: string, by: Duration, who: string, now?: Date): Promise<Notice>;
  complete(id: string, who: string, now?: Date): Promise<Notice>;
  cancel(id: string, reason: string, who: string, now?: Date): Promise<Notice>;
  /** Queue the root at its current revision and replies from `fromUpdate` on, to the whole audience. Idempotent. */
  fanOut(id: string, fromUpdate: number): Promise<void>;
  /** Ask again for every copy that failed (and anything not yet queued); a new completion report follows. */
  retry(id: string, now?: Date): Promise<Notice>;
  report(id: string): Promise<FanoutReport>;
  ledger(id: string): Promise<LedgerRow[]>;
  maintenanceWindows(env: string, from: Date, to: Date): Promise<MaintenanceWindow[]>;
  /** Timer entry points (registered in notice-timers.ts). */
  onReminder(id: string, offsetMs: number, now?: Date): Promise<void>;
  onStart(id: string, now?: Date): Promise<void>;
  onEnd(id: string, now?: Date): Promise<void>;
  onReport(id: string, n: number, since: number, now?: Date): Promise<void>;
}

export interface NoticeServiceDeps {
  store: NoticeStore;
  deliveries: DeliveryService;
  scheduler: Scheduler;
  renderer: Renderer;
  config(): Config;
  log: Logger;
}

const targetKey = (t: { platform: string; channelId?: string; userId?: string }) => `${t.platform}-c-${t.channelId ?? ''}`;

export function createNoticeService(deps: NoticeServiceDeps): NoticeService {
  const { store, deliveries, scheduler, renderer, log } = deps;

  const environment = (env: string): Environment => {
    const found = deps.config().environments.find((e) => e.id === env);
    if (!found) {
      const known = deps.config().environments.map((e) => e.id);
      throw new InputError(`unknown environment "${env}"${known.length ? `: use one of ${known.join(', ')}` : ' (none are configured)'}`);
    }
    return found;
  };

  const load = async (id: string): Promise<Notice> => {
    const n = await store.get(id);
    if (!n) throw new InputError(`there is no notice ${JSON.stringify(id)}; /notice list shows the open ones`);
    return n;
  };

  const offsetsMs = (): number[] =>
    deps.config().notices.reminderOffsets.map((o) => {
      const d = parseDuration(o);
      // Offsets are validated with the config; a day counts as 24 h before a start.
      return d.ok ? (d.value.ms ?? 0) + ((d.value.days ?? 0) + 7 * (d.value.weeks ?? 0)) * 86_400_000 + (d.value.months ?? 0) * 30 * 86_400_000 : 0;
    }).filter((ms) => ms > 0);

  const audience = async (env: string, kind: NoticeKind, components: readonly string[]) =>
    audienceOf(asSubscriptions(await store.subscriptions(), deps.config().notices.subscriptions), { env, kind, components });

  const scheduleFanout = (n: Notice, fromUpdate: number) => scheduler.at(TIMER.fanout, `${n.id}-r${n.rootRevision}`, new Date(), { id: n.id, fromUpdate });

  /** `since`: when this report's fan-out began (it gives up waiting for pending copies after a while). */
  const scheduleReport = (n: Notice, reportNo: number, now: Date, since = now.getTime()) =>
    scheduler.at(TIMER.report, `${n.id}-${reportNo}`, new Date(now.getTime() + REPORT_POLL_MS), { id: n.id, n: reportNo, since });

  const scheduleWindow = async (n: Notice, now: Date) => {
    if (n.kind !== 'maintenance' || !n.start || !n.end) return;
    const start = new Date(n.start);
    for (const r of reminderTimes(start, n.reminders, now)) await scheduler.at(TIMER.reminder, `${n.id}-${r.offsetMs}`, r.at, { id: n.id, offsetMs: r.offsetMs });
    if (n.status === 'scheduled') await scheduler.at(TIMER.start, n.id, start, { id: n.id });
    await scheduler.at(TIMER.end, n.id, new Date(n.end), { id: n.id });
  };

  const stopWindow = async (n: Notice) => {
    for (const ms of n.reminders) await scheduler.cancel(TIMER.reminder, `${n.id}-${ms}`);
    await scheduler.cancel(TIMER.start, n.id);
    await scheduler.cancel(TIMER.end, n.id);
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

  const service: NoticeService = {
    store,
    environment,
    audience,

    async draft(input, now = new Date()) {
      const env = environment(input.env);
      if (input.kind === 'maintenance') {
        if (!input.start || !input.end) throw new InputError('a maintenance notice needs a start and an end or a duration');
        checkWindow(input.start, input.end, now);
      }
      const targets = await audience(env.id, input.kind, input.components);
      const draft: NoticeDraft = {
        draftId: randomBytes(8).toString('hex'),
        env: env.id,
        kind: input.kind,
        classification: env.classification,
        status: initialStatus(input.kind),
        summary: input.summary,
        components: input.components,
        zone: env.timezone ?? deps.config().timezone,
        author: input.author,
        reminders: input.kind === 'maintenance' ? offsetsMs() : [],
        createdAt: now.toISOString(),
      };
      if (input.severity) draft.severity = input.severity;
      if (input.service) draft.service = input.service;
      if (input.version) draft.version = input.version;
      if (input.notes) draft.notes = input.notes;
      if (input.start) draft.start = input.start.toISOString();
      if (input.end) draft.end = input.end.toISOString();
      await store.putDraft(draft);
      return { draft, audience: targets, counts: countByPlatform(targets) };
    },

    async confirm(draftId, now = new Date()) {
      const stored = await store.draft(draftId);
      if (!stored) throw new InputError('this draft has expired or was discarded; run the command again');
      const d = stored.value;
      if (d.noticeId) {
        // A second press, or a retry after a crash: finish what the first one started.
        const existing = await store.get(d.noticeId);
        if (existing) {
          await scheduleFanout(existing, 1);
          return existing;
        }
      }
      if (d.kind === 'maintenance' && d.start && d.end) checkWindow(new Date(d.start), new Date(d.end), now);
      const id = await store.claimDraft(draftId, await store.nextId());
      let notice = await store.get(id);
      if (!notice) {
        // The audience is fixed now: later subscribers do not get half a thread.
        const targets = await audience(d.env, d.kind, d.components);
        try {
          notice = await store.create(buildNotice(d, id, targets, now));
        } catch (e) {
          // Two presses handled at once: the other one created it.
          if (!(e instanceof RecordConflictError)) throw e;
          notice = await load(id);
        }
      }
      await scheduleFanout(notice, 1);
      await scheduleWindow(notice, now);
      await scheduleReport(notice, 1, now);
      log.info({ notice: notice.id, env: notice.env, kind: notice.kind, audience: notice.audience.length }, 'notice confirmed');
      return notice;
    },

    async create(input, now = new Date()) {
      const { draft } = await service.draft(input, now);
      return service.confirm(draft.draftId, now);
    },

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

    async extend(id, by, who, now = new Date()) {
      const n = await change(id, (cur) => {
        if (cur.kind !== 'maintenance' || !cur.end || !cur.start) throw new InputError(`notice ${cur.id} is a ${cur.kind} notice; only maintenance windows can be extended`);
        checkOpen(cur);
        const end = addDuration(new Date(cur.end), by, cur.zone);
        checkWindow(new Date(cur.start), end, now);
        return { at: now, by: who, event: 'extended', text: `Extended until ${end.toISOString()}`, patch: { end: end.toISOString() } };
      });
      await scheduler.at(TIMER.end, n.id, new Date(n.end!), { id: n.id });
      return n;
    },

    async complete(id, who, now = new Date()) {
      const n = await change(id, (cur) => {
        if (cur.kind !== 'maintenance') throw new InputError(`notice ${cur.id} is a ${cur.kind} notice: use /notice update ${cur.id} ${cur.kind === 'outage' ? 'resolved' : 'completed'} <text>`);
        checkOpen(cur);
        // Completing early moves the end to now, which must not fall before the start.
        if (now.getTime() < Date.parse(cur.start!)) throw new InputError(`maintenance ${cur.id} has not started yet (it starts ${cur.start}); use /notice cancel ${cur.id} <reason> to call it off`);
        return { at: now, by: who, event: 'completed', status: 'completed', text: 'Maintenance completed', patch: { end: now.getTime() < Date.parse(cur.end!) ? now.toISOString() : cur.end! } };
      });
      await stopWindow(n);
      return n;
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

    async fanOut(id, fromUpdate) {
      const n = await store.get(id);
      if (!n) return;
      const root = noticeMessage(renderer, n);
      // Reply n hangs under reply n-1 (the adapters put a reply to a reply in the root's thread):
      // it cannot overtake it in any channel, however fast updates come while copies are going out.
      const replies: { key: string; parentKey: string; message: OutboundMessage }[] = [];
      for (const entry of n.timeline) {
        if (entry.update === undefined || entry.update < fromUpdate) continue;
        const parentKey = entry.update > 1 ? updateKey(n.id, entry.update - 1) : rootKey(n.id);
        replies.push({ key: updateKey(n.id, entry.update), parentKey, message: updateMessage(renderer, n, entry) });
      }
      const byPlatform = new Map<string, DeliveryRequest[]>();
      for (const t of n.audience) {
        const target = { platform: t.platform, channelId: t.channelId };
        const list = byPlatform.get(t.platform) ?? [];
        list.push({ key: rootKey(n.id), revision: n.rootRevision, target, message: root });
        for (const r of replies) list.push({ key: r.key, revision: 1, target, parentKey: r.parentKey, message: r.message });
        byPlatform.set(t.platform, list);
      }
      // Each platform's copies are queued at that platform's own rate.
      const rates = deps.config().delivery.platformRates;
      const lists = [...byPlatform.entries()].map(([platform, list]) => ({ perSecond: Math.max(1, rates[platform as Platform] ?? 1), list }));
      const start = Date.now();
      for (let second = 0; lists.some((l) => l.list.length > 0); second++) {
        await deliveries.enqueue(lists.flatMap((l) => l.list.splice(0, second === 0 ? l.perSecond * LEAD_SECONDS : l.perSecond)));
        const due = start + (second + 1) * 1000;
        if (lists.some((l) => l.list.length > 0) && due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
    },

    async retry(id, now = new Date()) {
      const n = await store.update(id, (cur) => ({ ...cur, reports: cur.reports + 1 }));
      await service.fanOut(n.id, 1);
      await scheduleReport(n, n.reports, now);
      return n;
    },

    async report(id) {
      const n = await load(id);
      const entries = new Map((await deliveries.status(rootKey(n.id))).map((e) => [targetKey(e.target as { platform: string; channelId?: string }), e]));
      const out: FanoutReport = { total: n.audience.length, delivered: 0, pending: 0, failed: [] };
      for (const t of n.audience) {
        const e = entries.get(targetKey(t));
        if (!e || e.state === 'pending') out.pending++;
        else if (e.state === 'failed') out.failed.push({ target: t, error: e.error ?? 'unknown' });
        else out.delivered++;
      }
      return out;
    },

    async ledger(id) {
      const n = await load(id);
      const root = new Map((await deliveries.status(rootKey(n.id))).map((e) => [targetKey(e.target as { platform: string; channelId?: string }), e]));
      const replies = await Promise.all(Array.from({ length: n.updates }, (_, i) => deliveries.status(updateKey(n.id, i + 1))));
      const replyMaps = replies.map((list) => new Map(list.map((e) => [targetKey(e.target as { platform: string; channelId?: string }), e])));
      return n.audience.map((t) => {
        const e = root.get(targetKey(t));
        const row: LedgerRow = { target: t, state: e?.state ?? 'not queued', repliesDelivered: 0, repliesFailed: 0 };
        if (e?.deliveredRevision !== undefined) row.deliveredRevision = e.deliveredRevision;
        if (e?.error) row.error = e.error;
        for (const m of replyMaps) {
          const r = m.get(targetKey(t));
          if (r?.state === 'delivered') row.repliesDelivered++;
          else if (r?.state === 'failed') {
            row.repliesFailed++;
            row.error ??= r.error;
          }
        }
        return row;
      });
    },

    maintenanceWindows: (env, from, to) => store.maintenanceWindows(env, from, to),

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
      await change(id, (cur) => (isFinal(cur) ? undefined : { at: now, by: 'Day2', event: 'completed', status: 'completed', text: 'Maintenance completed', source: `timer:end:${cur.end}` }));
      await stopWindow(n);
    },

    async onReport(id, reportNo, since, now = new Date()) {
      const n = await store.get(id);
      if (!n) return;
      const r = await service.report(id);
      if (r.pending > 0 && now.getTime() - since < REPORT_GIVE_UP_MS) {
        await scheduleReport(n, reportNo, now, since);
        return;
      }
      const message = reportMessage(renderer, n, r);
      await deliveries.enqueue([{ key: reportKey(n.id, reportNo), revision: 1, target: { platform: n.author.platform, userId: n.author.userId }, message }]);
      log.info({ notice: n.id, delivered: r.delivered, total: r.total, failed: r.failed.length }, 'notice fan-out report sent');
    },
  };
  return service;
}
