/**
 * Notices in Redis: the notice records (versioned, compare-and-set), drafts awaiting their
 * author's confirmation, channel subscriptions made in chat, and two indexes: the open notices
 * (for /notice list) and each environment's maintenance windows by start time (for
 * `maintenanceWindows`, which release coordination reads to find conflicts).
 */
import { z } from 'zod';
import type { Subscription } from '../../domain/notice/audience.js';
import { NOTICE_KINDS, envNameOf, isFinal, noticeDraftSchema, noticeSchema, type Notice, type NoticeDraft } from '../../domain/notice/notice.js';
import { overlaps } from '../../domain/notice/rules.js';
import { createRepository, type Stored } from '../record.js';
import { createNoticeHistory, type NoticeHistory } from './history.js';
import type { RedisClient } from '../redis.js';

/** A maintenance window as other features see it. */
export interface MaintenanceWindow {
  noticeId: string;
  env: string;
  /** The environment's name as the notice keeps it (its id for notices from before names were kept). */
  envName: string;
  start: Date;
  end: Date;
  status: string;
  summary: string;
  components: string[];
}

const subscriptionSchema = z.object({
  env: z.string(),
  platform: z.enum(['slack', 'mattermost', 'console']),
  channelId: z.string(),
  kinds: z.array(z.enum(NOTICE_KINDS)).optional(),
  components: z.array(z.string()).optional(),
  by: z.string(),
  at: z.string(),
});
export type StoredSubscription = z.infer<typeof subscriptionSchema>;

/** Drafts are a confirmation away from being sent; an hour is plenty. */
const DRAFT_TTL_MS = 3600_000;

export interface NoticeStore {
  nextId(): Promise<string>;
  get(id: string): Promise<Notice | undefined>;
  create(notice: Notice): Promise<Notice>;
  /** Compare-and-set update (retries on races); keeps the indexes in step. */
  update(id: string, fn: (n: Notice) => Notice): Promise<Notice>;
  /** Open notices (not resolved/completed/cancelled), newest first. */
  open(): Promise<Notice[]>;
  /** Non-cancelled maintenance windows of `env` that overlap [from, to). */
  maintenanceWindows(env: string, from: Date, to: Date): Promise<MaintenanceWindow[]>;
  putDraft(draft: NoticeDraft): Promise<void>;
  draft(id: string): Promise<Stored<NoticeDraft> | undefined>;
  /** Bind a draft to a notice id once: returns the id bound first (ours or an earlier one). */
  claimDraft(draftId: string, noticeId: string): Promise<string>;
  deleteDraft(id: string): Promise<boolean>;
  subscribe(sub: Omit<StoredSubscription, 'at'> & { at?: string }): Promise<void>;
  unsubscribe(env: string, platform: 'slack' | 'mattermost' | 'console', channelId: string): Promise<boolean>;
  subscriptions(): Promise<StoredSubscription[]>;
  /** `env`'s notices changed at or after `since` (open ones included whenever they changed), newest change first. */
  changedSince(env: string, since: Date): Promise<Notice[]>;
  /** Changes whenever any notice of `env` does (status pages' "nothing new" check). */
  envVersion(env: string): Promise<number>;
}

export function createNoticeStore(redis: RedisClient): NoticeStore {
  const notices = createRepository({ redis, name: 'notices', schema: noticeSchema, version: 1 });
  const drafts = createRepository({ redis, name: 'notice-drafts', schema: noticeDraftSchema, version: 1, ttlMs: DRAFT_TTL_MS });
  const subs = createRepository({ redis, name: 'notice-subs', schema: subscriptionSchema, version: 1 });
  const OPEN = 'notices:open';
  const maintIndex = (env: string) => `notices:maint:${env}`;
  const subId = (env: string, platform: string, channelId: string) => `${env}.${platform}.${channelId}`;

  const load = async (id: string) => (await notices.get(id))?.value;
  const history: NoticeHistory = createNoticeHistory(redis, load, () => redis.smembers(OPEN));

  const index = async (n: Notice) => {
    await history.index(n);
    if (isFinal(n)) await redis.srem(OPEN, n.id);
    else await redis.sadd(OPEN, n.id);
    if (n.kind === 'maintenance' && n.start) await redis.zadd(maintIndex(n.env), Date.parse(n.start), n.id);
  };

  return {
    async nextId() {
      return String(await redis.incr('notices:seq'));
    },
    async get(id) {
      if (!/^[0-9]{1,12}$/.test(id)) return undefined;
      return (await notices.get(id))?.value;
    },
    async create(notice) {
      const stored = await notices.put(notice.id, notice);
      await index(stored.value);
      return stored.value;
    },
    async update(id, fn) {
      const stored = await notices.update(id, fn);
      await index(stored.value);
      return stored.value;
    },
    async open() {
      const ids = await redis.smembers(OPEN);
      const out: Notice[] = [];
      for (const id of ids) {
        const n = (await notices.get(id))?.value;
        if (n && !isFinal(n)) out.push(n);
      }
      return out.sort((a, b) => Number(b.id) - Number(a.id));
    },
    async maintenanceWindows(env, from, to) {
      // Indexed by start: anything starting before `to` may overlap; the end decides.
      const ids = await redis.zrangebyscore(maintIndex(env), '-inf', `(${to.getTime()}`);
      const out: MaintenanceWindow[] = [];
      for (const id of ids) {
        const n = (await notices.get(id))?.value;
        if (!n || !n.start || !n.end || n.status === 'cancelled') continue;
        const start = new Date(n.start);
        const end = new Date(n.end);
        if (!overlaps(start, end, from, to)) continue;
        out.push({ noticeId: n.id, env: n.env, envName: envNameOf(n), start, end, status: n.status, summary: n.summary, components: n.components });
      }
      return out.sort((a, b) => a.start.getTime() - b.start.getTime());
    },
    async putDraft(draft) {
      await drafts.put(draft.draftId, draft);
    },
    draft: (id) => (/^[A-Za-z0-9]{1,40}$/.test(id) ? drafts.get(id) : Promise.resolve(undefined)),
    async claimDraft(draftId, noticeId) {
      const stored = await drafts.update(draftId, (d) => (d.noticeId ? d : { ...d, noticeId }));
      return stored.value.noticeId ?? noticeId;
    },
    deleteDraft: (id) => drafts.delete(id),
    async subscribe(sub) {
      await subs.upsert(subId(sub.env, sub.platform, sub.channelId), () => ({ ...sub, at: sub.at ?? new Date().toISOString() }));
    },
    unsubscribe: (env, platform, channelId) => subs.delete(subId(env, platform, channelId)),
    async subscriptions() {
      return (await subs.list()).map((s) => s.value);
    },
    changedSince: (env, since) => history.changedSince(env, since),
    envVersion: (env) => history.version(env),
  };
}

/** Stored and configured subscriptions as the audience rules read them. */
export function asSubscriptions(stored: readonly StoredSubscription[], configured: readonly { env: string; platform: 'slack' | 'mattermost' | 'console'; channel: string; kinds?: Subscription['kinds']; components?: readonly string[] }[]): Subscription[] {
  return [
    ...configured.map((c) => ({ env: c.env, platform: c.platform, channelId: c.channel, kinds: c.kinds, components: c.components })),
    ...stored.map((s) => ({ env: s.env, platform: s.platform, channelId: s.channelId, kinds: s.kinds, components: s.components })),
  ];
}
