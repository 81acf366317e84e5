/**
 * `day2 import pagerduty` against a fake PagerDuty REST API v2 on loopback, serving the fixtures
 * in test/fixtures/import/pagerduty/ with the final schedule timeline.py computed from
 * PagerDuty's documented semantics.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../../src/config.js';
import { pagerdutyFixtures, startFakePagerduty } from '../../fakes/import/pagerduty.js';
import { IMPORT_FIXTURES, useImportCli } from '../../support/import-cli.js';

const KEY = 'pd-test-key';

describe('day2 import pagerduty', () => {
  const cli = useImportCli({ vendor: 'pagerduty', env: { PAGERDUTY_TOKEN: KEY }, fixtures: pagerdutyFixtures, start: (fx) => startFakePagerduty(KEY, fx) });
  const { run, restart } = cli;

  it('proves the import equal to PagerDuty’s final schedule, escalation included, and the fragment validates', async () => {
    const out = join(cli.dir, 'fragment.yaml');
    const r = await run(['--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.match(/identical, minute for minute/g)).toHaveLength(3);
    expect(r.out).toContain('✔ carried exactly: policy "Payments EP": unacknowledged after 15 min → the team\'s managers (alerts.ackTimeoutSeconds.high)');
    expect(r.out).toContain('  - { id: gina, name: "Gina Gray", email: gina@example.com }');
    const fragment = await readFile(out, 'utf8');
    expect(fragment).toContain('managers: [ dan ]');
    expect(fragment).toMatch(/alerts:\n {2}ackTimeoutSeconds:\n {4}high: 900/);
    const base = parse(await readFile(join(IMPORT_FIXTURES, 'day2.yaml'), 'utf8')) as { people: unknown[] };
    const added = parse(fragment) as { people: unknown[] };
    const merged = parseConfig(stringify({ ...base, ...added, people: [...base.people, ...added.people] }));
    expect(merged.ok && merged.config.alerts.ackTimeoutSeconds).toEqual({ high: 900, low: 1800 });
    expect(new Set(cli.fake.requests.map((q) => q.method))).toEqual(new Set(['GET']));
    // Two users a page: every list was followed to its end.
    expect(cli.fake.requests.filter((q) => q.path === '/users').map((q) => q.query.get('offset'))).toEqual(['0', '2', '4', '6']);
  });

  it('names the difference when a layer changed at the source after its timeline was rendered', async () => {
    const platform = cli.fx.schedules.get('PSCHPLT')!.schedule as unknown as { schedule_layers: { restrictions: { start_time_of_day: string }[] }[] };
    platform.schedule_layers[0]!.restrictions[0]!.start_time_of_day = '09:00:00';
    await restart();
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.err).toContain('≠ primary 2027-03-01T08:00Z → 2027-03-01T09:00Z: PagerDuty has carol, Day2 would have nobody');
    expect(r.err).toMatch(/✖ \d+ differences? with PagerDuty's own timeline: nothing was written/);
    expect(r.out).toBe('');
  });

  it('names PAGERDUTY_TOKEN and PagerDuty’s answer when the token is refused', async () => {
    const r = await run([], { PAGERDUTY_TOKEN: 'nope' });
    expect(r).toMatchObject({ code: 2, err: '✖ PagerDuty refused the token in PAGERDUTY_TOKEN (401): Invalid Credentials', out: '' });
  });

  it('lists the schedules the token sees for an unknown --schedule', async () => {
    const r = await run(['--schedule', 'PNOPE00']);
    expect(r).toMatchObject({ code: 2, err: '✖ PagerDuty has no schedule "PNOPE00" this token can see; it sees: PSCHPAY (Payments), PSCHPLT (Platform), PSCHDBN (Database nights)' });
  });

  it('stops on a final schedule of the wrong shape, naming the field and the schedule', async () => {
    const db = cli.fx.schedules.get('PSCHDBN')!.schedule as unknown as { final_schedule: { rendered_schedule_entries: { start: unknown }[] } };
    db.final_schedule.rendered_schedule_entries[3]!.start = 1_700_000_000;
    await restart();
    const r = await run(['--out', join(cli.dir, 'f.yaml')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^✖ PagerDuty answered the schedule of schedule "Database nights" \(PSCHDBN\) in a shape the importer does not know: field schedule\.final_schedule\.rendered_schedule_entries\[3\]\.start: .*nothing was written$/);
    await expect(readFile(join(cli.dir, 'f.yaml'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('waits out a 429 as Retry-After says', async () => {
    cli.fake.rateLimit = { times: 1, retryAfter: 1 };
    const r = await run(['--out', join(cli.dir, 'f.yaml')]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('PagerDuty is rate-limiting (429): waiting 1s as told by Retry-After, then retrying (try 2)');
  });
});
