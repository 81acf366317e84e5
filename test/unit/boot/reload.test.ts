/**
 * The config holder behind `/day2 reload` and SIGHUP: a refused file changes nothing, is logged
 * on one line, and the reload metrics say what happened (Prometheus' own reload metric names).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createConfigHolder } from '../../../src/boot/reload.js';
import { parseConfig, type Config } from '../../../src/config.js';
import { createMetrics } from '../../../src/metrics.js';

const GOOD = `people:\n  - { id: alice, name: Alice }\nroles: { admin: [alice] }\n`;

async function setup() {
  const file = join(await mkdtemp(join(tmpdir(), 'day2-reload-')), 'day2.yaml');
  await writeFile(file, GOOD);
  const initial = parseConfig(GOOD);
  if (!initial.ok) throw new Error('fixture config is invalid');
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
  const metrics = createMetrics({ defaultMetrics: false });
  let now = new Date('2026-12-05T10:00:00Z');
  const changes: Config[] = [];
  const holder = createConfigHolder({ initial: initial.config, file, log, metrics, clock: () => now, onChange: (c) => changes.push(c) });
  const gauge = async (name: string) => (await metrics.registry.getSingleMetric(name)!.get()).values[0]?.value;
  return { file, holder, lines, changes, gauge, initial: initial.config, setNow: (d: Date) => (now = d) };
}

describe('config holder', () => {
  it('reload metrics report the last failure and last good load', async () => {
    const t = await setup();
    // Start-up counts as a good load.
    expect(await t.gauge('day2_config_last_reload_successful')).toBe(1);
    expect(await t.gauge('day2_config_last_reload_success_timestamp_seconds')).toBe(Date.parse('2026-12-05T10:00:00Z') / 1000);

    t.setNow(new Date('2026-12-05T11:00:00Z'));
    await writeFile(t.file, '');
    expect((await t.holder.reload()).ok).toBe(false);
    expect(await t.gauge('day2_config_last_reload_successful')).toBe(0);
    expect(await t.gauge('day2_config_last_reload_success_timestamp_seconds')).toBe(Date.parse('2026-12-05T10:00:00Z') / 1000);

    t.setNow(new Date('2026-12-05T12:00:00Z'));
    await writeFile(t.file, GOOD.replace('Alice', 'Alice A.'));
    expect((await t.holder.reload()).ok).toBe(true);
    expect(await t.gauge('day2_config_last_reload_successful')).toBe(1);
    expect(await t.gauge('day2_config_last_reload_success_timestamp_seconds')).toBe(Date.parse('2026-12-05T12:00:00Z') / 1000);
  });

  it('a refused reload keeps the running config, calls no listener and logs exactly one line', async () => {
    const t = await setup();
    await writeFile(t.file, `${GOOD}timezone: Europe/Nowhere\nbogus: 1\n`);
    const outcome = await t.holder.reload();
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems).toHaveLength(2);
    expect(t.holder.current()).toBe(t.initial);
    expect(t.changes).toHaveLength(0);
    expect(t.lines).toHaveLength(1);
    const entry = JSON.parse(t.lines[0]!) as { msg: string; level: number };
    expect(entry.level).toBe(40);
    expect(entry.msg).toMatch(/^config reload refused, keeping the running config \(2 problems\): .*Europe\/Nowhere.*bogus/);
    expect(entry.msg).not.toContain('\n');
  });

  it('an alias bomb on reload is refused without crashing, and the file is left as it is', async () => {
    const t = await setup();
    const bomb = `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
    await writeFile(t.file, bomb);
    const outcome = await t.holder.reload();
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.problems[0]!.message).toMatch(/aliases/);
    expect(t.holder.current()).toBe(t.initial);
    expect(await readFile(t.file, 'utf8')).toBe(bomb);
  });
});
