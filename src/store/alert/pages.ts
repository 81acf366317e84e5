/**
 * Alert pages (`alert-pages` repository): one per opening of an alert group. Who it was sent to,
 * each escalation step, who acknowledged, snoozed or resolved it (a person, or "source" when the
 * sender said resolved), and the revision of its one message, edited everywhere on each change.
 */
import { z } from 'zod';
import { createRepository, type Repository } from '../record.js';
import type { RedisClient } from '../redis.js';

const iso = z.iso.datetime();

export const alertPageSchema = z.object({
  id: z.string(),
  groupId: z.string(),
  integrationId: z.string(),
  team: z.string(),
  urgency: z.enum(['high', 'low']),
  /** No route matched: the page went to the default team. */
  unmatched: z.boolean(),
  createdAt: iso,
  /** The person on duty it is addressed to now (null when nobody was on duty). */
  assignee: z.string().nullable(),
  /** Everyone who got a DM of this page, so every copy is edited. */
  notified: z.array(z.string()),
  /** Escalation steps, oldest first: 0 is the first page; "managers" when it reached them. */
  steps: z.array(z.object({ at: iso, to: z.array(z.string()), layer: z.union([z.int().min(0), z.literal('managers')]), by: z.string().optional() })),
  ackedAt: iso.optional(),
  ackedBy: z.string().optional(),
  snoozedUntil: iso.optional(),
  resolvedAt: iso.optional(),
  /** A person id, or "source" when the alert source resolved it. */
  resolvedBy: z.string().optional(),
  previousPageId: z.string().optional(),
  /** The Alertmanager that sent it (for silences). */
  sourceUrl: z.string().optional(),
  silenceIds: z.array(z.string()).default([]),
  /** The maintenance window of the alerts' environment in progress when the page opened. */
  maintenance: z.object({ noticeId: z.string(), env: z.string(), envName: z.string().optional(), end: iso }).optional(),
  /** Handoffs that moved the page to the incoming tribute, oldest first. */
  handovers: z.array(z.object({ at: iso, from: z.string().nullable(), to: z.string() })).default([]),
  /** The outage notice declared from this page ("Declare outage"). */
  outageNoticeId: z.string().optional(),
  /** Revision of the page's message (bumped on every edit). */
  revision: z.int().min(1),
});
export type AlertPage = z.infer<typeof alertPageSchema>;

/** Pages are kept 30 days after their last change, long enough for `/oncall pages`. */
const PAGE_TTL_MS = 30 * 24 * 3600_000;

export type AlertPageStore = Repository<AlertPage>;

export function createAlertPageStore(redis: RedisClient): AlertPageStore {
  return createRepository({ redis, name: 'alert-pages', schema: alertPageSchema, version: 1, ttlMs: PAGE_TTL_MS });
}
