/**
 * The parts of Mattermost's API objects (users, posts) that the adapter reads, and how a
 * profile's time zone settings become one IANA zone. Kept apart from adapter.ts so the adapter
 * holds behaviour only.
 */
import { isValidZone } from '../../time/zone.js';
import type { UserInfo } from '../port.js';

export interface MmUser {
  id: string;
  username: string;
  first_name?: string;
  last_name?: string;
  nickname?: string;
  is_bot?: boolean;
  /** Non-zero once the account is deactivated. */
  delete_at?: number;
  timezone?: { useAutomaticTimezone?: string | boolean; automaticTimezone?: string; manualTimezone?: string };
}
export interface MmPost {
  id: string;
  channel_id: string;
  user_id: string;
  root_id?: string;
  create_at: number;
  delete_at?: number;
  props?: Record<string, unknown>;
}
export interface MmPostList {
  order?: string[];
  posts?: Record<string, MmPost>;
}

/** The zone a Mattermost profile shows its user in, if it is a real IANA zone. */
export function profileZone(tz: MmUser['timezone']): string | undefined {
  if (!tz) return undefined;
  const automatic = tz.useAutomaticTimezone === true || tz.useAutomaticTimezone === 'true';
  const zone = automatic ? tz.automaticTimezone : tz.manualTimezone;
  return zone && isValidZone(zone) ? zone : undefined;
}

/** A Mattermost user as the chat port describes users. */
export function toUserInfo(u: MmUser): UserInfo {
  const fullName = [u.first_name, u.last_name].filter((s) => s && s.trim() !== '').join(' ');
  const displayName = fullName || u.nickname || undefined;
  const timeZone = profileZone(u.timezone);
  return { platform: 'mattermost', id: u.id, name: u.username, ...(displayName ? { displayName } : {}), ...(timeZone ? { timeZone } : {}), isBot: u.is_bot === true };
}
