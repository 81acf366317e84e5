/**
 * Reads Grafana OnCall (HTTP API v1; the token in `Authorization`). Grafana Cloud and self-hosted
 * instances differ in address, so --url is usually needed: the OnCall API's base URL.
 */
import type { z } from 'zod';
import { grafanaFinalShifts, grafanaSchedule, grafanaScheduleList, grafanaShifts, grafanaShiftsOf, grafanaUsers, mapGrafanaSchedule } from '../../domain/import/grafana-oncall.js';
import type { SourceClient } from './http.js';
import { pick, validated, type ReadOptions, type ReadSchedule, type Vendor } from './vendor.js';

const NAME = 'Grafana OnCall';

/** Every page of a list: Grafana OnCall hands the next page's URL in `next` until the last. */
async function all<S extends z.ZodType<{ results: unknown[]; next?: string | null | undefined }>>(client: SourceClient, first: string, schema: S, where: string): Promise<z.infer<S>['results']> {
  const out: z.infer<S>['results'] = [];
  let next: string | null | undefined = first;
  for (let n = 1; next; n++) {
    const answer: unknown = await client.get(next);
    const page = validated(NAME, schema, answer, `${where} (page ${n})`);
    out.push(...page.results);
    next = page.results.length > 0 ? page.next : undefined;
  }
  return out;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function read(client: SourceClient, o: ReadOptions): Promise<ReadSchedule[]> {
  const list = await all(client, '/api/v1/schedules/', grafanaScheduleList, 'GET /api/v1/schedules/');
  const chosen = pick(NAME, list, o.scheduleId).map((raw) => validated(NAME, grafanaSchedule, raw, `schedule "${raw.name}" (${raw.id}) in GET /api/v1/schedules/`));
  const users = new Map((await all(client, '/api/v1/users/', grafanaUsers, 'GET /api/v1/users/')).map((u) => [u.id, u]));
  const out: ReadSchedule[] = [];
  for (const s of chosen) {
    const where = (what: string) => `${what} of schedule "${s.name}" (${s.id})`;
    const shifts = await all(client, `/api/v1/on_call_shifts/?schedule_id=${encodeURIComponent(s.id)}`, grafanaShifts, where('the on-call shifts'));
    // final_shifts takes whole days: ask for the days around the window, the comparison clips it.
    const final = await all(client, `/api/v1/schedules/${encodeURIComponent(s.id)}/final_shifts?start_date=${day(o.now)}&end_date=${day(o.until)}`, grafanaFinalShifts, where('the final shifts'));
    const mapped = mapGrafanaSchedule({ schedule: s, shifts, users, now: o.now, until: o.until });
    out.push({ mapped, shifts: grafanaShiftsOf(final) });
  }
  return out;
}

export const grafanaOnCall: Vendor = {
  name: NAME,
  tokenVar: 'GRAFANA_ONCALL_TOKEN',
  defaultUrl: 'https://oncall-prod-us-central-0.grafana.net/oncall',
  auth: (token) => ['authorization', token],
  read,
};
