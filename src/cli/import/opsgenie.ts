/** Reads Opsgenie (REST API v2, `GenieKey` auth, EU accounts with --url https://api.eu.opsgenie.com). */
import { mapOpsgenieSchedule, opsgenieOverrides, opsgenieTeam, type OpsgenieTeam, opsgenieSchedule, opsgenieScheduleList, opsgenieShifts, opsgenieTimeline, opsgenieUsers, type OpsgenieUser } from '../../domain/import/opsgenie.js';
import type { SourceClient } from './http.js';
import { pick, validated, type ReadOptions, type ReadSchedule, type Vendor } from './vendor.js';

const NAME = 'Opsgenie';

async function users(client: SourceClient): Promise<Map<string, OpsgenieUser>> {
  const out = new Map<string, OpsgenieUser>();
  let next: string | undefined = '/v2/users?limit=100&offset=0';
  // Opsgenie pages with offset and hands the next page's full URL in paging.next.
  for (let page = 1; next !== undefined; page++) {
    const answer: unknown = await client.get(next);
    const body = validated(NAME, opsgenieUsers, answer, `GET /v2/users (page ${page})`);
    for (const u of body.data) out.set(u.id, u);
    next = body.data.length > 0 ? body.paging?.next : undefined;
  }
  return out;
}

async function read(client: SourceClient, o: ReadOptions): Promise<ReadSchedule[]> {
  const all = validated(NAME, opsgenieScheduleList, await client.get('/v2/schedules?expand=rotation'), 'GET /v2/schedules');
  const chosen = pick(NAME, all.data, o.scheduleId).map((raw) => validated(NAME, opsgenieSchedule, raw, `schedule "${raw.name}" (${raw.id}) in GET /v2/schedules`));
  const people = await users(client);
  const weeks = Math.ceil((o.until - o.now) / (7 * 86_400_000));
  const out: ReadSchedule[] = [];
  for (const s of chosen) {
    const where = (what: string) => `${what} of schedule "${s.name}" (${s.id})`;
    const path = `/v2/schedules/${encodeURIComponent(s.id)}`;
    const overrides = validated(NAME, opsgenieOverrides, await client.get(`${path}/overrides?scheduleIdentifierType=id`), where('the overrides'));
    const timeline = validated(
      NAME,
      opsgenieTimeline,
      await client.get(`${path}/timeline?identifierType=id&expand=base&interval=${weeks}&intervalUnit=weeks&date=${encodeURIComponent(new Date(o.now).toISOString())}`),
      where('the timeline'),
    );
    let team: OpsgenieTeam | undefined;
    if (s.ownerTeam) {
      const answer: unknown = await client.get(`/v2/teams/${encodeURIComponent(s.ownerTeam.id)}?identifierType=id`);
      team = validated(NAME, opsgenieTeam, answer, where(`the owner team "${s.ownerTeam.name}"`)).data;
    }
    const mapped = mapOpsgenieSchedule({ schedule: s, ...(team ? { team } : {}), overrides: overrides.data, users: people, now: o.now });
    out.push({ mapped, shifts: opsgenieShifts(timeline, mapped) });
  }
  return out;
}

export const opsgenie: Vendor = {
  name: NAME,
  tokenVar: 'OPSGENIE_API_KEY',
  defaultUrl: 'https://api.opsgenie.com',
  auth: (token) => ['authorization', `GenieKey ${token}`],
  read,
};
