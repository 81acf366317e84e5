/**
 * What onboarding does besides answering the caller: creating a request from a finished draft,
 * telling the requester about every change, keeping the intake cards current, the welcome pack,
 * the SLA and meeting-reminder timers. Every message goes through the delivery queue under a key
 * derived from the request and the event's place in its log, so a retry or a second process
 * never posts twice; every timer has a deterministic id, so rescheduling moves it.
 */
import { Histogram } from 'prom-client';
import type { OutboundMessage } from '../../chat/message.js';
import type { Platform } from '../../chat/port.js';
import type { Config } from '../../config.js';
import { InputError } from '../../errors.js';
import type { Directory } from '../../directory.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import type { Renderer } from '../../render/renderer.js';
import type { RedisClient } from '../../store/redis.js';
import type { Metrics } from '../../metrics.js';
import type { Logger } from '../../log.js';
import { addBusinessDays } from '../../domain/onboard/business-time.js';
import type { OnboardingConfig } from '../../domain/onboard/config.js';
import { STATUS_LABEL } from '../../domain/onboard/lifecycle.js';
import { displayAnswer, pruneAnswers, resolveQuestionnaire, type Question, type Questionnaire } from '../../domain/onboard/questionnaire.js';
import { statusEvent, type Actor, type Draft, type OnboardingRequest } from '../../domain/onboard/request.js';
import { buildWelcomePack } from '../../domain/onboard/welcome.js';
import { createOnboardingStore, type OnboardingStore } from '../../store/onboard/store.js';
import type { DeliveryRequest, DeliveryService, DeliveryTarget } from '../../delivery/service.js';
import { channelTargets } from '../../domain/channels.js';

export const SLA_TIMER = 'onboard-sla';
export const REMINDER_TIMER = 'onboard-reminder';

/** The bot-wide pieces onboarding uses (the handlers' services container fits this shape). */
export interface OnboardingCore {
  config(): Config;
  directory(): Directory;
  redis: RedisClient;
  renderer: Renderer;
  deliveries?: DeliveryService;
  scheduler?: Scheduler;
}

export interface OnboardingServiceDeps {
  services: OnboardingCore;
  /** Platforms this process has adapters for (intake cards go only there). */
  platforms: () => Platform[];
  /**
   * The user id behind a configured handle on a platform (ChatAdapter.userIdOf): DMs to
   * configured people need it, and Mattermost config holds usernames.
   */
  userIdOf?: (platform: Platform, handle: string) => Promise<string | undefined>;
  metrics?: Metrics;
  log: Logger;
}

/** A user as the template `mention` helper takes it. */
/**
 * How an actor is mentioned: a person from the directory by their person ref (their name on every
 * platform, the intake cards go to Slack and Mattermost at once), else the platform user as seen.
 */
export const mentionOf = (a: Actor) => (a.personId ? `person:${a.personId}` : { platform: a.platform, id: a.userId, ...(a.name ? { name: a.name } : {}) });

export class OnboardingService {
  readonly store: OnboardingStore;
  private readonly timeToClaim?: Histogram;
  private readonly timeToOnboarded?: Histogram;

  constructor(private readonly deps: OnboardingServiceDeps) {
    this.store = createOnboardingStore(deps.services.redis, { draftDays: this.settings().draftDays });
    if (deps.metrics) {
      const registers = [deps.metrics.registry];
      this.timeToClaim = new Histogram({ name: 'day2_onboarding_time_to_claim_seconds', help: 'Submission to claim of onboarding requests', buckets: [600, 3600, 4 * 3600, 8 * 3600, 86400, 2 * 86400, 5 * 86400], registers });
      this.timeToOnboarded = new Histogram({ name: 'day2_onboarding_time_to_onboarded_seconds', help: 'Submission to onboarded', buckets: [86400, 7 * 86400, 14 * 86400, 30 * 86400, 60 * 86400, 120 * 86400], registers });
    }
  }

  private get config(): Config {
    return this.deps.services.config();
  }

  settings(): OnboardingConfig {
    return this.config.onboarding;
  }

  questionnaire(): Questionnaire {
    return resolveQuestionnaire({ environments: this.config.environments, onboarding: this.settings() });
  }

  /** The answers as label/value pairs for messages (option labels, yes/no). */
  answerRows(req: Pick<OnboardingRequest, 'questions' | 'answers'>): { label: string; value: string }[] {
    return req.questions.filter((q) => req.answers[q.id] !== undefined).map((q) => ({ label: q.label, value: displayAnswer(q as Question, req.answers[q.id]!) }));
  }

  private deliveries() {
    const d = this.deps.services.deliveries;
    if (!d) throw new Error('onboarding needs the delivery queue');
    return d;
  }

  private render(template: string, data: Record<string, unknown>): OutboundMessage {
    return this.deps.services.renderer.render(template, data);
  }

  private intakeTargets(): DeliveryTarget[] {
    const { intake } = this.settings();
    return channelTargets(intake, new Set(this.deps.platforms()));
  }

