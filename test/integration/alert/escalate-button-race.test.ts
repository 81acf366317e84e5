/**
 * Two people press Escalate on the same page at once: the one whose step lost the race is told
 * the page changed under them, not that it "has reached everyone it can" (which would be false).
 * Real page store; the escalation step itself is stood in for.
 */
import { describe, expect, it } from 'vitest';
import { createResponses } from '../../../src/services/alert/responses.js';
import type { Paging } from '../../../src/services/alert/paging.js';
import type { PagingDeps } from '../../../src/services/alert/types.js';
import { createAlertPageStore, type AlertPage } from '../../../src/store/alert/pages.js';
import { alertPage } from '../../support/alert-page.js';
import { useRedisEnv } from '../../support/redis-env.js';

const db = useRedisEnv();

const NOW = new Date('2030-01-01T10:00:00Z');

function respondWith(onEscalate: (p: AlertPage) => Promise<void>) {
  const pages = createAlertPageStore(db.env.redis);
  const deps = {
    pages,
    oncall: { team: () => ({ id: 'payments', name: 'Payments', members: ['alice', 'bob'], managers: [] }), entryForTeam: () => undefined },
  } as unknown as PagingDeps;
  const escalate = async (p: AlertPage) => {
    await onEscalate(p);
    return undefined;
  };
  return { pages, respond: createResponses(deps, {} as Paging, escalate) };
}

describe('Escalate pressed when no step is taken', () => {
  it('says the page changed when another step landed first', async () => {
    // The other press's step is stored while this one's was being worked out.
    const { pages, respond } = respondWith(async (p) => void (await pages.update(p.id, (x) => ({ ...x, steps: [...x.steps, { at: NOW.toISOString(), to: ['alice'], layer: 1 }], revision: x.revision + 1 }))));
    await pages.put('p-race', alertPage('p-race'));
    await expect(respond('p-race', 'escalate', { person: 'bob', isAdmin: false }, NOW)).rejects.toThrow('Page p-race changed a moment ago (someone else escalated, acknowledged or resolved it): look at the page again before escalating.');
  });

  it('says nobody is left when nothing changed', async () => {
    const { pages, respond } = respondWith(async () => undefined);
    await pages.put('p-end', alertPage('p-end'));
    await expect(respond('p-end', 'escalate', { person: 'bob', isAdmin: false }, NOW)).rejects.toThrow('Page p-end has reached everyone it can');
  });
});
