/**
 * Maintenance silences against the real Redis (record and lock) with a counting Alertmanager
 * stand-in: a timer that runs twice, two processes running the same change at once, a late
 * older change, an extension and a cancellation each leave exactly one silence doing the right
 * thing; an unreachable Alertmanager throws (the timer retries) and records no silence; a run
 * that died after Alertmanager created the silence is followed by one that adopts it. At start
 * and after a reload, open windows confirmed before silences were on get theirs, without ever
 * undoing a newer change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertsConfig } from '../../../src/domain/alert/config.js';
import type { Scheduler } from '../../../src/delivery/scheduler.js';
import { silentLogger } from '../../../src/log.js';
import { createMaintenanceSilences, type MaintenanceNotice } from '../../../src/services/alert/maintenance.js';
import type { SilenceRequest, Silencer } from '../../../src/services/alert/silences.js';
import { createMaintenanceSilenceStore } from '../../../src/store/alert/maintenance.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

let env: RedisEnv;
beforeAll(async () => {
  env = await redisEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

class CountingSilencer implements Silencer {
  created: SilenceRequest[] = [];
  expired: string[] = [];
  /** Silences as Alertmanager would hold them, by id. */
  held = new Map<string, string>();
  down = false;
  /** Alertmanager creates the silence, but the caller dies before it reads the answer. */
  dieAfterCreate = false;
  async create(req: SilenceRequest): Promise<string> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    // Alertmanager takes a moment; long enough for a second caller to arrive meanwhile.
    await new Promise((r) => setTimeout(r, 50));
    this.created.push(req);
    const id = req.id ?? `s${this.created.length}`;
    this.held.set(id, req.comment);
    if (this.dieAfterCreate) throw new Error('process died');
    return id;
  }
  async expire(_url: string, id: string): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    this.expired.push(id);
    this.held.delete(id);
  }
  async findByComment(_url: string, marker: string): Promise<string | undefined> {
    return [...this.held].find(([, comment]) => comment.includes(marker))?.[0];
  }
}

const config = (): AlertsConfig =>
  ({
    integrations: [{ id: 'am', kind: 'alertmanager', tokenEnv: 'X', teams: [], silences: { url: 'http://am', onAck: true, onSnooze: true, ackMinutes: 60, maintenance: true, envLabel: 'environment' } }],
    routes: [],
    ackTimeoutSeconds: { high: 300, low: 1800 },
    snoozeMinutes: 30,
    maxBodyBytes: 1 << 20,
  }) as AlertsConfig;

const NOW = new Date('2030-01-01T10:00:00Z');

function setup(silencer: Silencer, cfg: () => AlertsConfig = config) {
  const handlers = new Map<string, (d: unknown) => Promise<void>>();
  const scheduled: unknown[] = [];
  const timerIds: string[] = [];
  const scheduler = {
    handle: (kind: string, _schema: unknown, fn: (d: unknown) => Promise<void>) => handlers.set(kind, fn),
    at: async (_k: string, id: string, _when: Date, data: unknown) => {
      timerIds.push(id);
      scheduled.push(data);
    },
  } as unknown as Scheduler;
  const store = createMaintenanceSilenceStore(env.redis);
  const m = createMaintenanceSilences({ config: cfg, silencer, store, scheduler, log: silentLogger, clock: () => NOW });
  return { m, store, scheduled, timerIds, run: (data: unknown) => handlers.get('alert-maintenance')!(data) };
}

const notice = (id: string, patch: Partial<MaintenanceNotice> = {}): MaintenanceNotice => ({
  id,
  env: 'prod',
  kind: 'maintenance',
  status: 'scheduled',
  summary: 'DB upgrade',
  components: [],
  start: '2030-01-01T12:00:00.000Z',
  end: '2030-01-01T14:00:00.000Z',
  rootRevision: 1,
  ...patch,
});

