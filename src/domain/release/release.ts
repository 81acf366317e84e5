/**
 * A release: one app version going into one environment at an agreed time, with its readiness
 * ticks, sign-offs, history and outcome. Stored as a versioned record (src/store/release/); times
 * are UTC ISO strings, the environment's zone comes from the config at the moment of use.
 *
 * People are written as refs: `person:<id>` for configured people (one identity on both
 * platforms), else `slack:<id>` / `mattermost:<username>`.
 */
import { z } from 'zod';

const iso = z.iso.datetime();
const stamp = z.object({ by: z.string(), at: iso });

export const RELEASE_STATUSES = ['proposed', 'confirmed', 'cancelled', 'done'] as const;
export const OUTCOMES = ['success', 'rolled-back', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const historyEntrySchema = z.object({
  at: iso,
  by: z.string(),
  action: z.enum(['proposed', 'rescheduled', 'confirmed', 'unconfirmed', 'cancelled', 'outcome']),
  from: iso.optional(),
  to: iso.optional(),
  note: z.string().optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export const releaseSchema = z.object({
  id: z.string().regex(/^R\d+$/),
  app: z.string(),
  version: z.string(),
  env: z.string(),
  start: iso,
  end: iso,
  status: z.enum(RELEASE_STATUSES),
  proposedBy: z.string(),
  proposedAt: iso,
  confirmedAt: iso.optional(),
  checks: z.record(z.string(), stamp),
  signoffs: z.record(z.string(), stamp),
  history: z.array(historyEntrySchema),
  outcome: z.object({ result: z.enum(OUTCOMES), openBugs: z.int().min(0), notes: z.string().optional(), by: z.string(), at: iso }).optional(),
  cancelled: z.object({ reason: z.string(), by: z.string(), at: iso }).optional(),
  /** Where it was proposed; replies about it go there too. */
  origin: z.object({ platform: z.enum(['slack', 'mattermost', 'console']), channelId: z.string() }),
  /** Refs of people who get countdown DMs. */
  participants: z.array(z.string()),
});
export type Release = z.infer<typeof releaseSchema>;

export const freezeSchema = z.object({
  id: z.string().regex(/^F\d+$/),
  env: z.string(),
  start: iso,
  end: iso,
  reason: z.string(),
  by: z.string(),
  at: iso,
});
export type Freeze = z.infer<typeof freezeSchema>;

/** Accept `R7`, `r7` or `7`; undefined when it is none of those. */
export function normalizeId(raw: string, letter: 'R' | 'F'): string | undefined {
  const m = new RegExp(`^${letter}?(\\d{1,9})$`, 'i').exec(raw.trim());
  return m ? `${letter}${Number(m[1])}` : undefined;
}

export const isOpen = (r: Release) => r.status === 'proposed' || r.status === 'confirmed';
