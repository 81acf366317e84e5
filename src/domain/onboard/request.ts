/**
 * An onboarding request and its draft, as stored. Instants are ISO strings in UTC; a meeting
 * keeps the zone it was scheduled in. Every change goes through `withEvent`, which appends to
 * the request's own log (the audit stream records who ran which command; this log is what the
 * requester and the ObE read in `/onboard status`).
 */
import { z } from 'zod';
import { PLATFORMS } from '../platform.js';
import { STATUSES, type Status } from './lifecycle.js';

const answerValue = z.union([z.string(), z.array(z.string()), z.number(), z.boolean()]);
export const answersSchema = z.record(z.string(), answerValue);

export const actorSchema = z.object({
  platform: z.enum(PLATFORMS),
  userId: z.string().min(1),
  name: z.string().optional(),
  personId: z.string().optional(),
});
export type Actor = z.infer<typeof actorSchema>;

const iso = z.iso.datetime();

export const requestEventSchema = z.object({
  at: iso,
  by: actorSchema.optional(),
  kind: z.enum(['status', 'note', 'question', 'meeting', 'sla']),
  status: z.enum(STATUSES).optional(),
  text: z.string().optional(),
  /** A meeting set by this event: kept as an instant, so each reader sees it in their own zone. */
  meeting: z.object({ at: iso, minutes: z.int().min(1) }).optional(),
});
export type RequestEvent = z.infer<typeof requestEventSchema>;

export const requestSchema = z.object({
  id: z.string().regex(/^ob-\d+$/),
  requester: actorSchema,
  /** Questions as they were when submitted, so an export still reads right after a config change. */
  questions: z.array(z.object({ id: z.string(), label: z.string(), type: z.string(), options: z.array(z.object({ value: z.string(), label: z.string() })) })),
  answers: answersSchema,
  title: z.string(),
  status: z.enum(STATUSES),
  submittedAt: iso,
  claimedBy: actorSchema.optional(),
  claimedAt: iso.optional(),
  meeting: z.object({ at: iso, minutes: z.int().min(5).max(480), zone: z.string() }).optional(),
  onboardedAt: iso.optional(),
  closedAt: iso.optional(),
  declineReason: z.string().optional(),
  /** Bumped on every change, so the intake cards are edited (delivery revision). */
  cardRevision: z.int().min(1),
  /** How many times the SLA re-posted the request. */
  escalations: z.int().min(0),
  events: z.array(requestEventSchema),
});
export type OnboardingRequest = z.infer<typeof requestSchema>;

export const draftSchema = z.object({
  platform: z.enum(PLATFORMS),
  userId: z.string(),
  userName: z.string().optional(),
  channelId: z.string().optional(),
  mode: z.enum(['form', 'chat']),
  answers: answersSchema,
  /** Form mode: questions on pages already submitted. */
  presented: z.array(z.string()),
  /** Chat mode: the conversation. */
  cursor: z.string().optional(),
  history: z.array(z.string()),
  returnToReview: z.boolean().optional(),
  startedAt: iso,
  updatedAt: iso,
});
export type Draft = z.infer<typeof draftSchema>;

export function withEvent(req: OnboardingRequest, event: RequestEvent, patch: Partial<OnboardingRequest> = {}): OnboardingRequest {
  return { ...req, ...patch, cardRevision: req.cardRevision + 1, events: [...req.events, event] };
}

export function statusEvent(at: Date, by: Actor | undefined, status: Status, text?: string, meeting?: RequestEvent['meeting']): RequestEvent {
  return { at: at.toISOString(), ...(by ? { by } : {}), kind: 'status', status, ...(text ? { text } : {}), ...(meeting ? { meeting } : {}) };
}

/** `7`, `ob-7`, `OB-7` → `ob-7`; undefined when it is not a request id. */
export function normalizeId(raw: string): string | undefined {
  const m = /^(?:ob-)?(\d{1,9})$/i.exec(raw.trim());
  return m ? `ob-${Number(m[1])}` : undefined;
}