describe('maintenance silences', () => {
  it('creates one silence whatever runs twice, at once or late, then moves and lifts that one', async () => {
    const silencer = new CountingSilencer();
    const { m, store, scheduled, run } = setup(silencer);
    await m.windowChanged(notice('101'));
    const [first] = scheduled;
    // The same timer twice, and two processes at once.
    await Promise.all([run(first), run(first)]);
    await run(first);
    expect(silencer.created).toHaveLength(1);
    expect(silencer.created[0]).toMatchObject({ matchers: { environment: 'prod' }, startsAt: new Date('2030-01-01T12:00:00.000Z'), endsAt: new Date('2030-01-01T14:00:00.000Z') });
    expect(await store.get('101', 'am')).toMatchObject({ silenceId: 's1', revision: 1, lifted: false });

    // Extended: the same silence is replaced in place (its id is sent along).
    await m.windowChanged(notice('101', { end: '2030-01-01T15:00:00.000Z', rootRevision: 2 }));
    await run(scheduled[1]);
    expect(silencer.created).toHaveLength(2);
    expect(silencer.created[1]).toMatchObject({ id: 's1', endsAt: new Date('2030-01-01T15:00:00.000Z') });

    // The first change's timer, arriving late, changes nothing.
    await run(first);
    expect(silencer.created).toHaveLength(2);

    await m.windowChanged(notice('101', { status: 'cancelled', end: '2030-01-01T15:00:00.000Z', rootRevision: 3 }));
    await Promise.all([run(scheduled[2]), run(scheduled[2])]);
    expect(silencer.expired).toEqual(['s1']);
    expect(await store.get('101', 'am')).toMatchObject({ lifted: true, revision: 3 });
  });

  it('silences only the components a notice names when a component label is configured', async () => {
    const silencer = new CountingSilencer();
    const withComponents = () => {
      const c = config();
      c.integrations[0]!.silences!.componentLabel = 'service';
      return c;
    };
    const handlers = new Map<string, (d: unknown) => Promise<void>>();
    const scheduler = { handle: (k: string, _s: unknown, fn: (d: unknown) => Promise<void>) => handlers.set(k, fn), at: async (_k: string, _i: string, _w: Date, d: unknown) => handlers.get('alert-maintenance')!(d) } as unknown as Scheduler;
    const m = createMaintenanceSilences({ config: withComponents, silencer, store: createMaintenanceSilenceStore(env.redis), scheduler, log: silentLogger, clock: () => NOW });
    await m.windowChanged(notice('102', { components: ['api', 'db.main'] }));
    expect(silencer.created[0]).toMatchObject({ matchers: { environment: 'prod' }, regexMatchers: { service: 'api|db\\.main' } });
  });

  it('ignores other notice kinds and windows already over, and retries an unreachable Alertmanager', async () => {
    const silencer = new CountingSilencer();
    const { m, store, scheduled, run } = setup(silencer);
    await m.windowChanged(notice('103', { kind: 'outage' }));
    expect(scheduled).toHaveLength(0);
    await m.windowChanged(notice('104', { end: '2030-01-01T09:00:00.000Z', start: '2030-01-01T08:00:00.000Z' }));
    await run(scheduled[0]);
    expect(silencer.created).toHaveLength(0);

    silencer.down = true;
    await m.windowChanged(notice('105'));
    await expect(run(scheduled[1])).rejects.toThrow(/not up to date in am/);
    expect((await store.get('105', 'am'))?.silenceId).toBeUndefined();
    silencer.down = false;
    await run(scheduled[1]);
    expect(silencer.created).toHaveLength(1);
  });

  it('adopts the silence a run created but died before recording, instead of making a second one', async () => {
    const silencer = new CountingSilencer();
    const { m, store, scheduled, run } = setup(silencer);
    await m.windowChanged(notice('106'));
    silencer.dieAfterCreate = true;
    await expect(run(scheduled[0])).rejects.toThrow();
    silencer.dieAfterCreate = false;
    await run(scheduled[0]);
    // The retry edits the silence Alertmanager already holds: still one silence.
    expect(silencer.held.size).toBe(1);
    expect(silencer.created.map((c) => c.id)).toEqual([undefined, 's1']);
    expect(await store.get('106', 'am')).toMatchObject({ silenceId: 's1', lifted: false });
  });

  it('catches up at start or reload: open windows get a silence, closed or other ones do not, and a newer change is never undone', async () => {
    const silencer = new CountingSilencer();
    let on = false;
    const switchable = () => {
      const c = config();
      c.integrations[0]!.silences!.maintenance = on;
      return c;
    };
    const { m, store, scheduled, timerIds, run } = setup(silencer, switchable);
    const open = [
      notice('201'),
      notice('202', { status: 'in-progress', start: '2030-01-01T09:00:00.000Z' }),
      notice('203', { start: '2030-01-01T07:00:00.000Z', end: '2030-01-01T09:00:00.000Z' }),
      notice('204', { kind: 'outage', start: undefined, end: undefined }),
    ];
    // Confirmed while no integration silenced maintenance: nothing is queued, now or at a catch-up.
    await m.windowChanged(open[0]!);
    expect(await m.catchUp(async () => open)).toBe(0);
    expect(scheduled).toHaveLength(0);

    on = true;
    expect(await m.catchUp(async () => open)).toBe(2);
    // Under their own timer ids: a catch-up must not replace a pending change of the same notice.
    expect(timerIds).toEqual(['201.catch-up', '202.catch-up']);
    for (const d of scheduled) await run(d);
    expect(silencer.created.map((c) => c.comment)).toEqual(['Maintenance: DB upgrade (Day2 notice 201)', 'Maintenance: DB upgrade (Day2 notice 202)']);

    // A second reload changes nothing in Alertmanager.
    await m.catchUp(async () => open);
    for (const d of scheduled.slice(2)) await run(d);
    expect(silencer.created).toHaveLength(2);

    // A catch-up that read revision 1 runs after the cancellation (revision 2) was applied: it is skipped.
    const stale = scheduled[0];
    await m.windowChanged(notice('201', { status: 'cancelled', rootRevision: 2 }));
    await run(scheduled.at(-1));
    await run(stale);
    expect(silencer.expired).toEqual(['s1']);
    expect(silencer.created).toHaveLength(2);
    expect(await store.get('201', 'am')).toMatchObject({ lifted: true, revision: 2 });
  });
});
