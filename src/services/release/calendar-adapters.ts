/**
 * Adapters from the notices and cadence features to release coordination's ports: maintenance
 * windows (`services.maintenanceWindows`), blocking cadence occurrences (`services.blockingEvents`)
 * and deploy notices (`services.notices.create`). The shapes read here are the few fields release
 * coordination needs, typed structurally, so either feature may be absent from a build.
 */
import type { CalendarEntry, DeployNoticePort, PlatformCalendar } from '../../domain/release/calendar-port.js';
import type { RedisClient } from '../../store/redis.js';

export interface MaintenanceWindowLike {
  noticeId: string;
  start: Date;
  end: Date;
  status: string;
  summary: string;
}

export interface BlockingEventLike {
  id: string;
  cadence: string;
  title: string;
  start: Date;
  end: Date;
}

export interface CalendarSources {
  maintenanceWindows?: (env: string, from: Date, to: Date) => Promise<MaintenanceWindowLike[]>;
  blockingEvents?: (env: string | undefined, from: Date, to: Date) => Promise<BlockingEventLike[]>;
}

/** Finished or cancelled windows no longer block anything. */
const OVER = new Set(['cancelled', 'completed']);

/** A PlatformCalendar reading whichever sources are present now (they are looked up on each call). */
export function calendarFromServices(sources: () => CalendarSources): PlatformCalendar {
  return {
    async maintenanceWindows(env, from, to) {
      const fn = sources().maintenanceWindows;
      if (!fn) return [];
      return (await fn(env, from, to))
        .filter((w) => !OVER.has(w.status))
        .map((w): CalendarEntry => ({ id: w.noticeId, title: w.summary, owner: `platform team (notice ${w.noticeId})`, start: w.start, end: w.end }));
    },
    async blockingEvents(env, from, to) {
      const fn = sources().blockingEvents;
      if (!fn) return [];
      return (await fn(env, from, to)).map((e): CalendarEntry => ({ id: e.id, title: e.title, owner: `cadence "${e.cadence}"`, start: e.start, end: e.end }));
    },
  };
}

export interface NoticeCreatorLike {
  create(input: {
    env: string;
    kind: 'deploy';
    summary: string;
    components: string[];
    service?: string;
    version?: string;
    notes?: string;
    start?: Date;
    end?: Date;
    author: { platform: 'slack' | 'mattermost' | 'console'; userId: string; personId?: string; name: string };
  }): Promise<{ id: string }>;
}

/**
 * Release-day `deploy` notices through the notices feature. `create` is not idempotent, so a
 * claim key in Redis makes a retried or doubled timer create one notice; a failed create gives
 * the claim back so the retry can try again.
 */
export function deployNoticesFrom(notices: NoticeCreatorLike, redis: RedisClient): DeployNoticePort {
  return {
    async announceDeploy(input) {
      const claim = `release:deploy-notice:${input.key}`;
      if ((await redis.set(claim, '1', 'PX', 90 * 86_400_000, 'NX')) !== 'OK') return;
      try {
        const personId = input.owner.startsWith('person:') ? input.owner.slice('person:'.length) : undefined;
        await notices.create({
          env: input.env,
          kind: 'deploy',
          summary: input.title,
          components: [],
          notes: input.body,
          start: input.start,
          end: input.end,
          author: { platform: 'console', userId: personId ?? 'day2', ...(personId ? { personId } : {}), name: 'Day2 release coordination' },
        });
      } catch (e) {
        await redis.del(claim);
        throw e;
      }
    },
  };
}
