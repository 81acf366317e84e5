/**
 * A notice: one announcement about one environment (an outage, a maintenance window or a
 * deployment) that lives as one root message in every subscribed channel plus one thread reply
 * per update. The record is the source of truth; messages are rendered from it.
 *
 * `rootRevision` is the revision of the root message: every change that alters what the root
 * shows bumps it, and the delivery queue edits each copy to the newest revision. `timeline`
 * entries with an `update` number are the thread replies (delivery key `<root>-u<n>`).
 */
import { z } from 'zod';
import { NOTICE_KINDS } from './config.js';

export { NOTICE_KINDS, type NoticeKind } from './config.js';

export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Statuses per kind, in lifecycle order; the last ones are final. */
export const STATUSES = {
  outage: ['investigating', 'identified', 'monitoring', 'resolved'],
  maintenance: ['scheduled', 'in-progress', 'completed', 'cancelled'],
  deploy: ['announced', 'in-progress', 'completed', 'rolled-back'],
} as const;
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['resolved', 'completed', 'cancelled', 'rolled-back']);
export const ALL_STATUSES = [...new Set(Object.values(STATUSES).flat())] as [string, ...string[]];

export const chatPlatformSchema = z.enum(['slack', 'mattermost', 'console']);
export type ChatPlatform = z.infer<typeof chatPlatformSchema>;

export const noticeTargetSchema = z.object({ platform: chatPlatformSchema, channelId: z.string().min(1) });
export type NoticeTarget = z.infer<typeof noticeTargetSchema>;

export const authorSchema = z.object({
  platform: z.enum(['slack', 'mattermost', 'console']),
  userId: z.string(),
  personId: z.string().optional(),
  name: z.string(),
});
export type NoticeAuthor = z.infer<typeof authorSchema>;

export const timelineEntrySchema = z.object({
  at: z.string(),
  by: z.string(),
  /** What happened: created, update, reminder, started, completed, extended, cancelled. */
  event: z.string(),
  status: z.string(),
  text: z.string(),
  /** Thread reply number (delivery key `<root>-u<n>`); absent for entries with no reply. */
  update: z.int().min(1).optional(),
  /** Who caused it, for idempotent timers: `timer:reminder:86400000`. */
  source: z.string().optional(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

/** Longest page title or team name a notice keeps (an alertname label may hold 4096 characters). */
export const MAX_DECLARED_NAME = 200;
export const declaredFromSchema = z.object({ title: z.string().max(MAX_DECLARED_NAME), team: z.string().max(MAX_DECLARED_NAME) });
export type DeclaredFrom = z.infer<typeof declaredFromSchema>;

export const noticeSchema = z.object({
  id: z.string().regex(/^[0-9]{1,12}$/),
  /** The environment's id: what readers type (`/notice subscribe prod-east`) and what indexes use. */
  env: z.string(),
  /**
   * The environment's name ("Production East"), taken at creation like `classification`, so every
   * message of one notice names it alike even if the config renames it later. Absent on notices
   * stored before names were kept: they read by id (envNameOf).
   */
  envName: z.string().optional(),
  kind: z.enum(NOTICE_KINDS),
  classification: z.string(),
  severity: z.enum(SEVERITIES).optional(),
  status: z.string(),
  summary: z.string(),
  components: z.array(z.string()),
  service: z.string().optional(),
  version: z.string().optional(),
  notes: z.string().optional(),
  /** Maintenance window, ISO instants (UTC). */
  start: z.string().optional(),
  end: z.string().optional(),
  /** IANA zone the window was given in (calendar arithmetic for extend happens there). */
  zone: z.string(),
  impact: z.string().optional(),
  postmortem: z.string().optional(),
  author: authorSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  audience: z.array(noticeTargetSchema),
  rootRevision: z.int().min(1),
  updates: z.int().min(0),
  /** Reminder offsets (ms before start) scheduled at creation. */
  reminders: z.array(z.int().min(1)).default([]),
  timeline: z.array(timelineEntrySchema),
  /** The alert page this outage was declared from ("Declare outage" on the page). */
  alertPage: z.string().optional(),
  /**
   * That page as its readers knew it: its title and its team's name, taken when it was declared,
   * so rendering needs no look-up in the alerts feature and still reads right after the page
   * expires (30 days) or the team is renamed. Absent on notices not declared from a page.
   */
  declaredFrom: declaredFromSchema.optional(),
  /** Completion reports sent so far (each retry asks for a new one). */
  reports: z.int().min(0).default(0),
});
export type Notice = z.infer<typeof noticeSchema>;

/** What a PRE asked for, waiting for their confirmation. */
export const noticeDraftSchema = noticeSchema
  .omit({ id: true, rootRevision: true, updates: true, timeline: true, reports: true, audience: true, createdAt: true, updatedAt: true })
  .extend({ draftId: z.string(), createdAt: z.string(), noticeId: z.string().optional() });
export type NoticeDraft = z.infer<typeof noticeDraftSchema>;

export const rootKey = (id: string) => `notice-${id}`;
export const updateKey = (id: string, n: number) => `notice-${id}-u${n}`;
export const reportKey = (id: string, n: number) => `notice-${id}-report${n}`;

/** What a reader calls the notice's environment: its name, or its id on records stored without one. */
export const envNameOf = (n: Pick<Notice, 'env' | 'envName'>): string => n.envName ?? n.env;

export const isFinal = (n: Pick<Notice, 'status'>) => FINAL_STATUSES.has(n.status);
