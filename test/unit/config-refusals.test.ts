/**
 * Config text that must never become the config in force: empty or non-mapping documents (an
 * editor's save caught half-way), alias bombs, oversized files and rules that would fire or
 * expand faster than the feature can bear. The same checks serve start-up, reload and check-config.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/cli/check-config.js';
import { MAX_CONFIG_BYTES, loadConfig, parseConfig } from '../../src/config.js';

const BASE = `people:
  - { id: alice, name: Alice }
roles: { admin: [alice] }
`;

const ALIAS_BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`;

const freeze = (rule: string) => `${BASE}releases:\n  recurringFreezes:\n    - { id: f, reason: test, rrule: "${rule}" }\n`;
const cadence = (schedule: string) => `${BASE}cadence:\n  cadences:\n    - { name: c, schedule: "${schedule}", time: "10:00", channels: { slack: [C0OPS] } }\n`;

const problemsOf = (text: string): string => {
  const r = parseConfig(text);
  if (r.ok) throw new Error('expected the config to be refused');
  return r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
};

async function tempFile(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'day2-cfg-')), 'day2.yaml');
  await writeFile(file, text);
  return file;
}

describe('an empty or non-mapping config is never valid', () => {
  it.each([
    ['a 0-byte file', ''],
    ['only blanks', '  \n\n\t\n'],
    ['only comments', '# people:\n#   - alice\n'],
    ['an explicit null', 'null\n'],
    ['a document marker alone', '---\n'],
    ['an empty mapping', '{}\n'],
  ])('refuses %s, saying the file is empty', (_name, text) => {
    expect(problemsOf(text)).toMatch(/empty/);
  });

  it.each([
    ['a scalar', 'day2\n', /single string value, not a mapping/],
    ['a number', '42\n', /single number value, not a mapping/],
    ['a list', '- people\n- roles\n', /a list, not a mapping/],
  ])('refuses %s at the top level, saying a mapping of sections is expected', (_name, text, expected) => {
    expect(problemsOf(text)).toMatch(expected);
  });

  it('check-config exits 1 on a 0-byte file and says it is empty', async () => {
    const lines: string[] = [];
    expect(await checkConfig(await tempFile(''), (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/the file is empty/);
  });
});

describe('resource limits', () => {
  it('an alias bomb is refused without crashing, quickly', () => {
    const started = Date.now();
    expect(problemsOf(ALIAS_BOMB)).toMatch(/at most 100 aliases/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('ordinary anchors and aliases still load', () => {
    const r = parseConfig(`${BASE}teams:\n  - { id: a, name: A, members: &both [alice] }\n  - { id: b, name: B, members: *both }\n`);
    expect(r.ok).toBe(true);
  });

  it('a file over 1 MiB is refused before it is parsed, by text and by file', async () => {
    const big = `${BASE}# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`;
    expect(problemsOf(big)).toMatch(/more than the 1048576 allowed/);
    const r = await loadConfig(await tempFile(big));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.message).toMatch(/more than the 1048576 allowed/);
  });
});

describe('recurrence floors', () => {
  it.each(['FREQ=SECONDLY', 'FREQ=MINUTELY', 'FREQ=HOURLY'])('FREQ=%s freeze is refused (a freeze recurs at most daily)', (rule) => {
    expect(problemsOf(freeze(rule))).toMatch(/releases\.recurringFreezes\[0\]\.rrule: .*a freeze recurs at most daily/);
  });

  it('a daily freeze that sneaks in times with BYHOUR/BYMINUTE/BYSECOND is refused', () => {
    expect(problemsOf(freeze('FREQ=DAILY;BYHOUR=1,2,3'))).toMatch(/BYHOUR is not allowed/);
    expect(problemsOf(freeze('FREQ=DAILY;BYMINUTE=0,1,2'))).toMatch(/BYMINUTE is not allowed/);
    expect(problemsOf(freeze('FREQ=DAILY;BYSECOND=0,1'))).toMatch(/BYSECOND is not allowed/);
  });

  it('daily, weekly and monthly freezes still load', () => {
    for (const rule of ['FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=FR', 'FREQ=MONTHLY;BYMONTHDAY=-7']) expect(parseConfig(freeze(rule)).ok).toBe(true);
  });

  it('FREQ=SECONDLY freeze is refused by check-config', async () => {
    const lines: string[] = [];
    expect(await checkConfig(await tempFile(freeze('FREQ=SECONDLY')), (l) => lines.push(l))).toBe(1);
    expect(lines.join('\n')).toMatch(/a freeze recurs at most daily/);
  });

  it('a cadence finer than hourly is refused, also through several BYMINUTE values', () => {
    expect(problemsOf(cadence('FREQ=MINUTELY'))).toMatch(/hourly at most/);
    expect(problemsOf(cadence('FREQ=DAILY;BYHOUR=9;BYMINUTE=0,30'))).toMatch(/BYMINUTE takes one value/);
    expect(parseConfig(cadence('FREQ=DAILY;BYHOUR=9,15')).ok).toBe(true);
  });
});