  /** Send `template` to one person as a DM, once per key. */
  async tell(to: Actor, key: string, template: string, data: Record<string, unknown>): Promise<void> {
    await this.deliveries().enqueue([{ key, revision: 1, target: { platform: to.platform, userId: to.userId }, message: this.render(template, data) }]);
  }

  /** Message key for the request's latest log entry: unique per change, the same on a retry. */
  eventKey(req: OnboardingRequest, what: string): string {
    return `onboard-${req.id}-e${req.events.length}-${what}`;
  }

  cardData(req: OnboardingRequest, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      id: req.id,
      title: req.title,
      status: req.status,
      statusLabel: STATUS_LABEL[req.status],
      requester: mentionOf(req.requester),
      ...(req.claimedBy ? { claimedBy: mentionOf(req.claimedBy) } : {}),
      ...(req.meeting ? { meetingAt: req.meeting.at } : {}),
      answers: this.answerRows(req),
      submittedAt: req.submittedAt,
      open: req.status === 'submitted',
      escalated: 0,
      managers: [],
      ...extra,
    };
  }

  /** Post or edit the intake card in every intake channel (the revision follows the request). */
  async refreshCards(req: OnboardingRequest): Promise<void> {
    const message = this.render('onboard/card', this.cardData(req));
    const requests: DeliveryRequest[] = this.intakeTargets().map((target) => ({ key: `onboard-${req.id}-card`, revision: req.cardRevision, target, message }));
    if (requests.length > 0) await this.deliveries().enqueue(requests);
  }

  /** Turn a finished draft into a request: store it, then summary, welcome pack, cards, SLA timer. */
  async submit(draft: Draft, requester: Actor, now: Date): Promise<OnboardingRequest> {
    // Two Submit clicks (or two processes) racing on one draft make one request: the first to
    // take this marker submits; it is released if the submission fails, so a retry can run.
    const marker = `onboarding:submitting:${draft.platform}.${draft.userId}:${Date.parse(draft.startedAt)}`;
    if ((await this.deps.services.redis.set(marker, '1', 'PX', 86_400_000, 'NX')) !== 'OK') throw new InputError('This questionnaire was submitted already: /onboard status shows the request.');
    try {
      return await this.create(draft, requester, now);
    } catch (e) {
      await this.deps.services.redis.del(marker).catch(() => undefined);
      throw e;
    }
  }

  private async create(draft: Draft, requester: Actor, now: Date): Promise<OnboardingRequest> {
    const qn = this.questionnaire();
    const answers = pruneAnswers(qn, draft.answers);
    const id = await this.store.nextId();
    const titleQ = qn.questions.find((q) => q.type === 'text' && typeof answers[q.id] === 'string');
    const req: OnboardingRequest = {
      id,
      requester,
      questions: qn.questions.map((q) => ({ id: q.id, label: q.label, type: q.type, options: q.options })),
      answers,
      title: titleQ ? String(answers[titleQ.id]) : id,
      status: 'submitted',
      submittedAt: now.toISOString(),
      cardRevision: 1,
      escalations: 0,
      events: [statusEvent(now, requester, 'submitted')],
    };
    const stored = (await this.store.requests.put(id, req)).value;
    await this.store.drafts.delete(this.store.draftId(draft.platform, draft.userId));
    await this.tell(requester, `onboard-${id}-submitted`, 'onboard/submitted', { id, title: stored.title, answers: this.answerRows(stored) });
    await this.tell(requester, `onboard-${id}-welcome`, 'onboard/welcome', buildWelcomePack(this.config, this.settings()));
    await this.refreshCards(stored);
    await this.scheduleSla(stored, now);
    this.deps.log.info({ request: id, requester: requester.personId ?? requester.userId }, 'onboarding request submitted');
    return stored;
  }

  slaDue(from: Date): Date {
    const { sla } = this.settings();
    return addBusinessDays(from, sla.unclaimedBusinessDays, sla.zone ?? this.config.timezone, sla.workdays);
  }

  async scheduleSla(req: OnboardingRequest, from: Date): Promise<void> {
    await this.deps.services.scheduler?.at(SLA_TIMER, req.id, this.slaDue(from), { id: req.id, round: req.escalations + 1 });
  }

  /** The SLA timer fired: still unclaimed? Re-post to intake, escalate, and wait another period. */
  async onSlaDue(id: string, round: number, now: Date): Promise<void> {
    const found = await this.store.requests.get(id);
    if (!found || found.value.status !== 'submitted' || found.value.escalations >= round) return;
    const managers = this.managers();
    // Looked up before anything changes: a failed lookup fails the timer job, which runs again.
    const direct = await this.managerTargets(managers);
    const updated = (
      await this.store.requests.update(id, (r) =>
        r.escalations >= round ? r : { ...r, escalations: round, events: [...r.events, { at: now.toISOString(), kind: 'sla', text: `unclaimed past the SLA; re-posted and escalated (${round})` }] },
      )
    ).value;
    if (updated.escalations !== round) return;
    const message = this.render('onboard/card', this.cardData(updated, { escalated: round, managers: managers.map((m) => `person:${m.id}`) }));
    const requests: DeliveryRequest[] = this.intakeTargets().map((target) => ({ key: `onboard-${id}-sla${round}`, revision: 1, target, message }));
    // Managers also get it directly, on every platform where the config names them.
    for (const { person, target } of direct) requests.push({ key: `onboard-${id}-sla${round}-${person}${target.platform === 'slack' ? '' : `-${target.platform}`}`, revision: 1, target, message });
    if (requests.length > 0) await this.deliveries().enqueue(requests);
    await this.deps.services.scheduler?.at(SLA_TIMER, id, this.slaDue(now), { id, round: round + 1 });
  }

  /**
   * DM targets for the managers on the running platforms. Slack config holds user ids; Mattermost
   * holds usernames, resolved to user ids through the adapter. A username the platform does not
   * know is skipped (the card's mention still names them).
   */
  private async managerTargets(managers: ReturnType<OnboardingService['managers']>): Promise<{ person: string; target: DeliveryTarget }[]> {
    const on = this.deps.platforms();
    const out: { person: string; target: DeliveryTarget }[] = [];
    for (const m of managers) {
      for (const platform of ['slack', 'mattermost'] as const) {
        const handle = m[platform];
        if (!handle || !on.includes(platform)) continue;
        const userId = this.deps.userIdOf ? await this.deps.userIdOf(platform, handle) : platform === 'slack' ? handle : undefined;
        if (userId) out.push({ person: m.id, target: { platform, userId } });
        else this.deps.log.warn({ person: m.id, platform, handle }, 'onboarding: manager has no user on this platform; escalation not sent directly');
      }
    }
    return out;
  }

  private managers() {
    const { sla } = this.settings();
    const ids = sla.escalateTo.length > 0 ? sla.escalateTo : [...new Set(this.config.teams.flatMap((t) => t.managers))];
    return ids.map((pid) => this.deps.services.directory().person(pid)).filter((p): p is NonNullable<typeof p> => p !== undefined);
  }

  observeClaim(req: OnboardingRequest): void {
    if (req.claimedAt) this.timeToClaim?.observe((Date.parse(req.claimedAt) - Date.parse(req.submittedAt)) / 1000);
  }

  observeOnboarded(req: OnboardingRequest): void {
    if (req.onboardedAt) this.timeToOnboarded?.observe((Date.parse(req.onboardedAt) - Date.parse(req.submittedAt)) / 1000);
  }

  async cancelSla(id: string): Promise<void> {
    await this.deps.services.scheduler?.cancel(SLA_TIMER, id);
  }

  /** Meeting reminders (default 24 h and 15 min before); each is a timer named by request and lead time. */
  async scheduleReminders(req: OnboardingRequest, now: Date): Promise<void> {
    const scheduler = this.deps.services.scheduler;
    if (!scheduler || !req.meeting) return;
    const at = Date.parse(req.meeting.at);
    for (const minutes of this.settings().meetingReminders) {
      const when = at - minutes * 60_000;
      const id = `${req.id}-${minutes}m`;
      if (when <= now.getTime()) await scheduler.cancel(REMINDER_TIMER, id);
      else await scheduler.at(REMINDER_TIMER, id, new Date(when), { id: req.id, minutes, meetingAt: req.meeting.at });
    }
  }

  async cancelReminders(req: OnboardingRequest): Promise<void> {
    for (const minutes of this.settings().meetingReminders) await this.deps.services.scheduler?.cancel(REMINDER_TIMER, `${req.id}-${minutes}m`);
  }

  meetingData(req: OnboardingRequest, reminder: boolean): Record<string, unknown> {
    return {
      id: req.id,
      title: req.title,
      at: req.meeting!.at,
      minutes: req.meeting!.minutes,
      requester: mentionOf(req.requester),
      obe: mentionOf(req.claimedBy ?? req.requester),
      reminder,
      reminders: this.settings().meetingReminders.map(leadText),
    };
  }

  /** A reminder fired: only for the meeting it was set for (a moved meeting has its own). */
  async onReminder(id: string, minutes: number, meetingAt: string): Promise<void> {
    const found = await this.store.requests.get(id);
    const req = found?.value;
    if (!req || !req.meeting || req.meeting.at !== meetingAt || req.status === 'declined' || req.status === 'onboarded') return;
    const data = this.meetingData(req, true);
    const key = `onboard-${id}-remind-${Date.parse(meetingAt)}-${minutes}`;
    await this.tell(req.requester, `${key}-r`, 'onboard/meeting', data);
    if (req.claimedBy) await this.tell(req.claimedBy, `${key}-o`, 'onboard/meeting', data);
  }
}

function leadText(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440 * 24} h`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}
