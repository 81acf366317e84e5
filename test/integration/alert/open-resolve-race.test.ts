/**
 * Two Day2 processes share the alert stores: one is opening a group's page (reading who is on
 * duty, then storing it) when the other applies the group's resolve, finds no page yet and lets
 * it be. The opening process must notice once it has stored the page and resolve it, or the page
 * would stay open and escalate for good. Real Redis stores; the rest of paging is stood in for.
 */
import { describe, expect, it } from 'vitest';
import type { Integration } from '../../../src/domain/alert/config.js';
import type { NormalizedAlert } from '../../../src/domain/alert/model.js';
import { silentLogger } from '../../../src/log.js';
import { createPaging } from '../../../src/services/alert/paging.js';
import type { PageEvent } from '../../../src/services/alert/ingest.js';
import { ESCALATE_TIMER, type PagingDeps } from '../../../src/services/alert/types.js';
import { createAlertGroupStore } from '../../../src/store/alert/groups.js';
import { createAlertPageStore, type AlertPageStore } from '../../../src/store/alert/pages.js';
import { useRedisEnv } from '../../support/redis-env.js';

const db = useRedisEnv();

const NOW = new Date('2030-01-01T10:00:00Z');
const integration = { id: 'am', kind: 'alertmanager', tokenEnv: 'X', teams: [] } as unknown as Integration;
const route = { team: 'payments', urgency: 'high' as const, unmatched: false };
const alert = (status: 'firing' | 'resolved'): NormalizedAlert => ({ groupKey: 'g-race', fingerprint: 'f1', status, labels: { alertname: 'DiskFull', team: 'payments' }, annotations: {}, startsAt: '2030-01-01T09:59:00Z' });

function processWith(pages: AlertPageStore) {
  const groups = createAlertGroupStore(db.env.redis);
  const timers: string[] = [];
  const deps = {
    config: () => ({ ackTimeoutSeconds: { high: 300, low: 1800 }, integrations: [] }),
    groups,
    pages,
    oncall: { entryForTeam: () => undefined, team: () => ({ id: 'payments', name: 'Payments', managers: [], members: [] }) },
    scheduler: {
      handle: () => undefined,
      at: async (kind: string, id: string) => void timers.push(`at ${kind}:${id}`),
      cancel: async (kind: string, id: string) => (timers.push(`cancel ${kind}:${id}`), true),
    },
    deliveries: { enqueue: async () => undefined },
    renderer: { render: () => ({ text: 'page' }) },
    platforms: () => new Set(),
    silencer: {},
    log: silentLogger,
    clock: () => NOW,
  } as unknown as PagingDeps;
  return { paging: createPaging(deps), groups, timers };
}

describe('a page opening while another process resolves its group', () => {
  it('is resolved by the opening process once stored, and its escalation timer is cancelled', async () => {
    const store = createAlertPageStore(db.env.redis);
    const other = processWith(store);
    let raced = false;
    // The other process applies the resolve just before this one stores the page.
    const racing: AlertPageStore = {
      ...store,
      async put(id, page) {
        if (!raced) {
          raced = true;
          const change = await other.groups.apply('am', 'g-race', [alert('resolved')], NOW);
          expect(change.resolved).toBe(true);
          await other.paging.onPage({ integration, change, route });
          expect(await store.get(id)).toBeUndefined();
        }
        return store.put(id, page);
      },
    };
    const opening = processWith(racing);
    const change = await opening.groups.apply('am', 'g-race', [alert('firing')], NOW);
    expect(change.opened).toBe(true);
    await opening.paging.onPage({ integration, change, route } as PageEvent);
    const page = (await store.get(change.pageId))!.value;
    expect(page.resolvedAt).toBe(NOW.toISOString());
    expect(page.resolvedBy).toBe('source');
    expect(opening.timers.at(-1)).toBe(`cancel ${ESCALATE_TIMER}:${change.pageId}`);
  });
});
