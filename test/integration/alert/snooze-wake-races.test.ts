/**
 * The escalation timer waking a snoozed page, against the real page store: whatever lands
 * between the timer reading the page and writing it back (a Resolve, an Acknowledge, a handoff
 * moving the page, from another process or this one) is kept, not written over with what the
 * timer read.
 */
import { describe, expect, it } from 'vitest';
import type { AlertsConfig } from '../../../src/domain/alert/config.js';
import type { Scheduler } from '../../../src/delivery/scheduler.js';
import { silentLogger } from '../../../src/log.js';
import { createEscalation } from '../../../src/services/alert/escalation.js';
import type { Paging } from '../../../src/services/alert/paging.js';
import { ESCALATE_TIMER, type PagingDeps } from '../../../src/services/alert/types.js';
import { createAlertPageStore, type AlertPage, type AlertPageStore } from '../../../src/store/alert/pages.js';
import { alertPage } from '../../support/alert-page.js';
import { useRedisEnv } from '../../support/redis-env.js';

const db = useRedisEnv();

const NOW = new Date('2030-01-01T10:00:00Z');

const snoozedPage = (id: string): AlertPage =>
  alertPage(id, {
    createdAt: '2030-01-01T09:00:00.000Z',
    steps: [{ at: '2030-01-01T09:00:00.000Z', to: ['bob'], layer: 0 }],
    snoozedUntil: '2030-01-01T10:00:00.000Z',
    revision: 2,
  });

/** The escalation timer over the real store, with `meanwhile` run right after the timer reads the page. */
function setup(meanwhile: (pages: AlertPageStore, id: string) => Promise<unknown>) {
  const pages = createAlertPageStore(db.env.redis);
  let interfered = false;
  const racing: AlertPageStore = {
    ...pages,
    async get(id) {
      const read = await pages.get(id);
      if (!interfered) {
        interfered = true;
        await meanwhile(pages, id);
      }
      return read;
    },
  };
  let handler: ((data: unknown) => Promise<void>) | undefined;
  const timers: string[] = [];
  const scheduler = {
    handle: (kind: string, _schema: unknown, fn: (d: unknown) => Promise<void>) => void (kind === ESCALATE_TIMER && (handler = fn)),
    at: async (kind: string, id: string) => void timers.push(`${kind}:${id}`),
  } as unknown as Scheduler;
  const published: AlertPage[] = [];
  const paging = { publish: async (p: AlertPage) => void published.push(p), timeoutMs: () => 300_000 } as unknown as Paging;
  const config = () => ({ ackTimeoutSeconds: { high: 300, low: 1800 } }) as AlertsConfig;
  createEscalation({ pages: racing, scheduler, clock: () => NOW, config, log: silentLogger } as unknown as PagingDeps, paging);
  return { pages, timers, published, fire: (id: string) => handler!({ id, steps: 1 }) };
}

describe('a snoozed page waking up', () => {
  it('stays resolved when someone resolved it as the timer ran, and pages nobody', async () => {
    const { pages, timers, published, fire } = setup((p, id) => p.update(id, (page) => ({ ...page, resolvedAt: NOW.toISOString(), resolvedBy: 'alice', revision: page.revision + 1 })));
    await pages.put('p-resolved', snoozedPage('p-resolved'));
    await fire('p-resolved');
    const after = (await pages.get('p-resolved'))!.value;
    expect(after.resolvedAt).toBe(NOW.toISOString());
    expect(after.steps).toHaveLength(1);
    expect(published).toEqual([]);
    expect(timers).toEqual([]);
  });

  it('keeps a handoff that moved it meanwhile, and pages the new holder', async () => {
    const { pages, published, fire } = setup((p, id) =>
      p.update(id, (page) => ({ ...page, assignee: 'carol', notified: [...page.notified, 'carol'], handovers: [{ at: NOW.toISOString(), from: 'bob', to: 'carol' }], revision: page.revision + 1 })),
    );
    await pages.put('p-moved', snoozedPage('p-moved'));
    await fire('p-moved');
    const after = (await pages.get('p-moved'))!.value;
    expect(after.assignee).toBe('carol');
    expect(after.handovers.map((h) => h.to)).toEqual(['carol']);
    expect(after.snoozedUntil).toBeUndefined();
    expect(after.steps.at(-1)!.to).toEqual(['carol']);
    expect(published.map((p) => p.assignee)).toEqual(['carol']);
  });
});
