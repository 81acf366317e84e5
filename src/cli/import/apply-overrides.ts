/**
 * `--apply-overrides`: the source's overrides from now on become Day2 overrides in Redis, each
 * under an id derived from its source id, so a second run finds them and changes nothing. Only
 * an override that is new, or whose person or window changed at the source, is written.
 */
import type { Config } from '../../config.js';
import type { ImportedSchedule } from '../../domain/import/model.js';
import type { PeopleMatch } from '../../domain/import/people.js';
import { DEFAULT_REDIS_URL } from '../../env.js';
import { createRotationStore } from '../../store/oncall/rotation-store.js';
import type { OverrideRecord } from '../../store/oncall/records.js';
import { connectRedis } from '../../store/redis.js';
import { SourceError } from './http.js';
import type { ImportIo } from './vendor.js';
import { day2Overrides } from './verify.js';

const same = (a: OverrideRecord, b: OverrideRecord) => a.slot === b.slot && a.person === b.person && Date.parse(a.from) === Date.parse(b.from) && Date.parse(a.to) === Date.parse(b.to);

export async function applyOverrides(schedules: readonly ImportedSchedule[], match: PeopleMatch, config: Config, env: NodeJS.ProcessEnv, now: number, io: ImportIo): Promise<number> {
  const url = env.REDIS_URL?.trim() || DEFAULT_REDIS_URL;
  const redis = connectRedis(url, { keyPrefix: `${config.redisPrefix}:`, name: 'day2-import' });
  try {
    try {
      await redis.ping();
    } catch (e) {
      throw new SourceError(`no Redis answers at ${url} (${(e as Error).message}): set REDIS_URL to Day2's Redis to apply overrides — the fragment was written, no override was`, 2);
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
    io.out(`✔ overrides: ${stored} stored in Day2, ${kept} already there unchanged`);
    return 0;
  } finally {
    redis.disconnect();
  }
}
