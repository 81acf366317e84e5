/**
 * The zone in a user's platform profile (Slack `users.info` tz, Mattermost user timezone), for
 * people the config gives no `timezone`. Cached, and bounded in time: an answer is never held
 * up for it longer than a moment, it falls back to the default zone instead.
 */
import type { ChatAdapter, Platform, UserRef } from '../chat/port.js';
import { TtlCache } from '../chat/ttl-cache.js';

/** How long a command waits for an uncached profile before answering in the default zone. */
const LOOKUP_MS = 500;

export function profileZones(adapters: ReadonlyMap<Platform, ChatAdapter>): (user: UserRef) => Promise<string | undefined> {
  // null: looked up, the profile has no zone (do not ask again until it expires).
  const cache = new TtlCache<string | null>();
  return async (user) => {
    const adapter = adapters.get(user.platform);
    if (!adapter || user.platform === 'console') return undefined;
    const key = `${user.platform}:${user.id}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    let timer: NodeJS.Timeout | undefined;
    const lookup = adapter.getUser(user.id).then((u) => {
      cache.set(key, u.timeZone ?? null);
      return u.timeZone;
    });
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), LOOKUP_MS)));
    // A failed lookup is not cached: the next command asks again.
    return Promise.race([lookup.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
  };
}
