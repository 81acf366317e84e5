/**
 * Wiring for onboarding: the service (for handlers' `services.onboarding`), its timer handlers, and the
 * routing of plain direct messages into a questionnaire conversation in progress.
 */
import { z } from 'zod';
import type { ChatAdapter, Dispatch, Platform } from '../../chat/port.js';
import type { Metrics } from '../../metrics.js';
import type { Logger } from '../../log.js';
import { OnboardingService, REMINDER_TIMER, SLA_TIMER, type OnboardingCore } from './service.js';
import type { Scheduler } from '../../delivery/scheduler.js';

export interface OnboardingWiring {
  services: OnboardingCore;
  scheduler: Scheduler;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  metrics: Metrics;
  log: Logger;
  clock?: () => Date;
}

export function wireOnboarding(w: OnboardingWiring): OnboardingService {
  const log = w.log.child({ feature: 'onboarding' });
  const svc = new OnboardingService({
    services: w.services,
    platforms: () => [...w.adapters.keys()],
    userIdOf: async (platform, handle) => w.adapters.get(platform)?.userIdOf(handle),
    metrics: w.metrics,
    log,
  });
  const now = w.clock ?? (() => new Date());
  w.scheduler.handle(SLA_TIMER, z.object({ id: z.string(), round: z.int().min(1) }), (d) => svc.onSlaDue(d.id, d.round, now()));
  w.scheduler.handle(REMINDER_TIMER, z.object({ id: z.string(), minutes: z.int(), meetingAt: z.string() }), (d) => svc.onReminder(d.id, d.minutes, d.meetingAt));
  return svc;
}

/**
 * A plain direct message (not a slash command) from someone with a questionnaire conversation in
 * progress is their answer: it goes on as `/onboard answer <text>`, so it is parsed, run once,
 * authorized and audited like any command. Everyone else's DMs pass through unchanged.
 */
export function routeConversations(dispatch: Dispatch, services: { onboarding?: OnboardingService }): Dispatch {
  return async (event) => {
    if (event.kind !== 'dm' || event.text.trim().startsWith('/') || !services.onboarding) return dispatch(event);
    let inConversation = false;
    try {
      const draft = await services.onboarding.store.drafts.get(services.onboarding.store.draftId(event.platform, event.user.id));
      inConversation = draft?.value.mode === 'chat' && draft.value.cursor !== undefined;
    } catch {
      // Unreadable draft state: let the dispatcher answer the line as it would any other.
    }
    if (!inConversation) return dispatch(event);
    return dispatch({ ...event, text: `/onboard answer ${event.text.trim()}` });
  };
}
