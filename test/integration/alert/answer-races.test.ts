/**
 * Two people answer the same page at the same moment (two Acknowledge presses, two Resolves):
 * the page as stored decides, so exactly one answer is taken and one Alertmanager silence made;
 * the other person is told who answered first. Real page store; Alertmanager and
 * the platforms are stood in for.
 */
import { describe, expect, it } from 'vitest';
import type { InputError } from '../../../src/errors.js';
import type { Paging } from '../../../src/services/alert/paging.js';
import { createResponses } from '../../../src/services/alert/responses.js';
import type { PagingDeps } from '../../../src/services/alert/types.js';
import { createAlertPageStore } from '../../../src/store/alert/pages.js';
import { alertPage } from '../../support/alert-page.js';
import { useRedisEnv } from '../../support/redis-env.js';

const db = useRedisEnv();
const NOW = new Date('2030-01-01T10:00:00Z');

function respondTo() {
  const pages = createAlertPageStore(db.env.redis);
  const silences: string[] = [];
  const deps = {
    pages,
    oncall: { team: () => ({ id: 'payments', name: 'Payments', members: ['alice', 'bob'], managers: [] }), entryForTeam: () => undefined },
    groups: { alerts: async () => [{ labels: { alertname: 'DiskFull', team: 'payments' } }], closeByHand: async () => undefined },
    config: () => ({ snoozeMinutes: 30, integrations: [{ id: 'am', silences: { url: 'http://am', onAck: true, onSnooze: true, ackMinutes: 60 } }] }),
    silencer: {
      create: async (req: { comment: string }) => {
        // Alertmanager takes a moment: long enough for the other press to arrive.
        await new Promise((r) => setTimeout(r, 30));
        silences.push(req.comment);
        return `s${silences.length}`;
      },
    },
    scheduler: { at: async () => undefined, cancel: async () => true },
    metrics: { timeToAck: { observe: () => undefined } },
    log: { warn: () => undefined },
  } as unknown as PagingDeps;
  const paging = { publish: async () => undefined, closed: async () => undefined } as unknown as Paging;
  return { pages, silences, respond: createResponses(deps, paging, async () => undefined) };
}

describe('two answers to one page at once', () => {
  it('takes one Acknowledge, makes one silence, and tells the other who was first', async () => {
    const { pages, silences, respond } = respondTo();
    await pages.put('p-ack', alertPage('p-ack'));
    const results = await Promise.allSettled([respond('p-ack', 'ack', { person: 'alice', isAdmin: false }, NOW), respond('p-ack', 'ack', { person: 'bob', isAdmin: false }, NOW)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const page = (await pages.get('p-ack'))!.value;
    const refused = results.find((r) => r.status === 'rejected')!;
    // The first one's name, as the platform shows people (a mention in the answer).
    expect((refused.reason as InputError).parts).toEqual(['Page p-ack is already acknowledged by ', { mention: `person:${page.ackedBy}` }, '.']);
    expect(silences).toEqual([`Acknowledged by ${page.ackedBy} (Day2 page p-ack)`]);
    expect(page.silenceIds).toEqual(['s1']);
  });

  it('takes one Resolve; the other is told it is resolved already', async () => {
    const { pages, respond } = respondTo();
    await pages.put('p-res', alertPage('p-res'));
    const results = await Promise.allSettled([respond('p-res', 'resolve', { person: 'alice', isAdmin: false }, NOW), respond('p-res', 'resolve', { person: 'bob', isAdmin: false }, NOW)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(String(results.find((r) => r.status === 'rejected')!.reason)).toContain('Page p-res is already resolved.');
    const page = (await pages.get('p-res'))!.value;
    expect(page.revision).toBe(2);
  });
});
