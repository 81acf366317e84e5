/**
 * Each environment's notices by their last change, for the status page's history (90 days) and
 * its feeds, plus a per-environment version that changes with any notice of it, so a page can
 * tell "nothing changed" with one read instead of loading every notice.
 *
 * Notices stored before this index existed are indexed once, on the first read after an upgrade
 * (a scan of the notice ids up to `notices:seq`), guarded by a marker key.
 */
import type { Notice } from '../../domain/notice/notice.js';
import type { RedisClient } from '../redis.js';

const byChange = (env: string) => `notices:env:${env}`;
const versionKey = (env: string) => `notices:env-version:${env}`;
const BUILT = 'notices:env-index:v1';

export interface NoticeHistory {
  /** Record a created or changed notice (called by the store on every write). */
  index(n: Notice): Promise<void>;
  /** `env`'s notices changed at or after `since`, and its open ones, newest change first. */
  changedSince(env: string, since: Date): Promise<Notice[]>;
  /** A number that changes whenever any notice of `env` does. */
  version(env: string): Promise<number>;
}

/** `load` reads one notice; `openIds` the ids of the open ones (the store's own index). */
export function createNoticeHistory(redis: RedisClient, load: (id: string) => Promise<Notice | undefined>, openIds: () => Promise<string[]>): NoticeHistory {
  let built = false;
  const index = async (n: Notice) => {
    await redis.multi().zadd(byChange(n.env), Date.parse(n.updatedAt), n.id).incr(versionKey(n.env)).exec();
  };
  /** Index notices written before this index existed (once per Redis). */
  const backfill = async () => {
    if (built || (await redis.exists(BUILT))) {
      built = true;
      return;
    }
    const last = Number((await redis.get('notices:seq')) ?? 0);
    for (let id = 1; id <= last; id++) {
      const n = await load(String(id));
      if (n) await index(n);
    }
    await redis.set(BUILT, '1');
    built = true;
  };
  return {
    index,
    async changedSince(env, since) {
      await backfill();
      const ids = new Set([...(await redis.zrevrangebyscore(byChange(env), '+inf', since.getTime())), ...(await openIds())]);
      // Issued together, the reads share round trips (a status page may need a thousand).
      const out = (await Promise.all([...ids].map(load))).filter((n): n is Notice => n !== undefined && n.env === env);
      return out.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
    },
    async version(env) {
      return Number((await redis.get(versionKey(env))) ?? 0);
    },
  };
}
