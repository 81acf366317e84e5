/**
 * bench/oncall-resolve: how fast the resolved schedule answers, and what a rotation costs in Redis.
 *
 *   npm run bench:oncall
 *   BENCH_TEAMS=1000 BENCH_MEMBERS=20 BENCH_OVERRIDES=50 BENCH_ROUNDS=5 npm run bench:oncall
 *   BENCH_NO_RECORD=1 …   (print only, do not append to RESULTS.md)
 *
 * Reported:
 *   - "who is on duty now" for every team (20 members, 50 overrides and 2 absences each, anchors
 *     one to two years back, daily / weekly / 12-hour / monthly turns across New York, London,
 *     Sydney and UTC): time per query, pure resolver and through the service on the real Redis:
 *     cold (a fresh service: every rotation's state and absences loaded, as after an edit) and
 *     warm (the stamp read tells the service its cached state is current). Baseline in the same
 *     run: the same teams with no chat changes.
 *   - a year of turns for one daily rotation with 50 overrides: time per expansion. Baseline in
 *     the same run: generating the year's raw handoff instants alone (TurnClock).
 *   - Redis memory per team: MEMORY USAGE of the rotation record and the members' absence records.
 */
import { appendFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { onDutyAt } from '../src/domain/oncall/on-duty.js';
import { resolveSchedule, type ScheduleInput } from '../src/domain/oncall/resolve.js';
import { TurnClock } from '../src/domain/oncall/turn-clock.js';
import type { LayerDecl, Override, RotationDecl } from '../src/domain/oncall/types.js';
import { createOncallService } from '../src/services/oncall/service.js';
import { parseConfig } from '../src/config.js';
import { createRotationStore } from '../src/store/oncall/rotation-store.js';
import { connectRedis } from '../src/store/redis.js';

const TEAMS = Number(process.env.BENCH_TEAMS ?? 1000);
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 20);
const OVERRIDES = Number(process.env.BENCH_OVERRIDES ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const results = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONES = ['America/New_York', 'Europe/London', 'Australia/Sydney', 'UTC'];
const TURNS: LayerDecl['turn'][] = [{ unit: 'days', count: 1 }, { unit: 'weeks', count: 1 }, { unit: 'hours', count: 12 }, { unit: 'months', count: 1 }];
const NOW = new Date();

// A small deterministic generator, so runs compare.
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

function team(i: number): { decl: RotationDecl; input: ScheduleInput; plain: ScheduleInput; people: string[] } {
  const people = Array.from({ length: MEMBERS }, (_, j) => `t${i}-m${j}`);
  const anchorAt = new Date(NOW.getTime() - (365 + Math.floor(rand() * 365)) * DAY);
  const layer: LayerDecl = {
    name: 'primary',
    precedence: 1,
    members: people,
    anchor: { year: anchorAt.getUTCFullYear(), month: anchorAt.getUTCMonth() + 1, day: anchorAt.getUTCDate(), hour: 9, minute: 0 },
    turn: TURNS[i % TURNS.length]!,
  };
  const decl: RotationDecl = { id: `r${i}`, team: `team-${i}`, zone: ZONES[i % ZONES.length]!, layers: [layer] };
  const overrides: Override[] = Array.from({ length: OVERRIDES }, (_, k) => {
    const from = NOW.getTime() + Math.floor((rand() - 0.5) * 180) * DAY + Math.floor(rand() * 24) * HOUR;
    return { id: `o${k}`, slot: 'primary', person: people[Math.floor(rand() * MEMBERS)]!, from: new Date(from), to: new Date(from + (1 + Math.floor(rand() * 48)) * HOUR), createdAt: new Date(NOW.getTime() - k * HOUR) };
  });
  const absences = [0, 1].map((k) => {
    const from = NOW.getTime() + Math.floor((rand() - 0.3) * 60) * DAY;
    return { id: `a${k}`, person: people[Math.floor(rand() * MEMBERS)]!, from: new Date(from), to: new Date(from + 7 * DAY), kind: 'leave' as const };
  });
  const versions = [{ from: new Date(0), decl }];
  return {
    decl,
    people,
    input: { versions, changes: { overrides, swaps: [], absences, memberEdits: [] } },
    plain: { versions, changes: { overrides: [], swaps: [], absences: [], memberEdits: [] } },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (n: number, d = 3) => n.toFixed(d);

function timePerCall(fn: () => void, calls: number): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / calls;
}

async function main(): Promise<void> {
  const teams = Array.from({ length: TEAMS }, (_, i) => team(i));

  // Warm-up (JIT, Intl caches).
  for (const t of teams.slice(0, 50)) onDutyAt(t.input, NOW);

  const whoPlain: number[] = [];
  const whoFull: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    whoPlain.push(timePerCall(() => teams.forEach((t) => onDutyAt(t.plain, NOW)), TEAMS));
    whoFull.push(timePerCall(() => teams.forEach((t) => onDutyAt(t.input, NOW)), TEAMS));
  }

  const daily = teams.find((t) => t.decl.layers[0]!.turn.unit === 'days')!;
  const yearEnd = new Date(NOW.getTime() + 365 * DAY);
  const clock = new TurnClock(daily.decl.layers[0]!.anchor, daily.decl.layers[0]!.turn, daily.decl.zone);
  const expand: number[] = [];
  const raw: number[] = [];
  let turnsInYear = 0;
  for (let r = 0; r < 20; r++) {
    expand.push(timePerCall(() => (turnsInYear = resolveSchedule(daily.input, NOW, yearEnd).length), 1));
    raw.push(timePerCall(() => {
      for (let k = clock.indexAt(NOW.getTime()); clock.boundary(k) < yearEnd.getTime(); k++);
    }, 1));
  }

  // Through the service on the real Redis: state stored per team, loaded on every query.
  const prefix = `bench-oncall-${randomUUID().slice(0, 8)}`;
  const redis = connectRedis(REDIS_URL, { keyPrefix: `${prefix}:` });
  const plainRedis = new Redis(REDIS_URL);
  const cfg = parseConfig('timezone: UTC');
  if (!cfg.ok) throw new Error('config');
  const config = { ...cfg.config, rotations: [] as typeof cfg.config.rotations };
  const store = createRotationStore(redis);
  let memoryPerTeam = 0;
  const viaRedis: number[] = [];
  const cold: number[] = [];
  try {
    for (const t of teams) {
      await store.updateState(t.decl.id, (s) => ({
        ...s,
        versions: [{ from: new Date(0).toISOString(), decl: t.decl }],
        overrides: t.input.changes.overrides.map((o) => ({ id: o.id, slot: o.slot, person: o.person, from: o.from.toISOString(), to: o.to.toISOString(), createdAt: o.createdAt.toISOString(), reason: 'override' as const })),
      }));
      for (const a of t.input.changes.absences) {
        await store.updateAbsences(a.person, (items) => [...items, { id: a.id, person: a.person, from: a.from.toISOString(), to: a.to.toISOString(), kind: 'leave', createdAt: NOW.toISOString() }]);
      }
    }
    const keys = await plainRedis.keys(`${prefix}:*`);
    let bytes = 0;
    for (const k of keys) bytes += Number(await plainRedis.call('MEMORY', 'USAGE', k, 'SAMPLES', '0'));
    memoryPerTeam = bytes / TEAMS;
    // The service reads the declaration from config; without a config entry it uses the stored versions.
    // Cold: a new service per round has nothing cached, so each query reads and parses the
    // rotation record and every member's absences (what a query after an edit costs).
    for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
      const fresh = createOncallService({ store, config: () => config });
      const t0 = performance.now();
      for (const t of teams) await fresh.duty(t.decl.id, NOW);
      cold.push((performance.now() - t0) / TEAMS);
    }
    const svc = createOncallService({ store, config: () => config });
    for (const t of teams) await svc.duty(t.decl.id, NOW);
    for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
      const t0 = performance.now();
      for (const t of teams) await svc.duty(t.decl.id, NOW);
      viaRedis.push((performance.now() - t0) / TEAMS);
    }
  } finally {
    const keys = await plainRedis.keys(`${prefix}:*`);
    if (keys.length) await plainRedis.del(...keys);
    await plainRedis.quit();
    await redis.quit();
  }

  const rows = [
    ['who now, no chat changes (baseline)', f(median(whoPlain)), '1.00'],
    [`who now, ${OVERRIDES} overrides + 2 absences`, f(median(whoFull)), f(median(whoFull) / median(whoPlain), 2)],
    ['who now through the service, cold (Redis load + resolve)', f(median(cold)), f(median(cold) / median(whoPlain), 2)],
    ['who now through the service, warm (stamp read + resolve)', f(median(viaRedis)), f(median(viaRedis) / median(whoPlain), 2)],
  ];
  const section = `
## oncall-resolve — ${new Date().toISOString()}

Command: \`BENCH_TEAMS=${TEAMS} BENCH_MEMBERS=${MEMBERS} BENCH_OVERRIDES=${OVERRIDES} BENCH_ROUNDS=${ROUNDS} npm run bench:oncall\` — ${TEAMS} teams, ${MEMBERS} members, ${OVERRIDES} overrides and 2 absences each; daily / weekly / 12-hour / monthly turns anchored 1–2 years back in New York, London, Sydney and UTC. Median of ${ROUNDS} rounds over all teams. Node ${process.version}.

| query | ms per query | ratio to baseline |
| --- | --- | --- |
${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}

| year of turns, one daily rotation (${turnsInYear} segments) | ms | ratio |
| --- | --- | --- |
| raw handoff instants only (baseline) | ${f(median(raw))} | 1.00 |
| resolved schedule (queue rule, ${OVERRIDES} overrides, absences) | ${f(median(expand))} | ${f(median(expand) / median(raw), 1)} |

Redis memory per team (rotation record with ${OVERRIDES} overrides + absence records): **${Math.round(memoryPerTeam)} bytes**.

Targets: < 1 ms per who-query (${median(whoFull) < 1 ? 'met' : 'not met'}; through Redis, warm ${median(viaRedis) < 1 ? 'met' : 'not met'}, cold ${median(cold) < 1 ? 'met' : 'not met'}); < 20 ms per year expansion (${median(expand) < 20 ? 'met' : 'not met'}).
`;
  process.stdout.write(section);
  if (process.env.BENCH_NO_RECORD !== '1') await appendFile(results, section);
}

await main();
