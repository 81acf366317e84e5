/**
 * Template data for a release: plain values and Dates (rendered as date tokens in each reader's
 * zone), people as mention refs. One shape for replies, channel posts, reminders and feeds.
 */
import { ACTOR_LABELS, type ChecklistItem, type Missing } from './readiness.js';
import type { ReleaseActor } from './config.js';
import type { Release } from './release.js';

export interface ReleaseViewContext {
  checklist: readonly ChecklistItem[];
  required: readonly ReleaseActor[];
  appName: string;
  envName: string;
  classification: string;
  missing: Missing;
}

const STATUS_LABELS: Record<Release['status'], string> = { proposed: 'proposed (not yet confirmed)', confirmed: 'confirmed', cancelled: 'cancelled', done: 'released' };

export function releaseView(r: Release, c: ReleaseViewContext) {
  return {
    id: r.id,
    app: r.app,
    appName: c.appName,
    version: r.version,
    env: r.env,
    envName: c.envName,
    classification: c.classification,
    start: new Date(r.start),
    end: new Date(r.end),
    status: r.status,
    statusLabel: STATUS_LABELS[r.status],
    open: r.status === 'proposed' || r.status === 'confirmed',
    proposedBy: r.proposedBy,
    proposedAt: new Date(r.proposedAt),
    checklist: c.checklist.map((i) => {
      const done = r.checks[i.id];
      return { id: i.id, label: i.label, who: i.roles.map((x) => ACTOR_LABELS[x]).join(' or '), done: !!done, ...(done ? { by: done.by, at: new Date(done.at) } : {}) };
    }),
    signoffs: c.required.map((role) => {
      const s = r.signoffs[role];
      return { role, label: ACTOR_LABELS[role], done: !!s, ...(s ? { by: s.by, at: new Date(s.at) } : {}) };
    }),
    missingItems: c.missing.items.map((i) => i.label),
    missingSignoffs: c.missing.signoffs.map((x) => ACTOR_LABELS[x]),
    complete: c.missing.items.length === 0 && c.missing.signoffs.length === 0,
    history: r.history.map((h) => ({ action: h.action, by: h.by, at: new Date(h.at), ...(h.from ? { from: new Date(h.from) } : {}), ...(h.to ? { to: new Date(h.to) } : {}), ...(h.note ? { note: h.note } : {}) })),
    ...(r.outcome ? { outcome: { ...r.outcome, at: new Date(r.outcome.at) } } : {}),
    ...(r.cancelled ? { cancelled: { ...r.cancelled, at: new Date(r.cancelled.at) } } : {}),
  };
}

export type ReleaseView = ReturnType<typeof releaseView>;

export const KIND_LABELS = { maintenance: 'Maintenance window', freeze: 'Release freeze', release: 'Release', cadence: 'Blocking event' } as const;
