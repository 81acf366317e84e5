/**
 * A fake Opsgenie REST API v2 on loopback, serving test/fixtures/import/opsgenie/: schedules
 * (`expand=rotation`), users paged with `offset`/`limit` and `paging.next`, teams, overrides, and the
 * schedule timeline that test/fixtures/import/timeline.py computed. Auth is `GenieKey <key>`;
 * errors carry Opsgenie's `{ message, took, requestId }` body.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeApi, type FakeRequest } from './server.js';

const DIR = join(import.meta.dirname, '../../fixtures/import/opsgenie');
const load = (file: string): unknown => JSON.parse(readFileSync(join(DIR, file), 'utf8'));

export interface OpsgenieFixtures {
  schedules: { data: { id: string; name: string; [k: string]: unknown }[] };
  users: { id: string; username: string; fullName: string }[];
  overrides: Record<string, { data: unknown[] }>;
  teams: Record<string, unknown>;
  timelines: Record<string, unknown>;
}

export function opsgenieFixtures(): OpsgenieFixtures {
  const schedules = load('schedules.json') as OpsgenieFixtures['schedules'];
  return {
    schedules,
    users: load('users.json') as OpsgenieFixtures['users'],
    overrides: load('overrides.json') as OpsgenieFixtures['overrides'],
    teams: load('teams.json') as OpsgenieFixtures['teams'],
    timelines: Object.fromEntries(schedules.data.map((s) => [s.id, load(`timeline-${s.id}.json`)])),
  };
}

const body = (status: number, message: string) => ({ message, took: 0.002, requestId: `req-${status}` });

export async function startFakeOpsgenie(key: string, fx: OpsgenieFixtures = opsgenieFixtures(), pageSize = 3): Promise<FakeApi> {
  const find = (id: string) => fx.schedules.data.find((s) => s.id === id);
  const missing = (id: string) => ({ status: 404, body: body(404, `No schedule exists with identifier [${id}]`) });
  const fake: FakeApi = new FakeApi(
    [
      { method: 'GET', pattern: /^\/v2\/schedules$/, answer: () => ({ status: 200, body: fx.schedules }) },
      {
        method: 'GET',
        pattern: /^\/v2\/users$/,
        answer: (req: FakeRequest) => {
          const offset = Number(req.query.get('offset') ?? 0);
          const limit = Math.min(Number(req.query.get('limit') ?? 20), pageSize);
          const data = fx.users.slice(offset, offset + limit);
          const more = offset + limit < fx.users.length;
          return { status: 200, body: { totalCount: fx.users.length, data, paging: { first: `${fake.url}/v2/users?limit=${limit}&offset=0`, ...(more ? { next: `${fake.url}/v2/users?limit=${limit}&offset=${offset + limit}` } : {}) }, took: 0.01, requestId: 'users' } };
        },
      },
      { method: 'GET', pattern: /^\/v2\/teams\/([^/]+)$/, answer: (_r, [id]) => (fx.teams[id!] ? { status: 200, body: fx.teams[id!] } : { status: 404, body: body(404, `No team exists with id [${id}]`) }) },
      { method: 'GET', pattern: /^\/v2\/schedules\/([^/]+)\/overrides$/, answer: (_r, [id]) => (find(id!) ? { status: 200, body: fx.overrides[id!] ?? { data: [] } } : missing(id!)) },
      { method: 'GET', pattern: /^\/v2\/schedules\/([^/]+)\/timeline$/, answer: (_r, [id]) => (find(id!) ? { status: 200, body: fx.timelines[id!] } : missing(id!)) },
    ],
    (req) => req.headers.authorization === `GenieKey ${key}`,
    body,
  );
  return fake.start();
}
