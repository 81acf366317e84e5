import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config.js';
import { DEFAULT_CHECKLIST, envPolicy } from '../../../../src/domain/release/config.js';

const base = `
people: [{ id: olga, name: Olga }]
environments: [{ id: prod, name: Production }]
`;

describe('releases config', () => {
  it('defaults to the shipped policy: 8 checklist items, RelE/owner/PRE sign-offs, 7d/1d/1h reminders', () => {
    const r = parseConfig(base);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.config.releases.checklist.map((i) => i.id)).toEqual(DEFAULT_CHECKLIST.map((i) => i.id));
    expect(r.config.releases.checklist).toHaveLength(8);
    expect(r.config.releases.signoffs).toEqual(['rele', 'owner', 'pre']);
    expect(r.config.releases.reminders).toEqual(['7d', '1d', '1h']);
    const p = envPolicy(r.config.releases, 'prod');
    expect(p.spacingMs).toBe(24 * 3_600_000);
    expect(p.hours).toEqual({ weekdays: [1, 2, 3, 4], from: { hour: 9, minute: 0 }, to: { hour: 16, minute: 0 } });
  });

  it('applies per-environment overrides', () => {
    const r = parseConfig(`${base}
releases:
  environments: [{ env: prod, hours: { days: [tue], from: "10:00", to: "12:30" }, spacing: 2d }]
`);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(envPolicy(r.config.releases, 'prod')).toEqual({ hours: { weekdays: [2], from: { hour: 10, minute: 0 }, to: { hour: 12, minute: 30 } }, spacingMs: 48 * 3_600_000 });
  });

  it('reports every bad reference and value with its path', () => {
    const r = parseConfig(`${base}
releases:
  apps: [{ id: pay, name: Pay, owners: [nobody], team: ghosts }]
  hours: { from: "16:00", to: "09:00" }
  spacing: soon
  environments: [{ env: nowhere }]
  recurringFreezes:
    - { id: a, reason: x, rrule: "FREQ=BOGUS", environments: [nowhere] }
    - { id: b, reason: y }
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'releases.hours',
        'releases.spacing',
        'releases.recurringFreezes[1]',
      ]),
    );
    const text = r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(text).toMatch(/from.*earlier than.*to/);
    expect(text).toMatch(/"soon" is not a duration/);
    expect(text).toMatch(/exactly one of "every" or "rrule"/);
  });

  it('cross-references: owners, teams, environments, rules', () => {
    const r = parseConfig(`${base}
releases:
  apps: [{ id: pay, name: Pay, owners: [nobody], team: ghosts }]
  environments: [{ env: nowhere }]
  recurringFreezes:
    - { id: a, reason: x, rrule: "FREQ=BOGUS", environments: [nowhere] }
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(text).toContain('releases.apps[0].owners[0]: unknown person "nobody"');
    expect(text).toContain('releases.apps[0].team: unknown team "ghosts"');
    expect(text).toContain('releases.environments[0].env: unknown environment "nowhere"');
    expect(text).toContain('releases.recurringFreezes[0].environments[0]: unknown environment "nowhere"');
    expect(text).toMatch(/releases\.recurringFreezes\[0\]\.rrule: .*has no FREQ/);
  });
});
