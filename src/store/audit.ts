/**
 * The audit log: every state change made through a command, button or form, as a Redis stream
 * (`<prefix>:audit`), capped at about 100 000 entries (MAXLEN ~ lets Redis trim whole nodes,
 * which is much cheaper than an exact cap). Entries are validated on the way in and out.
 */
import { z } from 'zod';
import { PLATFORMS } from '../chat/port.js';
import type { RedisClient } from './redis.js';

export const auditEntrySchema = z.strictObject({
  /** When it happened (UTC ISO-8601). */
  at: z.iso.datetime(),
  /** The inbound event that caused it, to match logs. */
  eventId: z.string().min(1),
  platform: z.enum(PLATFORMS),
  /** Who: the platform user id, their handle when known, and the configured person. */
  userId: z.string().min(1),
  userName: z.string().optional(),
  person: z.string().optional(),
  channelId: z.string().optional(),
  /** What: `family` plus the command name, button action id or form id. */
  kind: z.enum(['command', 'button', 'form']),
  family: z.string().min(1),
  action: z.string().min(1),
  /** Arguments as parsed (JSON-normalised: dates become ISO strings). */
  args: z.record(z.string(), z.unknown()),
});

export type AuditEntry = z.infer<typeof auditEntrySchema>;
export type StoredAuditEntry = AuditEntry & { id: string };

export interface AuditLog {
  /** Append an entry; returns its stream id. Throws a ZodError for a malformed entry. */
  append(entry: AuditEntry): Promise<string>;
  /** The newest `n` entries, newest first. */
  recent(n: number): Promise<StoredAuditEntry[]>;
}

export interface AuditOptions {
  /** Stream key under the connection's prefix; default `audit`. */
  key?: string;
  /** Approximate maximum length; default 100 000. */
  maxLen?: number;
}

/** Round-trip through JSON so what is stored is exactly what will be read back. */
function jsonSafe(args: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Set ? [...v] : v)) ?? '{}') as Record<string, unknown>;
}

export function createAuditLog(redis: RedisClient, options: AuditOptions = {}): AuditLog {
  const key = options.key ?? 'audit';
  const maxLen = options.maxLen ?? 100_000;
  return {
    async append(entry) {
      const valid = auditEntrySchema.parse({ ...entry, args: jsonSafe(entry.args) });
      const id = await redis.xadd(key, 'MAXLEN', '~', maxLen, '*', 'entry', JSON.stringify(valid));
      return id ?? '';
    },

    async recent(n) {
      if (!(n >= 1)) return [];
      const rows = await redis.xrevrange(key, '+', '-', 'COUNT', Math.floor(n));
      const out: StoredAuditEntry[] = [];
      for (const [id, fields] of rows) {
        const i = fields.indexOf('entry');
        const raw = i >= 0 ? fields[i + 1] : undefined;
        if (raw === undefined) continue;
        try {
          const parsed = auditEntrySchema.safeParse(JSON.parse(raw));
          // Entries written by a newer or older Day2 with another shape are skipped, not fatal.
          if (parsed.success) out.push({ id, ...parsed.data });
        } catch {
          // not JSON: skip
        }
      }
      return out;
    },
  };
}
