/** What each source reader gives the import command, whatever the vendor. */
import type { z } from 'zod';
import type { ImportedSchedule, SourceShift } from '../../domain/import/model.js';
import { SourceError, type SourceClient } from './http.js';

/** Where the command writes: `out` the fragment (or the plan, with --out), `err` the plan and progress. */
export interface ImportIo {
  out: (text: string) => void;
  err: (line: string) => void;
}

export interface ReadOptions {
  /** Only this schedule (its source id); the others are listed when it is not found. */
  scheduleId?: string;
  now: number;
  /** End of the compared stretch (now + 8 weeks). */
  until: number;
}

export interface ReadSchedule {
  mapped: ImportedSchedule;
  /** The source's own rendered timeline for [now, until). */
  shifts: SourceShift[];
}

export interface Vendor {
  name: string;
  tokenVar: string;
  defaultUrl: string;
  auth(token: string): [string, string];
  read(client: SourceClient, opts: ReadOptions): Promise<ReadSchedule[]>;
}

/**
 * Validate a source answer; a wrong shape names the field and where it came from, and stops the
 * run. `where` names the request or the schedule part ("GET /v2/users (page 2)"), built by each reader.
 */
export function validated<T extends z.ZodType>(vendor: string, schema: T, body: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  throw new SourceError('unknown-shape', { vendor, where, field, issue: issue.message }, 1);
}

/** The schedule asked for, or the list of those the token can see. */
export function pick<T extends { id: string; name: string }>(vendor: string, all: readonly T[], id: string | undefined): T[] {
  if (id === undefined) return [...all];
  const found = all.filter((s) => s.id === id);
  if (found.length > 0) return found;
  throw new SourceError('no-such-schedule', { vendor, id, visible: all.map((s) => ({ id: s.id, name: s.name })) }, 2);
}
