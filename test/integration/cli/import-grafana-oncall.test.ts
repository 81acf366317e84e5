/**
 * `day2 import grafana-oncall` against a fake Grafana OnCall HTTP API v1 on loopback, serving the
 * fixtures in test/fixtures/import/grafana-oncall/ with the final shifts timeline.py computed
 * from Grafana OnCall's documented semantics.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grafanaFixtures, startFakeGrafanaOnCall } from '../../fakes/import/grafana-oncall.js';
import { IMPORT_FIXTURES, useImportCli } from '../../support/import-cli.js';

const TOKEN = 'gr-test-token';

describe('day2 import grafana-oncall', () => {
  const cli = useImportCli({ vendor: 'grafana-oncall', env: { GRAFANA_ONCALL_TOKEN: TOKEN }, fixtures: grafanaFixtures, start: (fx) => startFakeGrafanaOnCall(TOKEN, fx, 20) });
  const { run, restart } = cli;

  it('matches a schedule Day2 carries exactly, minute for minute, with its override', async () => {
    const out = join(cli.dir, 'f.yaml');
    const r = await run(['--schedule', 'SPAYMENTS01', '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('equivalence with Grafana OnCall\'s own timeline, 2027-03-01T00:00Z → 2027-04-26T00:00Z: identical, minute for minute');
    expect(r.out).toContain('✔ carried exactly: override "Erin covers Monday morning"');
    expect(await readFile(out, 'utf8')).toContain('restriction: { days: [ mon, tue, wed, thu, fri ], from: "09:00", to: "17:00" }');
    // Final shifts came page by page (41 of them, 20 a page).
    expect(cli.fake.requests.filter((q) => q.path.endsWith('/final_shifts')).map((q) => q.query.get('page'))).toEqual([null, '2', '3']);
  });

  it('names the DST nights where Grafana OnCall’s real-second durations differ from Day2, and exits 1', async () => {
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.err).toContain('≠ differs: shift "New York": Grafana OnCall counts its 43200s duration in real time, Day2 keeps wall-clock times in America/New_York; the occurrence over the DST change of 2027-03-14');
    expect(r.err).toContain('≠ primary 2027-03-14T07:00Z → 2027-03-14T08:00Z: Grafana OnCall has erin, Day2 would have nobody');
    expect(r.err).toContain('≠ primary 2027-03-15T06:30Z → 2027-03-15T07:30Z: Grafana OnCall has bob + frank, Day2 would have bob');
    expect(r.err).toContain('✖ 2 differences with Grafana OnCall\'s own timeline: nothing was written');
    const accepted = await run(['--accept-differences']);
    expect(accepted.code).toBe(0);
    expect(accepted.out).toMatch(/- name: new-york\n {8}slot: primary\n {8}precedence: 2\n {8}timezone: America\/New_York/);
  });

  it('names a difference when a shift changed after its timeline was rendered', async () => {
    cli.fx.shifts['SPAYMENTS01']![0]!['rolling_users'] = [['UBOB0000002'], ['UALICE00001'], ['UGINA000007']];
    await restart();
    const r = await run(['--schedule', 'SPAYMENTS01']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('≠ primary 2027-03-08T14:00Z → 2027-03-08T22:00Z: Grafana OnCall has alice, Day2 would have bob');
  });

  it('names GRAFANA_ONCALL_TOKEN and the answer when the token is refused, and stops on a wrong shape', async () => {
    expect(await run([], { GRAFANA_ONCALL_TOKEN: 'x' })).toMatchObject({ code: 2, err: '✖ Grafana OnCall refused the token in GRAFANA_ONCALL_TOKEN (401): Invalid token.' });
    cli.fx.shifts['SPLATFORM02']![1]!['duration'] = '12h';
    await restart();
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^✖ Grafana OnCall answered the on-call shifts of schedule "Platform" \(SPLATFORM02\) \(page 1\) in a shape the importer does not know: field results\[1\]\.duration: /);
  });
});
