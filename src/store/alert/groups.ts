/**
 * Alert groups in Redis: one hash per group holding each alert's last-seen JSON and the group's
 * page state, updated by one Lua script so a retried or concurrent delivery never opens a
 * second page. A group opens a page when an alert fires while it has none open, and its page
 * resolves when no alert of the group fires any more; a later firing (a change: a repeat of the
 * same alerts is not one) opens a new page linked to the previous one, also after a person
 * resolved the page by hand while the alerts still fired.
 *
 * Layout (under the connection's key prefix), `<g>` = sha256 of integration id + group key:
 *   alert:{<g>}        hash { state: open|resolved, page: <g>-<n>, prev, n, a:<fingerprint>: json }
 *   alert:{<g>}:firing set of firing fingerprints
 *   alert:pages        sorted set of page ids by last change (for listing), with their group
 */
import { createHash } from 'node:crypto';
import type { NormalizedAlert } from '../../domain/alert/model.js';
import type { RedisClient } from '../redis.js';

export interface GroupChange {
  groupId: string;
  pageId: string;
  /** This delivery opened the page. */
  opened: boolean;
  /** Some alert of the group is new or differs from what was stored (the page needs an edit). */
  changed: boolean;
  /** This delivery resolved the page (no alert fires any more). */
  resolved: boolean;
  /** The page this one follows, when the group fired again after resolving. */
  previousPageId?: string;
}

// KEYS: group hash, firing set. ARGV: groupId, then fingerprint, status, json triples.
// A resolved alert sent again resolved (a heartbeat's every beat, a repeated resolve) is stored
// but is no change: the page it resolved is not edited again for it.
const APPLY = `
local changed = 0
for i = 2, #ARGV, 3 do
  local field = 'a:' .. ARGV[i]
  local old = redis.call('HGET', KEYS[1], field)
  if old ~= ARGV[i + 2] then
    redis.call('HSET', KEYS[1], field, ARGV[i + 2])
    if not (old and ARGV[i + 1] ~= 'firing' and redis.call('SISMEMBER', KEYS[2], ARGV[i]) == 0) then changed = 1 end
  end
  if ARGV[i + 1] == 'firing' then redis.call('SADD', KEYS[2], ARGV[i]) else redis.call('SREM', KEYS[2], ARGV[i]) end
end
local state = redis.call('HGET', KEYS[1], 'state')
local firing = redis.call('SCARD', KEYS[2])
local opened, resolved, prev = 0, 0, ''
if state ~= 'open' and firing > 0 and changed == 1 then
  prev = redis.call('HGET', KEYS[1], 'page') or ''
  local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
  redis.call('HSET', KEYS[1], 'state', 'open', 'page', ARGV[1] .. '-' .. n, 'prev', prev)
  opened = 1
elseif state == 'open' and firing == 0 then
  redis.call('HSET', KEYS[1], 'state', 'resolved')
  resolved = 1
end
return {opened, changed, resolved, redis.call('HGET', KEYS[1], 'page') or '', prev}
`;

export function groupIdOf(integrationId: string, groupKey: string): string {
  return createHash('sha256').update(`${integrationId}\n${groupKey}`).digest('hex').slice(0, 24);
}

export interface AlertGroupStore {
  /** Apply one delivery's alerts of one group. Alerts without a page-worthy change report changed: false. */
  apply(integrationId: string, groupKey: string, alerts: NormalizedAlert[], now: Date): Promise<GroupChange>;
  /** The alerts last seen in a group, by fingerprint. */
  alerts(groupId: string): Promise<NormalizedAlert[]>;
  /** A person resolved the page: the group's next change opens a new page instead of reopening it. */
  closeByHand(groupId: string): Promise<void>;
  /** Page ids changed most recently first. */
  recentPages(limit: number): Promise<{ pageId: string; groupId: string }[]>;
  /** Whether `pageId` is over for its group: the group resolved it, or a later page took its place. */
  pageOver(groupId: string, pageId: string): Promise<boolean>;
}

export function createAlertGroupStore(redis: RedisClient): AlertGroupStore {
  const key = (g: string) => `alert:{${g}}`;
  return {
    async apply(integrationId, groupKey, alerts, now) {
      const groupId = groupIdOf(integrationId, groupKey);
      const args = alerts.flatMap((a) => [a.fingerprint, a.status, JSON.stringify(a)]);
      const [opened, changed, resolved, pageId, prev] = (await redis.eval(APPLY, 2, key(groupId), `${key(groupId)}:firing`, groupId, ...args)) as [number, number, number, string, string];
      // A group whose alerts only ever arrived resolved has no page to list.
      if (pageId && (opened || changed || resolved)) await redis.zadd('alert:pages', now.getTime(), `${pageId} ${groupId}`);
      return { groupId, pageId, opened: opened === 1, changed: changed === 1, resolved: resolved === 1, ...(prev ? { previousPageId: prev } : {}) };
    },
    async alerts(groupId) {
      const all = await redis.hgetall(key(groupId));
      return Object.entries(all)
        .filter(([f]) => f.startsWith('a:'))
        .map(([, json]) => JSON.parse(json) as NormalizedAlert);
    },
    async pageOver(groupId, pageId) {
      const [state, page] = await redis.hmget(key(groupId), 'state', 'page');
      return state === 'resolved' || page !== pageId;
    },
    async closeByHand(groupId) {
      await redis.hset(key(groupId), 'state', 'resolved');
    },
    async recentPages(limit) {
      const rows = await redis.zrevrange('alert:pages', 0, limit * 4);
      const seen = new Set<string>();
      const out: { pageId: string; groupId: string }[] = [];
      for (const row of rows) {
        const [pageId, groupId] = row.split(' ') as [string, string];
        if (seen.has(pageId)) continue;
        seen.add(pageId);
        out.push({ pageId, groupId });
        if (out.length >= limit) break;
      }
      return out;
    },
  };
}
