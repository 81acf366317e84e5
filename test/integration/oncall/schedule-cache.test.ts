/**
 * The on-call service caches each rotation's schedule input under a stamp kept in Redis. These
 * tests edit a rotation through another service instance (its own Redis connection) and through
 * another process, and check that the very next query of an instance holding a cached copy
 * answers with the edit in it.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.js';
import { createOncallService, type OncallService } from '../../../src/services/oncall/service.js';
import { createRotationStore } from '../../../src/store/oncall/rotation-store.js';
import { redisEnv, REDIS_URL, type RedisEnv } from '../../support/redis-env.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const HOUR = 3_600_000;
// Daily turns from 09:00 UTC; at noon on the 7th the turn runs to 09:00 on the 8th.
const NOW = new Date('2030-01-07T12:00:00Z');

const CONFIG = `
timezone: UTC
people:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
  - { id: carol, name: Carol }
teams:
  - { id: payments, name: Payments, members: [alice, bob, carol], managers: [alice] }
rotations:
  - { id: pay, team: payments, anchor: "2030-01-01 09:00", turn: 1d, members: [alice, bob, carol] }
`;

function config(text = CONFIG): Config {
  const parsed = parseConfig(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.config;
}

/** A separate process with its own service and Redis connection makes one edit, then exits. */
const CHILD = `
import { Redis } from 'ioredis';
const root = process.env.DAY2_ROOT_URL;
const { parseConfig } = await import(root + '/src/config.ts');
const { createOncallService } = await import(root + '/src/services/oncall/service.ts');
const { createRotationStore } = await import(root + '/src/store/oncall/rotation-store.ts');
const e = process.env;
const parsed = parseConfig(e.DAY2_CONFIG_TEXT);
const redis = new Redis(e.REDIS_URL, { keyPrefix: e.DAY2_PREFIX + ':' });
const svc = createOncallService({ store: createRotationStore(redis), config: () => parsed.config });
const now = new Date(e.NOW);
const edit = JSON.parse(e.EDIT);
if (edit.kind === 'override') await svc.addOverride('pay', { slot: 'primary', person: edit.person, from: now, to: new Date(now.getTime() + 3600000) }, now);
if (edit.kind === 'leave') await svc.addLeave(edit.person, new Date(now.getTime() - 86400000), new Date(now.getTime() + 7 * 86400000), 'leave', now);
await redis.quit();
process.stdout.write('done\\n');
`;

async function editInAnotherProcess(env: RedisEnv, edit: { kind: 'override' | 'leave'; person: string }): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    cwd: ROOT,
    env: { ...process.env, DAY2_ROOT_URL: pathToFileURL(ROOT).href, REDIS_URL, DAY2_PREFIX: env.name, DAY2_CONFIG_TEXT: CONFIG, NOW: NOW.toISOString(), EDIT: JSON.stringify(edit) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0 || !out.includes('done')) throw new Error(`the editing process failed (${code}):\n${out}`);
}

const holder = async (svc: OncallService) => (await svc.duty('pay', NOW))[0]?.current;

