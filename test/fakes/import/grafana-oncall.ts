/**
 * A fake Grafana OnCall HTTP API v1 on loopback, serving test/fixtures/import/grafana-oncall/:
 * schedules, users and on-call shifts (`?schedule_id=`) and the final shifts timeline.py rendered,
 * every list paged with `page` and an absolute `next` URL. Auth is the bare token in
 * `Authorization`; errors carry Django REST framework's `{ detail }` body.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeApi, type FakeRequest } from './server.js';

const DIR = join(import.meta.dirname, '../../fixtures/import/grafana-oncall');
const load = (file: string): unknown => JSON.parse(readFileSync(join(DIR, file), 'utf8'));

export interface GrafanaFixtures {
  schedules: { id: string; name: string; [k: string]: unknown }[];
  users: unknown[];
  shifts: Record<string, Record<string, unknown>[]>;
  finalShifts: Record<string, unknown[]>;
}

export function grafanaFixtures(): GrafanaFixtures {
  const schedules = load('schedules.json') as GrafanaFixtures['schedules'];
  return {
    schedules,
    users: load('users.json') as unknown[],
    shifts: load('shifts.json') as GrafanaFixtures['shifts'],
    finalShifts: Object.fromEntries(schedules.map((s) => [s.id, load(`final-shifts-${s.id}.json`) as unknown[]])),
  };
}

const DETAIL: Record<number, string> = { 401: 'Invalid token.', 404: 'Not found.', 429: 'Request was throttled. Expected available in 1 second.' };
const body = (status: number, message: string) => ({ detail: DETAIL[status] ?? message });

export async function startFakeGrafanaOnCall(token: string, fx: GrafanaFixtures = grafanaFixtures(), pageSize = 50): Promise<FakeApi> {
  const paged = (req: FakeRequest, items: readonly unknown[]) => {
    const page = Number(req.query.get('page') ?? 1);
    const results = items.slice((page - 1) * pageSize, page * pageSize);
    const more = page * pageSize < items.length;
    const next = new URL(req.path, fake.url);
    req.query.forEach((v, k) => next.searchParams.set(k, v));
    next.searchParams.set('page', String(page + 1));
    return { status: 200, body: { count: items.length, next: more ? next.toString() : null, previous: null, results, current_page_number: page, page_size: pageSize, total_pages: Math.max(1, Math.ceil(items.length / pageSize)) } };
  };
  const known = (id: string) => fx.schedules.some((s) => s.id === id);
  const fake: FakeApi = new FakeApi(
    [
      { method: 'GET', pattern: /^\/api\/v1\/schedules\/$/, answer: (req) => paged(req, fx.schedules) },
      { method: 'GET', pattern: /^\/api\/v1\/users\/$/, answer: (req) => paged(req, fx.users) },
      { method: 'GET', pattern: /^\/api\/v1\/on_call_shifts\/$/, answer: (req) => paged(req, fx.shifts[req.query.get('schedule_id') ?? ''] ?? []) },
      { method: 'GET', pattern: /^\/api\/v1\/schedules\/([^/]+)\/final_shifts$/, answer: (req, [id]) => (known(id!) ? paged(req, fx.finalShifts[id!] ?? []) : { status: 404, body: body(404, '') }) },
    ],
    (req) => req.headers.authorization === token,
    body,
  );
  return fake.start();
}
