/**
 * The `web:` section: how long a link handed out by `/day2 web` stays good, and how many page
 * requests one client may make a minute. Environments opt into a public status page with
 * `public: true` on the environment itself.
 */
import { z } from 'zod';
import { fixedLengthMs, parseDuration } from '../../time/duration.js';

const length = z.string().refine((s) => {
  const d = parseDuration(s);
  return d.ok && fixedLengthMs(d.value) >= 60_000 && fixedLengthMs(d.value) <= 90 * 86_400_000;
}, { error: (iss) => `"${String(iss.input)}" is not a length between 1m and 90d such as 12h or 7d` });

export const webConfig = z
  .strictObject({
    /** How long a link from `/day2 web` opens its page. */
    linkTtl: length.default('7d'),
    /** Page requests per client address per minute; more get 429 with Retry-After. */
    rateLimitPerMinute: z.int().min(1).max(1_000_000).default(600),
    /** Behind a reverse proxy: count clients by the address it appends to X-Forwarded-For (the last). */
    trustProxy: z.boolean().default(false),
  })
  .prefault({});

export type WebConfig = z.infer<typeof webConfig>;

/** The link lifetime in milliseconds (the schema only lets valid lengths through). */
export function linkTtlMs(cfg: WebConfig): number {
  const d = parseDuration(cfg.linkTtl);
  return d.ok ? fixedLengthMs(d.value) : 7 * 86_400_000;
}
