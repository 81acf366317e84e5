/**
 * A stored alert page as the alert integration tests start from: payments' high-urgency page of
 * group g1 from the `am` integration, paged to bob at 09:50 on 2030-01-01, nothing else yet.
 * Each test patches what it is about (steps, snooze, acknowledgement, handovers).
 */
import type { AlertPage } from '../../src/store/alert/pages.js';

export function alertPage(id: string, patch: Partial<AlertPage> = {}): AlertPage {
  return {
    id,
    groupId: 'g1',
    integrationId: 'am',
    team: 'payments',
    urgency: 'high',
    unmatched: false,
    createdAt: '2030-01-01T09:50:00.000Z',
    assignee: 'bob',
    notified: ['bob'],
    steps: [{ at: '2030-01-01T09:50:00.000Z', to: ['bob'], layer: 0 }],
    silenceIds: [],
    handovers: [],
    revision: 1,
    ...patch,
  };
}
