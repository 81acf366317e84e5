/**
 * `day2 import opsgenie` against a fake Opsgenie v2 API on loopback, serving the fixtures in
 * test/fixtures/import/opsgenie/ and the timeline timeline.py computed from Opsgenie's documented
 * semantics. A fixed --now makes the 8-week comparison window the fixtures were computed for.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../../src/config.js';
import { opsgenieFixtures, startFakeOpsgenie } from '../../fakes/import/opsgenie.js';
import { IMPORT_FIXTURES, useImportCli } from '../../support/import-cli.js';

const KEY = 'og-test-key';

describe('day2 import opsgenie', () => {
  const cli = useImportCli({ vendor: 'opsgenie', env: { OPSGENIE_API_KEY: KEY }, fixtures: opsgenieFixtures, start: (fx) => startFakeOpsgenie(KEY, fx) });
  const { run, restart } = cli;

  it('proves the import equal to Opsgenie’s own timeline and writes a fragment Day2’s config schema accepts', async () => {
    const out = join(cli.dir, 'fragment.yaml');
    const r = await run(['--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.match(/identical, minute for minute/g)).toHaveLength(3);
    expect(r.out).toContain(`wrote the day2.yaml fragment to ${out}`);
    // The unmatched user, with the exact line to add; Carol matched by name despite another email.
    expect(r.out).toContain('  - { id: gina, name: "Gina Gray", email: gina@example.com }');
    expect(r.out).toContain('Carol Chen <carol.chen@corp.example> → carol (by name)');
    expect(r.out).toMatch(/✖ not carried: rotation "Old nights" ended 2027-02-01T05:00:00Z/);
    const fragment = await readFile(out, 'utf8');
    expect(fragment).toContain('restriction: { days: [ mon, tue, wed, thu, fri ], from: "09:00", to: "17:00" }');
    expect(fragment).toContain('anchor: "2027-02-01 02:30"');
    // The owner team's members join the Day2 team (Frank has no Payments turn), then override takers (Erin).
    expect(fragment).toMatch(/- id: payments\n {4}name: Payments\n {4}members: \[ alice, bob, gina, frank, erin \]/);
    const base = parse(await readFile(join(IMPORT_FIXTURES, 'day2.yaml'), 'utf8')) as { people: unknown[] };
    const added = parse(fragment) as { people: unknown[]; teams: unknown[]; rotations: unknown[] };
    const merged = parseConfig(stringify({ ...base, ...added, people: [...base.people, ...added.people] }));
    expect(merged.ok && merged.config.rotations.map((x) => x.id)).toEqual(['payments', 'platform', 'database-nights']);
    // Read-only: every call was a GET, and the users came page by page.
    expect(new Set(cli.fake.requests.map((q) => q.method))).toEqual(new Set(['GET']));
    expect(cli.fake.requests.filter((q) => q.path === '/v2/users').length).toBe(3);
  });

  it('names every difference when the source no longer matches (a participant swapped) and writes nothing', async () => {
    const daily = cli.fx.schedules.data.find((s) => s.name === 'Database nights') as unknown as { rotations: { participants: unknown[] }[] };
    daily.rotations[0]!.participants.reverse();
    await restart();
    const out = join(cli.dir, 'fragment.yaml');
    const r = await run(['--out', out]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/schedule "Database nights"[\s\S]*equivalence with Opsgenie's own timeline, 2027-03-01T00:00Z → 2027-04-26T00:00Z: \d+ differences?/);
    expect(r.out).toContain('≠ primary 2027-03-01T07:30Z → 2027-03-02T07:30Z: Opsgenie has bob, Day2 would have frank');
    expect(r.out).toMatch(/"Payments"[\s\S]*identical, minute for minute/);
    expect(r.err).toMatch(/✖ \d+ differences? with Opsgenie's own timeline: nothing was written/);
    await expect(readFile(out, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('writes the fragment despite differences only with --accept-differences', async () => {
    (cli.fx.timelines[cli.fx.schedules.data[0]!.id] as { data: { finalTimeline: { rotations: { periods: { endDate: string }[] }[] } } }).data.finalTimeline.rotations[0]!.periods[0]!.endDate = '2027-03-01T23:00:00Z';
    await restart();
    const r = await run(['--accept-differences']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('≠ primary 2027-03-01T22:00Z → 2027-03-01T23:00Z: Opsgenie has gina, Day2 would have nobody');
    expect(r.out).toMatch(/^# Imported from Opsgenie/);
  });

  it('names the variable when the token is missing or refused, and the source’s answer', async () => {
    const missing = await run([], {});
    expect(missing).toMatchObject({ code: 2, err: '✖ set OPSGENIE_API_KEY to your Opsgenie API token (read access is enough)' });
    const refused = await run([], { OPSGENIE_API_KEY: 'wrong' });
    expect(refused).toMatchObject({ code: 2, err: '✖ Opsgenie refused the token in OPSGENIE_API_KEY (401): Could not authenticate', out: '' });
  });

  it('lists the schedules the token can see when --schedule names another', async () => {
    const r = await run(['--schedule', 'no-such-id']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('✖ Opsgenie has no schedule "no-such-id" this token can see; it sees: d875e654-9b4e-4219-a803-0c26ca707e92 (Payments), 5c9e2b71-3f0a-4d8e-b7a1-6d2f00000002 (Platform), e3f4a5b6-7c8d-4e9f-a0b1-c2d300000003 (Database nights)');
    const one = await run(['--schedule', '5c9e2b71-3f0a-4d8e-b7a1-6d2f00000002']);
    expect(one.code).toBe(0);
    expect(one.err).toContain('schedule "Platform"');
    expect(one.err).not.toContain('"Payments"');
  });

  it('stops on an answer of the wrong shape, naming the field and the schedule, and writes nothing', async () => {
    (cli.fx.schedules.data[1] as unknown as { rotations: { type: string }[] }).rotations[0]!.type = 'monthly';
    await restart();
    const out = join(cli.dir, 'fragment.yaml');
    const r = await run(['--out', out]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^✖ Opsgenie answered schedule "Platform" \(5c9e2b71-3f0a-4d8e-b7a1-6d2f00000002\) in GET \/v2\/schedules in a shape the importer does not know: field rotations\[0\]\.type: .*nothing was written$/);
    await expect(readFile(out, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('waits as Opsgenie says when it rate-limits, telling stderr', async () => {
    cli.fake.rateLimit = { times: 2, retryAfter: 1 };
    const started = Date.now();
    const r = await run(['--out', join(cli.dir, 'f.yaml')]);
    expect(r.code).toBe(0);
    expect(r.err).toBe(['Opsgenie is rate-limiting (429): waiting 1s as told by Retry-After, then retrying (try 2)', 'Opsgenie is rate-limiting (429): waiting 1s as told by Retry-After, then retrying (try 3)'].join('\n'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('refuses bad options with the usage', async () => {
    const r = await run(['--dry-run', '--apply-overrides']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^--dry-run and --apply-overrides contradict each other: choose one\.\n\nUsage: day2 import/);
    expect(cli.fake.requests).toHaveLength(0);
  });
});
