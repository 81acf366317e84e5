/**
 * The proof of an import: the source's own rendered timeline against Day2's resolution of the
 * imported config, slot by slot. Both are lists of intervals; cutting them at every boundary
 * either side has gives stretches where each side's holders are constant, so comparing those
 * stretches is comparing minute by minute without walking the minutes.
 */

/** Someone (a Day2 person id, or a label for what is not one) holding a slot over `[from, to)`. */
export interface Holding {
  slot: string;
  who: string;
  from: number;
  to: number;
}

/** A stretch where the two sides disagree: who holds the slot on each. */
export interface Difference {
  slot: string;
  from: number;
  to: number;
  source: string[];
  day2: string[];
}

const key = (xs: readonly string[]) => xs.join(',');

function holdersAt(list: readonly Holding[], s: number, e: number): string[] {
  const who = new Set<string>();
  for (const h of list) if (h.from <= s && h.to >= e) who.add(h.who);
  return [...who].sort();
}

/** Every stretch of `[from, to)` where the source and Day2 disagree, neighbours with the same disagreement merged. */
export function compareTimelines(source: readonly Holding[], day2: readonly Holding[], from: number, to: number): Difference[] {
  const slots = [...new Set([...source, ...day2].map((h) => h.slot))].sort();
  const out: Difference[] = [];
  for (const slot of slots) {
    const clip = (l: readonly Holding[]) =>
      l.filter((h) => h.slot === slot && h.to > from && h.from < to).map((h) => ({ ...h, from: Math.max(h.from, from), to: Math.min(h.to, to) }));
    const a = clip(source);
    const b = clip(day2);
    const points = [...new Set([from, to, ...a.flatMap((h) => [h.from, h.to]), ...b.flatMap((h) => [h.from, h.to])])].sort((x, y) => x - y);
    for (let i = 0; i + 1 < points.length; i++) {
      const s = points[i]!;
      const e = points[i + 1]!;
      const src = holdersAt(a, s, e);
      const ours = holdersAt(b, s, e);
      if (key(src) === key(ours)) continue;
      const last = out[out.length - 1];
      if (last && last.slot === slot && last.to === s && key(last.source) === key(src) && key(last.day2) === key(ours)) last.to = e;
      else out.push({ slot, from: s, to: e, source: src, day2: ours });
    }
  }
  return out;
}