describe('on-call schedule cache across instances and processes', () => {
  let env: RedisEnv;
  let other: Redis;
  let reader: OncallService;
  let writer: OncallService;
  beforeEach(async () => {
    env = await redisEnv();
    other = new Redis(REDIS_URL, { keyPrefix: `${env.name}:` });
    const cfg = config();
    reader = createOncallService({ store: createRotationStore(env.redis), config: () => cfg });
    writer = createOncallService({ store: createRotationStore(other), config: () => cfg });
  });
  afterEach(async () => {
    await other.quit();
    await env.cleanup();
  });

  it('sees an override, leave and a queue edit made through another instance on its next query', async () => {
    const first = await holder(reader);
    expect(first).toMatchObject({ source: 'rotation' });
    const onDuty = first!.person!;
    const someoneElse = ['alice', 'bob', 'carol'].find((p) => p !== onDuty)!;
    // Asked again with nothing changed: the same answer (from the cache).
    expect(await holder(reader)).toEqual(first);

    await writer.addOverride('pay', { slot: 'primary', person: someoneElse, from: NOW, to: new Date(NOW.getTime() + HOUR) }, NOW);
    expect(await holder(reader)).toMatchObject({ person: someoneElse, source: 'override', coveredFor: onDuty });

    // Leave for whoever the rotation has now: the turn goes to the next available member.
    const later = new Date(NOW.getTime() + 2 * HOUR);
    const before = (await reader.duty('pay', later))[0]!.current!.person;
    await writer.addLeave(before!, new Date(NOW.getTime() - 24 * HOUR), new Date(NOW.getTime() + 24 * HOUR), 'leave', NOW);
    const after = (await reader.duty('pay', later))[0]!.current!.person;
    expect(after).not.toBe(before);
    expect(after).not.toBeNull();

    // A queue edit (stored in the rotation record) from the other instance.
    await writer.change('pay', 'member', (s) => ({ ...s, memberEdits: [...s.memberEdits, { id: 'e1', layer: 'primary', person: after!, kind: 'remove', at: new Date(NOW.getTime() - 48 * HOUR).toISOString() }] }), NOW);
    expect((await reader.duty('pay', later))[0]!.current!.person).not.toBe(after);
  });

  it('sees edits made by another process on its next query', async () => {
    const onDuty = (await holder(reader))!.person!;
    const someoneElse = ['alice', 'bob', 'carol'].find((p) => p !== onDuty)!;
    await editInAnotherProcess(env, { kind: 'override', person: someoneElse });
    expect(await holder(reader)).toMatchObject({ person: someoneElse, source: 'override' });

    const later = new Date(NOW.getTime() + 2 * HOUR);
    const before = (await reader.duty('pay', later))[0]!.current!.person!;
    await editInAnotherProcess(env, { kind: 'leave', person: before });
    expect((await reader.duty('pay', later))[0]!.current!.person).not.toBe(before);
  });

  it('ends up with every edit another instance made while it was answering', async () => {
    const people = ['alice', 'bob', 'carol'];
    await holder(reader);
    let writing = true;
    const writes = (async () => {
      for (let i = 0; i < 15; i++) {
        const from = new Date(NOW.getTime() + i * HOUR);
        await writer.addOverride('pay', { slot: 'primary', person: people[i % 3]!, from, to: new Date(from.getTime() + HOUR) }, NOW);
        await writer.addLeave(people[(i + 1) % 3]!, new Date(from.getTime() + 30 * 24 * HOUR), new Date(from.getTime() + 31 * 24 * HOUR), 'leave', NOW);
      }
      writing = false;
    })();
    // Queries racing the writes, through a cached copy and through fresh instances.
    let queries = 0;
    while (writing) {
      await reader.schedule('pay', NOW);
      await createOncallService({ store: createRotationStore(env.redis), config: () => config() }).schedule('pay', NOW);
      queries++;
    }
    await writes;
    expect(queries).toBeGreaterThan(1);
    const after = await reader.schedule('pay', NOW);
    expect(after.changes.overrides).toHaveLength(15);
    expect(after.changes.absences).toHaveLength(15);
  });

  it('reads the leave of people only the stored record names, such as someone added to the queue', async () => {
    const later = new Date(NOW.getTime() + 24 * HOUR);
    await holder(reader);
    await writer.change('pay', 'member', (s) => ({ ...s, memberEdits: [...s.memberEdits, { id: 'e1', layer: 'primary', person: 'dave', kind: 'add', at: new Date(NOW.getTime() - 72 * HOUR).toISOString() }] }), NOW);
    await writer.addLeave('dave', NOW, new Date(NOW.getTime() + 7 * 24 * HOUR), 'leave', NOW);
    const fresh = createOncallService({ store: createRotationStore(env.redis), config: () => config() });
    for (const svc of [reader, fresh]) {
      const input = await svc.schedule('pay', NOW);
      expect(input.changes.absences.map((a) => a.person)).toEqual(['dave']);
      // Over a week of turns dave, away the whole time, holds none.
      const holders = new Set((await svc.segments('pay', NOW, new Date(later.getTime() + 5 * 24 * HOUR), NOW)).map((x) => x.person));
      expect(holders.has('dave')).toBe(false);
    }
  });

  it('follows a changed declaration in its own config without waiting for another write', async () => {
    let cfg = config();
    const svc = createOncallService({ store: createRotationStore(env.redis), config: () => cfg });
    expect((await svc.duty('pay', NOW))[0]!.current!.turnEnd).toEqual(new Date('2030-01-08T09:00:00Z'));
    cfg = config(CONFIG.replace('turn: 1d', 'turn: 12h'));
    expect((await svc.duty('pay', NOW))[0]!.current!.turnEnd).toEqual(new Date('2030-01-07T21:00:00Z'));
    expect((await svc.state('pay')).versions).toHaveLength(2);
  });
});
