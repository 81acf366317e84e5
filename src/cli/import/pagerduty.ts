/** Reads PagerDuty (REST API v2, `Token token=` auth, offset pagination with `more`). */
import type { z } from 'zod';
import { mapPagerdutySchedule, pagerdutyOverrides, pagerdutyPolicies, pagerdutySchedule, pagerdutyScheduleList, pagerdutyShifts, pagerdutyUsers } from '../../domain/import/pagerduty.js';
import type { SourceClient } from './http.js';
import { pick, validated, type ReadOptions, type ReadSchedule, type Vendor } from './vendor.js';

const NAME = 'PagerDuty';
const PAGE = 100;

type Paged = z.ZodType<{ more: boolean }>;

/** Every page of a list: PagerDuty answers `more: true` while there is one after it. */
async function all<S extends Paged, T>(client: SourceClient, path: string, schema: S, items: (page: z.infer<S>) => T[]): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; ) {
    const answer: unknown = await client.get(`${path}${path.includes('?') ? '&' : '?'}limit=${PAGE}&offset=${offset}`);
    const page = validated(NAME, schema, answer, `GET ${path} (offset ${offset})`);
    const got = items(page);
    out.push(...got);
    // The next page starts after what came back (PagerDuty may send fewer than asked).
    offset += got.length;
    if (!page.more || got.length === 0) return out;
  }
}

async function read(client: SourceClient, o: ReadOptions): Promise<ReadSchedule[]> {
  const list = await all(client, '/schedules', pagerdutyScheduleList, (p) => p.schedules);
  const chosen = pick(NAME, list, o.scheduleId);
  const users = new Map((await all(client, '/users', pagerdutyUsers, (p) => p.users)).map((u) => [u.id, u]));
  const policies = await all(client, '/escalation_policies', pagerdutyPolicies, (p) => p.escalation_policies);
  const window = `since=${encodeURIComponent(new Date(o.now).toISOString())}&until=${encodeURIComponent(new Date(o.until).toISOString())}`;
  const out: ReadSchedule[] = [];
  for (const c of chosen) {
    const where = (what: string) => `${what} of schedule "${c.name}" (${c.id})`;
    const path = `/schedules/${encodeURIComponent(c.id)}`;
    const answer: unknown = await client.get(`${path}?${window}&time_zone=UTC`);
    const { schedule } = validated(NAME, pagerdutySchedule, answer, where('the schedule'));
    const overrides = validated(NAME, pagerdutyOverrides, await client.get(`${path}/overrides?${window}`), where('the overrides'));
    const mapped = mapPagerdutySchedule({ schedule, overrides: overrides.overrides, policies, users, now: o.now });
    out.push({ mapped, shifts: pagerdutyShifts(schedule) });
  }
  return out;
}

export const pagerduty: Vendor = {
  name: NAME,
  tokenVar: 'PAGERDUTY_TOKEN',
  defaultUrl: 'https://api.pagerduty.com',
  auth: (token) => ['authorization', `Token token=${token}`],
  read,
};
