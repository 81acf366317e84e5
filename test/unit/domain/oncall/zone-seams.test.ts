/**
 * Follow-the-sun across zones: a London layer 07:00–15:00 and a New York layer 10:00–18:00 of one
 * slot meet at 15:00Z in winter and 14:00Z in summer, and overlap 14:00–15:00Z in the weeks when only
 * one of the two zones has changed its clocks.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../../../src/cli/check-config.js';
import { parseConfig } from '../../../../src/config.js';
import { toConsoleText } from '../../../../src/render/console.js';
import { createRenderer } from '../../../../src/render/renderer.js';
import { toRotationDecl } from '../../../../src/domain/oncall/config.js';
import { rotationOverlapWarnings, rotationSeams, seamDates } from '../../../../src/domain/oncall/overlap-warnings.js';
import { resolveSchedule } from '../../../../src/domain/oncall/resolve.js';
import { dateRuns, findZoneSeams, groupSeams } from '../../../../src/domain/oncall/zone-seams.js';
import type { Restriction } from '../../../../src/domain/oncall/types.js';
import { at, input, layer, rotation, show } from './fixtures.js';

const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const hours = (from: number, to: number): Restriction => ({ weekdays: EVERY_DAY, from: { hour: from, minute: 0 }, to: { hour: to, minute: 0 } });

const followTheSun = rotation('Europe/London', [
  layer(['lea'], '2025-01-06 00:00', { name: 'london', slot: 'primary', precedence: 1, restriction: hours(7, 15) }),
  layer(['nate'], '2025-01-06 00:00', { name: 'new-york', slot: 'primary', precedence: 2, zone: 'America/New_York', restriction: hours(10, 18) }),
]);

const dayOf = (d: string): [Date, Date] => [at(`${d}T00:00:00Z`), at(`${d}T23:59:00Z`)];

describe('follow-the-sun layers in their own zones', () => {
  // date | London on duty (UTC) | New York on duty (UTC, after precedence) | overlap found
  const table: [string, string[], { start: string; end: string } | null][] = [
    ['2025-01-15', ['primary:lea@2025-01-15T07:00Z-2025-01-15T15:00Z', 'primary:nate@2025-01-15T15:00Z-2025-01-15T23:00Z'], null],
    ['2025-06-11', ['primary:lea@2025-06-11T06:00Z-2025-06-11T14:00Z', 'primary:nate@2025-06-11T14:00Z-2025-06-11T22:00Z'], null],
    ['2025-03-12', ['primary:lea@2025-03-12T07:00Z-2025-03-12T15:00Z', 'primary:nate@2025-03-12T15:00Z-2025-03-12T22:00Z'], { start: '2025-03-12T14:00:00Z', end: '2025-03-12T15:00:00Z' }],
    ['2025-10-29', ['primary:lea@2025-10-29T07:00Z-2025-10-29T15:00Z', 'primary:nate@2025-10-29T15:00Z-2025-10-29T22:00Z'], { start: '2025-10-29T14:00:00Z', end: '2025-10-29T15:00:00Z' }],
  ];

  it.each(table)('%s: each layer on its own clock; an overlap is found and precedence decides it', (date, segments, overlap) => {
    const [from, to] = dayOf(date);
    expect(show(resolveSchedule(input(followTheSun), from, to))).toEqual(segments);
    const seams = findZoneSeams(followTheSun, from, to);
    expect(seams).toEqual(overlap ? [{ kind: 'overlap', slot: 'primary', layers: ['london', 'new-york'], start: at(overlap.start), end: at(overlap.end), winner: 'london' }] : []);
  });

  it('a year of seams lists every DST-week date and no other', () => {
    const groups = groupSeams(findZoneSeams(followTheSun, at('2025-01-01T00:00:00Z'), at('2026-01-01T00:00:00Z')));
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ kind: 'overlap', layers: ['london', 'new-york'], winner: 'london', from: '14:00', to: '15:00' });
    // New York springs forward 9 March, London 30 March; London falls back 26 October, New York 2 November.
    expect(dateRuns(groups[0]!.dates)).toEqual([['2025-03-09', '2025-03-29'], ['2025-10-26', '2025-11-01']]);
  });

  it('the precedence rule is explicit: with New York first, its person holds the overlap hour', () => {
    const swapped = rotation('Europe/London', followTheSun.layers.map((l) => ({ ...l, precedence: l.name === 'london' ? 2 : 1 })));
    const [from, to] = dayOf('2025-03-12');
    expect(show(resolveSchedule(input(swapped), from, to))).toEqual(['primary:lea@2025-03-12T07:00Z-2025-03-12T14:00Z', 'primary:nate@2025-03-12T14:00Z-2025-03-12T22:00Z']);
    expect(findZoneSeams(swapped, from, to)[0]?.winner).toBe('new-york');
  });

  it('a seam that opens on DST weeks is a reported gap; the night nobody covers by design is not', () => {
    const decl = rotation('Europe/London', [
      layer(['nate'], '2025-01-06 00:00', { name: 'new-york', slot: 'primary', precedence: 1, zone: 'America/New_York', restriction: hours(2, 10) }),
      layer(['lea'], '2025-01-06 00:00', { name: 'london', slot: 'primary', precedence: 2, restriction: hours(15, 23) }),
    ]);
    expect(findZoneSeams(decl, ...dayOf('2025-01-15'))).toEqual([]);
    expect(findZoneSeams(decl, ...dayOf('2025-03-12'))).toEqual([{ kind: 'gap', slot: 'primary', layers: ['new-york', 'london'], start: at('2025-03-12T14:00:00Z'), end: at('2025-03-12T15:00:00Z') }]);
  });

  it('layers without a zone of their own keep the rotation’s', () => {
    const same = rotation('Europe/London', followTheSun.layers.map(({ zone: _zone, ...l }) => l));
    expect(findZoneSeams(same, ...dayOf('2025-03-12'))).toEqual([]);
  });
});

const CONFIG = `
people:
  - { id: lea, name: Lea }
  - { id: nate, name: Nate }
teams:
  - { id: payments, name: Payments, members: [lea, nate] }
rotations:
  - id: pay
    team: payments
    timezone: Europe/London
    anchor: "2025-01-06 00:00"
    turn: 1w
    layers:
      - { name: london, slot: primary, precedence: 1, members: [lea], restriction: { days: [mon, tue, wed, thu, fri], from: "07:00", to: "15:00" } }
      - { name: new-york, slot: primary, precedence: 2, timezone: America/New_York, members: [nate], restriction: { days: [mon, tue, wed, thu, fri], from: "10:00", to: "18:00" } }
`;

describe('follow-the-sun in the config', () => {
  it('a layer declares its own IANA zone, and the warnings name every date of the overlap and who decides', () => {
    const parsed = parseConfig(CONFIG);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(toRotationDecl(parsed.config.rotations[0]!, 'UTC').layers.map((l) => l.zone)).toEqual([undefined, 'America/New_York']);
    expect(rotationOverlapWarnings(parsed.config.rotations, parsed.config.timezone, at('2025-01-01T00:00:00Z'))).toEqual([
      'rotation pay: layers london and new-york (london in Europe/London, new-york in America/New_York) overlap 14:00–15:00 UTC in slot primary on 20 dates in the next 366 days: ' +
        '2025-03-10–2025-03-14, 2025-03-17–2025-03-21, 2025-03-24–2025-03-28, 2025-10-27–2025-10-31, because their zones change clocks on different dates; layer london has the lower precedence number and is on duty there',
    ]);
  });

  it('a misspelled layer zone is refused with the path and an example', () => {
    const parsed = parseConfig(CONFIG.replace('timezone: America/New_York', 'timezone: America/NewYork'));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toEqual([{ path: 'rotations[0].layers[1].timezone', message: '"America/NewYork" is not an IANA time zone (e.g. "Europe/Berlin")' }]);
  });
});

describe('where the rotation is saved', () => {
  it('check-config prints the overlap as a warning and still passes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'day2-seams-'));
    try {
      const file = join(dir, 'day2.yaml');
      await writeFile(file, CONFIG.replace('"2025-01-06 00:00"', '"2026-01-05 00:00"'));
      const lines: string[] = [];
      expect(await checkConfig(file, (l) => lines.push(l))).toBe(0);
      expect(lines.slice(1)).toEqual([expect.stringMatching(/^⚠ rotation pay: layers london and new-york .* overlap 14:00–15:00 UTC in slot primary on \d+ dates/)]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the /oncall add preview lists the seams with their dates and who is on duty there', async () => {
    const renderer = await createRenderer({ zone: 'UTC' });
    const seams = rotationSeams(followTheSun, at('2025-01-01T00:00:00Z')).map((g) => ({ ...g, dates: seamDates(g.dates), count: g.dates.length }));
    const message = renderer.render('oncall/edit-preview', { kind: 'add', team: 'Payments', layer: 'london', person: 'person:lea', moved: [], more: 0, seams, value: 'add|payments|lea|london' });
    const text = toConsoleText(message, { zone: 'UTC', mentions: () => ({ name: 'Lea' }) });
    expect(text).toContain('london and new-york overlap 14:00–15:00 UTC in primary on 28 dates (2025-03-09–2025-03-29, 2025-10-26–2025-11-01); london has the lower precedence number and is on duty then.');
  });
});
