/**
 * The README's command tables are tested: every example in them runs, as written, in the console
 * against day2.example.yaml, in the order the README lists them, and must succeed: no unknown
 * team, no date in the past, nothing that already exists, no refusal. Each runs as a person of
 * the example config who may run it (`/day2 as`), chosen below by command. Where the README says
 * a preview is followed by Send / Confirm / Create, that button is pressed too.
 *
 * Three things the README cannot spell out are provided here, each said where it is done: the
 * onboarding requests its examples act on (submitted through the questionnaire first), a past
 * occurrence for the cadence follow-up examples, and ids Day2 makes up (a swap's, an action
 * item's), which replace the README's sample ids. One example is refused on purpose: a release's
 * outcome is recorded only after the release time, as its row says.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleAdapter } from '../../src/chat/console/adapter.js';
import { startConsole, type ConsoleSession } from '../support/console-script.js';

/** Every code span starting with `/` in the last column of the README's command-table rows. */
export function readmeExamples(readme: string): string[] {
  const out: string[] = [];
  for (const line of readme.split('\n')) {
    if (!/^\| `\//.test(line)) continue;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1);
    const example = cells.at(-1) ?? '';
    // `/support ask …` and the like point at another row; they are not commands to run.
    for (const m of example.matchAll(/`([^`]+)`/g)) if (m[1]!.startsWith('/') && !m[1]!.includes('…')) out.push(m[1]!.replace(/\\\|/g, '|'));
  }
  return out;
}

/** Who runs an example: the first rule whose prefix matches; admins run the rest. */
const RUN_AS: [prefix: string, person: string][] = [
  ['/oncall swap', 'dana'],
  ['/oncall unswap', 'dana'],
  ['/support', 'bob'],
  ['/onboard ask', 'carol'],
  ['/onboard claim', 'carol'],
  ['/onboard meeting', 'carol'],
  ['/onboard progress', 'carol'],
  ['/onboard done', 'carol'],
  ['/onboard decline', 'carol'],
  ['/onboard stats', 'carol'],
  ['/onboard', 'dana'],
  ['/release check', 'bob'],
  ['/release', 'alice'],
  ['/notice', 'alice'],
];

function personFor(example: string): string {
  return RUN_AS.find(([prefix]) => example.startsWith(prefix))?.[1] ?? 'demo';
}

/** The README path can be pointed elsewhere to try proposed README changes before they land. */
const README = process.env.DAY2_README_FILE ?? new URL('../../README.md', import.meta.url);
const examples = readmeExamples(readFileSync(README, 'utf8'));

/** Onboarding requests for the onboarding examples: ob-1 (claimed, then done) and ob-2 (declined). */
const QUESTIONNAIRE = ['/onboard start', 'Ledger', 'Keeps the books', 'Payments', 'dana, bob', 'https://git.example.com/ledger', '1', 'skip', '1200', '2', 'assessed', 'no', 'skip', '2030-03-01', 'submit'];
const FIXTURES: [before: string, person: string, lines: string[]][] = [
  ['/onboard status', 'dana', [...QUESTIONNAIRE, ...QUESTIONNAIRE]],
  // The follow-up examples need an occurrence that has happened: the next one, moved to now.
  ['/cadence agenda carry', 'demo', ['/cadence resume platform-sync', '/cadence move platform-sync next "in 2s"']],
];

/** Examples refused on purpose, with what they must say. */
const REFUSED: [prefix: string, says: RegExp][] = [['/release outcome', /after the release|has not (started|happened)|cancelled/i]];

/** Ids Day2 makes up: the README's sample id is replaced by the one printed before it. */
const MADE_UP: [prefix: string, sample: RegExp, printed: RegExp][] = [
  ['/oncall unswap', /[0-9a-f]{8}$/, /\(swap `([0-9a-f]{8})`\)/],
  ['/cadence done', /\S+$/, /Action item (\S+) added/],
];

/** The button a preview asks to press next (Send to…, Confirm, Create cadence), if any. */
function nextButton(said: string): string | undefined {
  return /\[(\d+)\] (?:Send to|Confirm|Create cadence)/.exec(said)?.[1];
}

let session: ConsoleSession;
const results: { example: string; ok: boolean; said: string }[] = [];

async function run(line: string, counts: { errors: number; refusals: number }): Promise<{ said: string; ok: boolean }> {
  const tally = (session.bot.adapters.get('console') as ConsoleAdapter).tally;
  const before = { errors: tally.errors, refusals: tally.refusals };
  const said = await session.type(line);
  counts.errors += tally.errors - before.errors;
  counts.refusals += tally.refusals - before.refusals;
  return { said, ok: tally.errors === before.errors && tally.refusals === before.refusals };
}

beforeAll(async () => {
  session = await startConsole();
  let as = '';
  const become = async (person: string) => {
    if (person !== as) await session.type(`/day2 as ${person}`);
    as = person;
  };
  const fixtures = [...FIXTURES];
  for (const written of examples) {
    const counts = { errors: 0, refusals: 0 };
    const fixture = fixtures.findIndex(([before]) => written.startsWith(before));
    if (fixture >= 0) {
      const [, person, lines] = fixtures.splice(fixture, 1)[0]!;
      await become(person);
      for (const line of lines) await run(line, counts);
      if (counts.errors > 0) results.push({ example: `fixture before ${written}`, ok: false, said: session.printed().slice(-2000) });
    }
    await become(personFor(written));
    const madeUp = MADE_UP.find(([prefix]) => written.startsWith(prefix));
    const id = madeUp ? [...session.printed().matchAll(new RegExp(madeUp[2], 'g'))].at(-1)?.[1] : undefined;
    const example = madeUp && id ? written.replace(madeUp[1], id) : written;
    const first = await run(example, counts);
    let said = first.said;
    let ok = first.ok;
    const button = nextButton(said);
    if (ok && button) {
      const pressed = await run(button, counts);
      said += pressed.said;
      ok = pressed.ok;
    }
    const refused = REFUSED.find(([prefix]) => written.startsWith(prefix));
    if (refused) ok = refused[1].test(said);
    results.push({ example, ok, said });
  }
}, 300_000);

afterAll(async () => {
  await session?.close();
});

describe('README examples', () => {
  it('are found in the command tables', () => {
    expect(examples.length).toBeGreaterThan(60);
    expect(examples).toContain('/day2 whoami');
  });

  it('each run as written against day2.example.yaml and succeed', () => {
    const failed = results.filter((r) => !r.ok || /unknown team|in the past|already exists|There is no command/i.test(r.said));
    expect(failed.map((f) => `${f.example}\n${f.said.trim().split('\n').slice(1, 8).join('\n')}`)).toEqual([]);
  });
});
