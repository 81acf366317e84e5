/**
 * bench/release-slots: the cost of the "next three free slots" search on a busy environment
 * calendar, against a naive baseline measured in the same run.
 *
 *   npm run bench:release
 *   BENCH_BLOCKERS=2000 BENCH_ROUNDS=7 npm run bench:release
 *   BENCH_NO_RECORD=1 …   (print only, do not append to RESULTS.md)
 *
 * The calendar: Europe/Berlin, Mon–Thu 09:00–16:00 release hours, 24 h spacing, 2 h releases,
 * BENCH_BLOCKERS blockers over the next 90 days (maintenance windows, freezes, other releases,
 * blocking events; random but seeded). Measured per search:
 *   - nextFreeSlots: walks the windows and jumps past whatever blocks a candidate;
 *   - baseline: the same windows and grid, testing every 30-minute step against every blocker.
 * Both must return the same slots (checked), so the ratio is the price of the same answer.
 */
import { appendFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Blocker, Interval } from '../src/domain/release/blockers.js';
import { findConflicts } from '../src/domain/release/conflicts.js';
import { windowOn, type ReleaseHours } from '../src/domain/release/hours.js';
import { nextFreeSlots } from '../src/domain/release/slots.js';
import { addDuration, addLocalDays, localPartsOf } from '../src/time/when.js';

const BLOCKERS = Number(process.env.BENCH_BLOCKERS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 100);
const results = fileURLToPath(new URL('./RESULTS.md', import.meta.url));

const H = 3_600_000;
const ZONE = 'Europe/Berlin';
const hours: ReleaseHours = { weekdays: [1, 2, 3, 4], from: { hour: 9, minute: 0 }, to: { hour: 16, minute: 0 } };
const rules = { spacingMs: 24 * H };
const duration = { ms: 2 * H };
const STEP = 30 * 60_000;

// Seeded so every run searches the same calendar.
let seed = 42;
const rnd = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

const t0 = Date.UTC(2027, 0, 4, 6, 0);
const kinds: Blocker['kind'][] = ['maintenance', 'freeze', 'release', 'cadence'];
const blockers: Blocker[] = Array.from({ length: BLOCKERS }, (_, i) => {
  const kind = kinds[i % kinds.length]!;
  const start = t0 + Math.floor(rnd() * 90 * 24) * H;
  const len = kind === 'freeze' ? (6 + Math.floor(rnd() * 30)) * H : (1 + Math.floor(rnd() * 4)) * H;
  return { kind, id: `b${i}`, title: kind, owner: 'bench', start: new Date(start), end: new Date(start + len) };
});

function naive(after: Date): Interval[] {
  const found: Interval[] = [];
  const first = localPartsOf(after, ZONE);
  for (let i = 0; i <= 90 && found.length < 3; i++) {
    const w = windowOn(addLocalDays(first, i), hours, ZONE);
    if (!w) continue;
    for (let t = w.start.getTime(); found.length < 3; t += STEP) {
      if (t < after.getTime()) continue;
      const slot = { start: new Date(t), end: addDuration(new Date(t), duration, ZONE) };
      if (slot.end.getTime() > w.end.getTime()) break;
      if (found.some((f) => f.end.getTime() > t)) continue;
      if (findConflicts(slot, blockers, rules).length === 0) found.push(slot);
    }
  }
  return found;
}

const afters = Array.from({ length: SEARCHES }, (_, i) => new Date(t0 + i * 7 * H));
const fast = (after: Date) => nextFreeSlots({ after, duration, zone: ZONE, hours, blockers, rules });

// Same answers, or the comparison means nothing.
for (const a of afters) {
  const x = JSON.stringify(fast(a));
  const y = JSON.stringify(naive(a));
  if (x !== y) throw new Error(`results differ for ${a.toISOString()}:\n${x}\n${y}`);
}

const time = (fn: (a: Date) => unknown) => {
  const start = process.hrtime.bigint();
  for (const a of afters) fn(a);
  return Number(process.hrtime.bigint() - start) / 1e6 / afters.length;
};
time(fast);
time(naive);
const fastMs: number[] = [];
const naiveMs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  naiveMs.push(time(naive));
  fastMs.push(time(fast));
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = median(fastMs);
const n = median(naiveMs);
const found = afters.map((a) => fast(a).length).reduce((s, x) => s + x, 0) / afters.length;

const section = `
## release-slots — ${new Date().toISOString()}

Command: \`BENCH_BLOCKERS=${BLOCKERS} BENCH_SEARCHES=${SEARCHES} BENCH_ROUNDS=${ROUNDS} npm run bench:release\` — next three free 2 h slots, Europe/Berlin Mon–Thu 09:00–16:00, 24 h spacing, ${BLOCKERS} blockers over 90 days; ${SEARCHES} searches from different start points, median of ${ROUNDS} rounds; both searches return the same slots (checked). Node ${process.version}.

| search | ms per search |
| --- | --- |
| baseline: every 30-min step against every blocker | ${n.toFixed(3)} |
| nextFreeSlots (skip past the blocker) | ${f.toFixed(3)} |
| **nextFreeSlots / baseline** | **${(f / n).toFixed(3)}** |

Slots found per search (mean): ${found.toFixed(2)}. Target: nextFreeSlots / baseline ≤ 1 (${f <= n ? 'met' : 'not met'}).
`;
process.stdout.write(section);
if (!process.env.BENCH_NO_RECORD) await appendFile(results, section);
