/**
 * `--apply-overrides`: the source's overrides from now on become Day2 overrides in Redis, each
 * under an id derived from its source id, so a second run finds them and changes nothing. Only
 * an override that is new, or whose person or window changed at the source, is written. A running
 * Day2 is then asked to re-plan its handoffs at once (an `oncall-replan` timer on its queue), as a
 * change made in chat would, rather than at its next hourly safety net.
 */
import type { Config } from '../../config.js';
import type { ImportedSchedule } from '../../domain/import/model.js';
import type { PeopleMatch } from '../../domain/import/people.js';
import { DEFAULT_REDIS_URL } from '../../env.js';
import type { TextRenderer } from '../../render/text.js';
import { createRotationStore } from '../../store/oncall/rotation-store.js';
import type { OverrideRecord } from '../../store/oncall/records.js';
import { createScheduler } from '../../delivery/scheduler.js';
import { connectRedis, queuePrefix } from '../../store/redis.js';
import { SourceError } from './http.js';
import type { ImportIo } from './vendor.js';
import { day2Overrides } from './verify.js';

const same = (a: OverrideRecord, b: OverrideRecord) => a.slot === b.slot && a.person === b.person && Date.parse(a.from) === Date.parse(b.from) && Date.parse(a.to) === Date.parse(b.to);

/** REDIS_URL as it may be printed: a password in it is replaced by "***". */
export function withoutPassword(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = '***';
    return u.toString();
  } catch {
    // Not a URL (connectRedis will have said so): print nothing of it that could be a secret.
    return '(REDIS_URL)';
  }
}

export async function applyOverrides(schedules: readonly ImportedSchedule[], match: PeopleMatch, config: Config, env: NodeJS.ProcessEnv, now: number, io: ImportIo, text: TextRenderer): Promise<number> {
  const url = env.REDIS_URL?.trim() || DEFAULT_REDIS_URL;
  const redis = connectRedis(url, { keyPrefix: `${config.redisPrefix}:`, name: 'day2-import' });
  try {
    try {
      await redis.ping();
    } catch (e) {
      throw new SourceError('no-redis', { url: withoutPassword(url), reason: (e as Error).message }, 2);
    }
    const store = createRotationStore(redis);
    let stored = 0;
    let kept = 0;
    for (const s of schedules) {
      if (s.overrides.length === 0) continue;
      const have = new Map((await store.state(s.id)).overrides.map((o) => [o.id, o]));
      for (const o of day2Overrides(s, match, now)) {
        const before = have.get(o.id);
        const record: OverrideRecord = { id: o.id, slot: o.slot, person: o.person, from: o.from.toISOString(), to: o.to.toISOString(), createdAt: before?.createdAt ?? new Date(now).toISOString(), reason: 'override' };
        if (before && same(before, record)) {
          kept++;
          continue;
        }
        await store.addOverride(s.id, record);
        stored++;
      }
    }
    if (stored > 0) await askToReplan(url, redis, config.redisPrefix);
    io.out(text.render('overrides-applied', { stored, kept }));
    return 0;
  } finally {
    redis.disconnect();
  }
}

/** Queue the on-call re-plan timer the bot's workers run (the same one its hourly safety net sets). */
async function askToReplan(url: string, redis: ReturnType<typeof connectRedis>, redisPrefix: string): Promise<void> {
  const bull = connectRedis(url, { blocking: true, name: 'day2-import-bullmq' });
  const scheduler = createScheduler({ connection: bull, redis, prefix: queuePrefix(redisPrefix) });
  try {
    await scheduler.at('oncall-replan', `import-${Date.now()}`, new Date(), {});
  } finally {
    await scheduler.close();
    bull.disconnect();
  }
}
