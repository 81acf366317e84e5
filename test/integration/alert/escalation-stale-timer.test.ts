/**
 * The escalation timer fired with the step count of an earlier read. Timers share the page's id
 * and the last call wins, so a handoff's timer call made from an older read can replace the one
 * a newer step set; that timer must set itself again for the page as stored, or escalation of
 * the page would stop for good.
 */
import { describe, expect, it } from 'vitest';
import type { Scheduler } from '../../../src/delivery/scheduler.js';
import { silentLogger } from '../../../src/log.js';
import { createEscalation } from '../../../src/services/alert/escalation.js';
import type { Paging } from '../../../src/services/alert/paging.js';
import { ESCALATE_TIMER, type PagingDeps } from '../../../src/services/alert/types.js';
import { createAlertPageStore, type AlertPage } from '../../../src/store/alert/pages.js';
import { alertPage } from '../../support/alert-page.js';
import { useRedisEnv } from '../../support/redis-env.js';

const db = useRedisEnv();

const NOW = new Date('2030-01-01T10:00:00Z');
const TIMEOUT = 300_000;

const page = (id: string, patch: Partial<AlertPage> = {}): AlertPage =>
  alertPage(id, {
    notified: ['bob', 'alice'],
    // Paged at 09:50, escalated to the second layer at 09:58.
    steps: [
      { at: '2030-01-01T09:50:00.000Z', to: ['bob'], layer: 0 },
      { at: '2030-01-01T09:58:00.000Z', to: ['alice'], layer: 1 },
    ],
    revision: 3,
    ...patch,
  });

function setup() {
  const pages = createAlertPageStore(db.env.redis);
  let handler: ((data: unknown) => Promise<void>) | undefined;
  const timers: { id: string; when: Date; data: unknown }[] = [];
  const scheduler = {
    handle: (kind: string, _schema: unknown, fn: (d: unknown) => Promise<void>) => void (kind === ESCALATE_TIMER && (handler = fn)),
    at: async (_kind: string, id: string, when: Date, data: unknown) => void timers.push({ id, when, data }),
  } as unknown as Scheduler;
  const published: AlertPage[] = [];
  const paging = { publish: async (p: AlertPage) => void published.push(p), timeoutMs: () => TIMEOUT } as unknown as Paging;
  createEscalation({ pages, scheduler, clock: () => NOW, log: silentLogger } as unknown as PagingDeps, paging);
  return { pages, timers, published, fire: (id: string, steps: number) => handler!({ id, steps }) };
}

describe('an escalation timer set for an earlier step', () => {
  it('sets itself again for the step the page is at, due a timeout after that step, and takes no step now', async () => {
    const { pages, timers, published, fire } = setup();
    await pages.put('p-stale', page('p-stale'));
    await fire('p-stale', 1);
    expect(timers).toEqual([{ id: 'p-stale', when: new Date(Date.parse('2030-01-01T09:58:00.000Z') + TIMEOUT), data: { id: 'p-stale', steps: 2 } }]);
    expect((await pages.get('p-stale'))!.value.steps).toHaveLength(2);
    expect(published).toEqual([]);
  });

  it('counts from a later handoff, fires at once when that time has passed, and leaves acknowledged and resolved pages alone', async () => {
    const { pages, timers, fire } = setup();
    await pages.put('p-moved', page('p-moved', { handovers: [{ at: '2030-01-01T09:59:00.000Z', from: 'bob', to: 'carol' }] }));
    await fire('p-moved', 1);
    expect(timers.at(-1)).toEqual({ id: 'p-moved', when: new Date(Date.parse('2030-01-01T09:59:00.000Z') + TIMEOUT), data: { id: 'p-moved', steps: 2 } });

    await pages.put('p-late', page('p-late', { steps: [{ at: '2030-01-01T09:00:00.000Z', to: ['bob'], layer: 0 }, { at: '2030-01-01T09:01:00.000Z', to: ['alice'], layer: 1 }] }));
    await fire('p-late', 1);
    expect(timers.at(-1)).toEqual({ id: 'p-late', when: NOW, data: { id: 'p-late', steps: 2 } });

    const before = timers.length;
    await pages.put('p-acked', page('p-acked', { ackedAt: '2030-01-01T09:59:00.000Z', ackedBy: 'alice' }));
    await pages.put('p-resolved', page('p-resolved', { resolvedAt: '2030-01-01T09:59:00.000Z' }));
    await fire('p-acked', 1);
    await fire('p-resolved', 1);
    expect(timers).toHaveLength(before);
  });
});
