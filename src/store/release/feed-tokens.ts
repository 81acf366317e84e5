/**
 * Tokens and paths of the release iCal feeds (GET /ical/releases/<env>.ics): an HMAC of the
 * environment under the release store's feed secret.
 */
import { createHmac } from 'node:crypto';

export function feedToken(secret: string, env: string): string {
  return createHmac('sha256', secret).update(`ical-releases:${env}`).digest('hex').slice(0, 40);
}

export function feedPath(env: string, token: string): string {
  return `/ical/releases/${encodeURIComponent(env)}.ics?token=${token}`;
}
