/**
 * Where releases and freezes live: two versioned repositories (CAS-protected, so two processes
 * ticking the same release cannot lose a tick) and a counter per kind for the short ids people
 * type (`R7`, `F3`). Mattermost user ids learnt from commands are kept so countdown DMs can reach
 * people the config names only by username.
 */
import { createRepository, type Repository } from '../record.js';
import type { RedisClient } from '../redis.js';
import { freezeSchema, releaseSchema, type Freeze, type Release } from '../../domain/release/release.js';

export interface ReleaseStore {
  releases: Repository<Release>;
  freezes: Repository<Freeze>;
  nextId(kind: 'R' | 'F'): Promise<string>;
  rememberMattermostUser(username: string, userId: string): Promise<void>;
  mattermostUserId(username: string): Promise<string | undefined>;
  /** A random per-installation secret for iCal feed tokens (made on first use, kept in Redis). */
  feedSecret(): Promise<string>;
}

export function createReleaseStore(redis: RedisClient): ReleaseStore {
  return {
    releases: createRepository({ redis, name: 'release', schema: releaseSchema, version: 1 }),
    freezes: createRepository({ redis, name: 'release-freeze', schema: freezeSchema, version: 1 }),
    async nextId(kind) {
      return `${kind}${await redis.incr(`release:seq:${kind}`)}`;
    },
    async rememberMattermostUser(username, userId) {
      await redis.hset('release:mm-users', username, userId);
    },
    async mattermostUserId(username) {
      return (await redis.hget('release:mm-users', username)) ?? undefined;
    },
    async feedSecret() {
      const fresh = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
      await redis.set('release:feed-secret', fresh, 'NX');
      return (await redis.get('release:feed-secret')) ?? fresh;
    },
  };
}
