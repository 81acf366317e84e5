import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../../../src/cli/check-config.js';
import { parseConfig } from '../../../../src/config.js';
import { rotationOverlapWarnings } from '../../../../src/domain/oncall/overlap-warnings.js';

const config = (layers: string) => `
people:
  - { id: alice, name: Alice }
  - { id: bob, name: Bob }
  - { id: carol, name: Carol }
teams:
  - { id: payments, name: Payments, members: [alice, bob, carol] }
rotations:
  - id: pay
    team: payments
    timezone: Europe/London
    anchor: "2026-11-02 00:00"
    turn: 1d
    layers:
${layers}
`;

const FOLLOW_THE_SUN = `      - { name: emea, slot: primary, precedence: 1, members: [alice], restriction: { days: [mon, tue, wed, thu, fri, sat, sun], from: "06:00", to: "15:00" } }
      - { name: amer, slot: primary, precedence: 2, members: [bob], restriction: { days: [mon, tue, wed, thu, fri, sat, sun], from: "14:00", to: "23:00" } }`;

const warningsOf = (text: string, now = new Date('2026-11-23T00:00:00Z')) => {
  const parsed = parseConfig(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return rotationOverlapWarnings(parsed.config.rotations, parsed.config.timezone, now);
};

describe('rotation overlap warnings', () => {
  it('names the rotation, the two layers, how often and the first overlap in the rotation’s zone', () => {
    expect(warningsOf(config(FOLLOW_THE_SUN))).toEqual([
      'rotation pay: layers emea and amer cover the same slot 28 times in the next 28 days, first Mon 2026-11-23 14:00–15:00 (Europe/London); the layer with the lower precedence number decides who is on duty',
    ]);
  });

  it('says when one person is on duty in two layers at once', () => {
    const w = warningsOf(config(`      - { name: primary, precedence: 1, members: [alice] }
      - { name: secondary, precedence: 2, members: [alice, carol] }`));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^rotation pay: alice is on duty in layers primary and secondary at once 14 times in the next 28 days, first Tue 2026-11-24 00:00–Wed 2026-11-25 00:00 \(Europe\/London\)$/);
  });

  it('has nothing to say about layers that take turns', () => {
    expect(
      warningsOf(config(`      - { name: day, slot: primary, precedence: 1, members: [alice], restriction: { days: [mon, tue, wed, thu, fri, sat, sun], from: "08:00", to: "20:00" } }
      - { name: night, slot: primary, precedence: 2, members: [bob], restriction: { days: [mon, tue, wed, thu, fri, sat, sun], from: "20:00", to: "08:00" } }`)),
    ).toEqual([]);
  });

  it('check-config prints them as warnings and still passes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'day2-overlaps-'));
    try {
      const file = join(dir, 'day2.yaml');
      await writeFile(file, config(FOLLOW_THE_SUN));
      const lines: string[] = [];
      expect(await checkConfig(file, (l) => lines.push(l))).toBe(0);
      expect(lines[0]).toMatch(/^✔ .* is valid/);
      expect(lines.slice(1)).toEqual([expect.stringMatching(/^⚠ rotation pay: layers emea and amer cover the same slot/)]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
