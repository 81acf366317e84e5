import { describe, expect, it } from 'vitest';
import type { Role } from '../../../../src/config.js';
import { DEFAULT_CHECKLIST } from '../../../../src/domain/release/config.js';
import { missing, ReadinessError, settle, signOff, tick, type Who } from '../../../../src/domain/release/readiness.js';
import type { Release } from '../../../../src/domain/release/release.js';
import { releaseStats } from '../../../../src/domain/release/stats.js';

const base: Release = {
  id: 'R1',
  app: 'pay',
  version: '1.2.0',
  env: 'prod',
  start: '2026-12-07T10:00:00.000Z',
  end: '2026-12-07T12:00:00.000Z',
  status: 'proposed',
  proposedBy: 'person:rex',
  proposedAt: '2026-12-01T10:00:00.000Z',
  checks: {},
  signoffs: {},
  history: [],
  origin: { platform: 'slack', channelId: 'C1' },
  participants: [],
};
const scope = { owners: ['olga'], pres: ['pat'] };
const who = (personId: string, roles: Role[] = []): Who => ({ ref: `person:${personId}`, personId, roles: new Set(roles) });
const rex = who('rex', ['rele']);
const olga = who('olga');
const pat = who('pat', ['pre']);
const otherPre = who('quinn', ['pre']);
const now = new Date('2026-12-02T10:00:00Z');

describe('checklist ticks', () => {
  const cases: { name: string; item: string; who: Who; ok: boolean }[] = [
    { name: 'RelE ticks the demo', item: 'demo', who: rex, ok: true },
    { name: 'owner may not tick the demo', item: 'demo', who: olga, ok: false },
    { name: 'owner ticks manifests', item: 'manifests', who: olga, ok: true },
    { name: 'PRE of the environment ticks target services', item: 'target-services', who: pat, ok: true },
    { name: 'a PRE of another environment may not', item: 'target-services', who: otherPre, ok: false },
    { name: 'the owner may not tick target services', item: 'target-services', who: olga, ok: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      if (c.ok) {
        const r = tick(base, DEFAULT_CHECKLIST, c.item, c.who, scope, now);
        expect(r.checks[c.item]).toEqual({ by: c.who.ref, at: now.toISOString() });
      } else {
        expect(() => tick(base, DEFAULT_CHECKLIST, c.item, c.who, scope, now)).toThrow(ReadinessError);
      }
    });
  }
  it('refuses an unknown item and a second tick', () => {
    expect(() => tick(base, DEFAULT_CHECKLIST, 'nope', rex, scope, now)).toThrow(/not on the checklist/);
    const once = tick(base, DEFAULT_CHECKLIST, 'demo', rex, scope, now);
    expect(() => tick(once, DEFAULT_CHECKLIST, 'demo', rex, scope, now)).toThrow(/already ticked/);
    // Who and when stay a person and an instant, for the reader's names and zone (never an id or ISO text).
    let refusal: ReadinessError | undefined;
    try {
      tick(once, DEFAULT_CHECKLIST, 'demo', rex, scope, now);
    } catch (e) {
      refusal = e as ReadinessError;
    }
    expect(refusal?.parts).toEqual([expect.stringContaining('was already ticked by '), { mention: rex.ref }, ', ', now, '.']);
  });
});

describe('sign-offs and confirmation', () => {
  const required = ['rele', 'owner', 'pre'] as const;
  it('picks the role the signer holds, refuses signing twice and roles they do not hold', () => {
    const a = signOff(base, [...required], rex, scope, now);
    expect(a.role).toBe('rele');
    expect(() => signOff(a.release, [...required], rex, scope, now)).toThrow(/already signed/);
    expect(() => signOff(a.release, [...required], otherPre, scope, now, 'pre')).toThrow(/cannot sign as PRE/);
    const b = signOff(a.release, [...required], olga, scope, now);
    expect(b.role).toBe('owner');
    expect(missing(b.release, DEFAULT_CHECKLIST, [...required]).signoffs).toEqual(['pre']);
  });

  it('confirms only when checklist and sign-offs are complete and nothing conflicts', () => {
    let r = base;
    for (const item of DEFAULT_CHECKLIST) r = tick(r, DEFAULT_CHECKLIST, item.id, item.roles.includes('rele') ? rex : pat, scope, now);
    for (const w of [rex, olga, pat]) r = signOff(r, [...required], w, scope, now).release;
    const m = missing(r, DEFAULT_CHECKLIST, [...required]);
    expect(m.items).toEqual([]);
    expect(m.signoffs).toEqual([]);
    expect(settle(r, true, false, 'bot', now).status).toBe('proposed');
    const confirmed = settle(r, true, true, 'bot', now);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.confirmedAt).toBe(now.toISOString());
    expect(confirmed.history.at(-1)?.action).toBe('confirmed');
    expect(settle(confirmed, false, true, 'bot', now).status).toBe('proposed');
  });

  it('refuses changes on a cancelled release', () => {
    expect(() => tick({ ...base, status: 'cancelled' }, DEFAULT_CHECKLIST, 'demo', rex, scope, now)).toThrow(/cancelled/);
  });
});

describe('releaseStats', () => {
  it('computes the release-health indicators', () => {
    const mk = (id: string, result: 'success' | 'rolled-back' | 'failed' | undefined, bugs: number, confirmedAfterH?: number): Release => ({
      ...base,
      id,
      status: result ? 'done' : 'cancelled',
      ...(confirmedAfterH !== undefined ? { confirmedAt: new Date(Date.parse(base.proposedAt) + confirmedAfterH * 3_600_000).toISOString() } : {}),
      ...(result ? { outcome: { result, openBugs: bugs, by: 'person:rex', at: base.end } } : {}),
    });
    const s = releaseStats([mk('R1', 'success', 2, 24), mk('R2', 'success', 0, 48), mk('R3', 'rolled-back', 4), mk('R4', undefined, 0)]);
    expect(s).toMatchObject({ total: 4, withOutcome: 3, cancelled: 1, successes: 2, rollbacks: 1, failures: 0, openBugsTotal: 6, openBugsMean: 2, leadTimeHoursMean: 144, confirmHoursMean: 36 });
    expect(s.successShare).toBeCloseTo(2 / 3);
    expect(releaseStats([]).successShare).toBeUndefined();
  });
});
