/** Routing rules, escalation order and who may answer a page: the pure rules. */
import { describe, expect, it } from 'vitest';
import { alertsConfig } from '../../../../src/domain/alert/config.js';
import { firstRecipients, mayAnswerPage, nextEscalation } from '../../../../src/domain/alert/escalation.js';
import { routeAlert } from '../../../../src/domain/alert/routing.js';

const cfg = alertsConfig.parse({
  defaultTeam: 'ops',
  routes: [
    { match: { team: 'payments', env: 'prod', severity: '/critical|page/' }, team: 'payments', urgency: 'high' },
    { match: { team: 'payments' }, team: 'payments', urgency: 'low' },
    { match: { service: '/db-.*/' }, team: 'data' },
  ],
});

describe('routeAlert', () => {
  it('takes the first rule whose every matcher matches; regexes are anchored', () => {
    expect(routeAlert(cfg, { team: 'payments', env: 'prod', severity: 'critical' })).toEqual({ team: 'payments', urgency: 'high', unmatched: false });
    expect(routeAlert(cfg, { team: 'payments', env: 'prod', severity: 'critical-ish' })).toEqual({ team: 'payments', urgency: 'low', unmatched: false });
    expect(routeAlert(cfg, { service: 'db-main' }).team).toBe('data');
    expect(routeAlert(cfg, { service: 'my-db-main' })).toEqual({ team: 'ops', urgency: 'high', unmatched: true });
  });

  it("skips routes to teams the integration may not page", () => {
    expect(routeAlert(cfg, { team: 'payments' }, ['data']).unmatched).toBe(true);
  });

  it('refuses a broken regular expression in the config', () => {
    expect(alertsConfig.safeParse({ routes: [{ match: { a: '/(/' }, team: 'x' }] }).success).toBe(false);
  });
});

describe('escalation order', () => {
  it('goes layer by layer to people not paged yet, then to the managers, then stops', () => {
    expect(nextEscalation(['bob', 'carol', 'dave'], 0, ['bob'], ['alice'])).toEqual({ layer: 1, to: ['carol'] });
    expect(nextEscalation(['bob', 'bob', undefined], 0, ['bob'], ['alice'])).toEqual({ layer: 'managers', to: ['alice'] });
    expect(nextEscalation(['bob'], 'managers', ['bob', 'alice'], ['alice'])).toBeUndefined();
    expect(nextEscalation(['bob'], 0, ['bob'], [])).toBeUndefined();
  });

  it('pages the managers at once when nobody is on duty', () => {
    expect(firstRecipients([undefined, undefined], ['alice'])).toEqual({ step: { layer: 'managers', to: ['alice'] }, nobodyOnDuty: true });
    expect(firstRecipients([undefined, 'carol'], ['alice'])).toEqual({ step: { layer: 1, to: ['carol'] }, nobodyOnDuty: false });
  });

  it('lets members, managers, layer holders and admins answer, nobody else', () => {
    const who = { members: ['bob'], managers: ['alice'], layerHolders: ['guest'], isAdmin: false };
    expect(['bob', 'alice', 'guest', 'eve', undefined].map((p) => mayAnswerPage(p, who))).toEqual([true, true, true, false, false]);
    expect(mayAnswerPage(undefined, { ...who, isAdmin: true })).toBe(true);
  });
});
