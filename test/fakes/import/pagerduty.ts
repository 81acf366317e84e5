/**
 * A fake PagerDuty REST API v2 on loopback, serving test/fixtures/import/pagerduty/: schedules,
 * users and escalation policies paged with `limit`/`offset`/`more`, each schedule with the
 * `final_schedule` test/fixtures/import/timeline.py rendered, and overrides. Auth is
 * `Token token=<key>`; errors carry PagerDuty's `{ error: { message, code } }` body.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeApi, type FakeRequest } from './server.js';

const DIR = join(import.meta.dirname, '../../fixtures/import/pagerduty');
const load = (file: string): unknown => JSON.parse(readFileSync(join(DIR, file), 'utf8'));

export interface PagerdutyFixtures {
  /** GET /schedules/{id} answers, by id, in list order. */
  schedules: Map<string, { schedule: { id: string; name: string; [k: string]: unknown } }>;
  users: unknown[];
  policies: unknown[];
  overrides: Record<string, unknown[]>;
}

export function pagerdutyFixtures(): PagerdutyFixtures {
  const defs = load('schedules.json') as { id: string }[];
  return {
    schedules: new Map(defs.map((d) => [d.id, load(`schedule-${d.id}.json`) as PagerdutyFixtures['schedules'] extends Map<string, infer V> ? V : never])),
    users: load('users.json') as unknown[],
    policies: load('escalation_policies.json') as unknown[],
    overrides: load('overrides.json') as Record<string, unknown[]>,
  };
}

const CODES: Record<number, [number, string]> = { 401: [2006, 'Invalid Credentials'], 429: [2020, 'Rate Limit Exceeded'], 404: [2100, 'Not Found'] };
const body = (status: number, message: string) => ({ error: { message: CODES[status]?.[1] ?? message, code: CODES[status]?.[0] ?? 2000, errors: status === 404 ? [message] : [] } });

function paged(req: FakeRequest, key: string, items: readonly unknown[], pageSize: number) {
  const offset = Number(req.query.get('offset') ?? 0);
  const limit = Math.min(Number(req.query.get('limit') ?? 25), pageSize);
  return { status: 200, body: { [key]: items.slice(offset, offset + limit), limit, offset, more: offset + limit < items.length, total: null } };
}

export async function startFakePagerduty(key: string, fx: PagerdutyFixtures = pagerdutyFixtures(), pageSize = 2): Promise<FakeApi> {
  const summaries = () => [...fx.schedules.values()].map(({ schedule: s }) => ({ id: s.id, type: 'schedule', summary: s.name, name: s.name, time_zone: s['time_zone'], self: `https://api.pagerduty.com/schedules/${s.id}` }));
  const fake = new FakeApi(
    [
      { method: 'GET', pattern: /^\/schedules$/, answer: (req) => paged(req, 'schedules', summaries(), pageSize) },
      { method: 'GET', pattern: /^\/users$/, answer: (req) => paged(req, 'users', fx.users, pageSize) },
      { method: 'GET', pattern: /^\/escalation_policies$/, answer: (req) => paged(req, 'escalation_policies', fx.policies, pageSize) },
      { method: 'GET', pattern: /^\/schedules\/([^/]+)\/overrides$/, answer: (_r, [id]) => (fx.schedules.has(id!) ? { status: 200, body: { overrides: fx.overrides[id!] ?? [] } } : { status: 404, body: body(404, `Schedule ${id} not found`) }) },
      { method: 'GET', pattern: /^\/schedules\/([^/]+)$/, answer: (_r, [id]) => (fx.schedules.has(id!) ? { status: 200, body: fx.schedules.get(id!) } : { status: 404, body: body(404, `Schedule ${id} not found`) }) },
    ],
    (req) => req.headers.authorization === `Token token=${key}`,
    body,
  );
  return fake.start();
}
