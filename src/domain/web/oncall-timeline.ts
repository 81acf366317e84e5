/**
 * The on-call page's pictures, as geometry: a two-week timeline (one row per slot, one bar per
 * stretch of the final schedule, absences on their own row, local midnights as ticks) and the
 * fairness ledger as bars. Pure numbers in a 1000-wide viewBox; the template draws the SVG, so
 * the picture needs no script and scales from phone to desktop.
 */
import type { LedgerEntry } from '../oncall/ledger.js';
import type { Segment } from '../oncall/types.js';
import type { LocalDay } from './days.js';

export const VIEW_WIDTH = 1000;
export const LABEL_WIDTH = 130;
const ROW = 34;
const TOP = 26;

export type BarKind = 'rotation' | 'swap' | 'override' | 'gap' | 'leave' | 'tour';

export interface Bar {
  x: number;
  w: number;
  kind: BarKind;
  /** Who holds it (a name), or nobody on a gap. */
  who?: string;
  /** Gap reason or the person covered for. */
  note?: string;
  start: Date;
  end: Date;
  /** Whether the bar is wide enough to carry its label inside. */
  labelled: boolean;
}

export interface Row {
  label: string;
  y: number;
  textY: number;
  bars: Bar[];
}

export interface Timeline {
  height: number;
  rows: Row[];
  ticks: { x: number; day: LocalDay; labelX: number }[];
  /** x of "now", when now is inside the range. */
  nowX?: number;
  barHeight: number;
}

export interface AbsenceSpan {
  person: string;
  kind: 'leave' | 'tour';
  start: Date;
  end: Date;
}

export function timeline(segments: readonly Segment[], absences: readonly AbsenceSpan[], days: readonly LocalDay[], now: Date, nameOf: (id: string) => string): Timeline {
  const from = days[0]!.start.getTime();
  const to = days[days.length - 1]!.end.getTime();
  const scale = (VIEW_WIDTH - LABEL_WIDTH) / (to - from);
  const xOf = (t: number) => LABEL_WIDTH + (Math.min(Math.max(t, from), to) - from) * scale;
  const bar = (start: Date, end: Date, kind: BarKind, who?: string, note?: string): Bar => {
    const x = xOf(start.getTime());
    const w = Math.max(0.5, xOf(end.getTime()) - x);
    return { x: round(x), w: round(w), kind, ...(who ? { who } : {}), ...(note ? { note } : {}), start, end, labelled: w >= 7 * ((who ?? '').length + 1) };
  };
  const slots = [...new Set(segments.map((s) => s.slot))];
  const rows: Row[] = slots.map((slot, i) => ({
    label: slot,
    y: TOP + i * ROW,
    textY: TOP + i * ROW + 19,
    bars: segments
      .filter((s) => s.slot === slot && s.end.getTime() > from && s.start.getTime() < to)
      .sort((a, b) => a.start.getTime() - b.start.getTime())
      .map((s) => bar(s.start, s.end, kindOf(s), s.person === null ? undefined : nameOf(s.person), noteOf(s, nameOf))),
  }));
  const away = absences.filter((a) => a.end.getTime() > from && a.start.getTime() < to);
  if (away.length > 0) {
    const y = TOP + rows.length * ROW;
    rows.push({ label: 'away', y, textY: y + 19, bars: away.map((a) => bar(a.start, a.end, a.kind, nameOf(a.person))) });
  }
  const ticks = days.map((d) => ({ x: round(xOf(d.start.getTime())), labelX: round(xOf(d.start.getTime()) + 3), day: d }));
  const t = now.getTime();
  return { height: TOP + rows.length * ROW + 6, rows, ticks, barHeight: ROW - 8, ...(t >= from && t < to ? { nowX: round(xOf(t)) } : {}) };
}

function kindOf(s: Segment): BarKind {
  return s.person === null ? 'gap' : s.source === 'gap' ? 'gap' : s.source;
}

function noteOf(s: Segment, nameOf: (id: string) => string): string | undefined {
  if (s.person === null) return s.gap ?? 'nobody-available';
  if (s.source === 'override' && s.coveredFor) return nameOf(s.coveredFor);
  return undefined;
}

const round = (n: number) => Math.round(n * 10) / 10;

export interface OnDutyNow {
  slot: string;
  layer: string;
  who?: string;
  kind: BarKind;
  until: Date;
}

/** Who holds each slot at `now`, and until when the same person keeps it (stretches joined). */
export function onDutyNow(segments: readonly Segment[], now: Date, nameOf: (id: string) => string): OnDutyNow[] {
  const t = now.getTime();
  const out: OnDutyNow[] = [];
  for (const slot of [...new Set(segments.map((s) => s.slot))]) {
    const mine = segments.filter((s) => s.slot === slot).sort((a, b) => a.start.getTime() - b.start.getTime());
    const i = mine.findIndex((s) => s.start.getTime() <= t && t < s.end.getTime());
    if (i < 0) continue;
    const cur = mine[i]!;
    let until = cur.end;
    for (let j = i + 1; j < mine.length && mine[j]!.person === cur.person && mine[j]!.start.getTime() === until.getTime(); j++) until = mine[j]!.end;
    out.push({ slot, layer: cur.layer, ...(cur.person ? { who: nameOf(cur.person) } : {}), kind: kindOf(cur), until });
  }
  return out;
}

export interface Handoff {
  slot: string;
  at: Date;
  from?: string;
  to?: string;
  kind: BarKind;
}

/** The next `limit` moments after `now` at which a slot changes hands (same person continuing is no handoff). */
export function nextHandoffs(segments: readonly Segment[], now: Date, nameOf: (id: string) => string, limit = 6): Handoff[] {
  const out: Handoff[] = [];
  for (const slot of [...new Set(segments.map((s) => s.slot))]) {
    const mine = segments.filter((s) => s.slot === slot).sort((a, b) => a.start.getTime() - b.start.getTime());
    for (let i = 1; i < mine.length; i++) {
      const prev = mine[i - 1]!;
      const next = mine[i]!;
      if (next.start.getTime() <= now.getTime() || prev.person === next.person) continue;
      out.push({ slot, at: next.start, ...(prev.person ? { from: nameOf(prev.person) } : {}), ...(next.person ? { to: nameOf(next.person) } : {}), kind: kindOf(next) });
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || a.slot.localeCompare(b.slot)).slice(0, limit);
}

export interface LedgerBar {
  who: string;
  y: number;
  textY: number;
  hoursW: number;
  weekendW: number;
  hours: number;
  weekendHours: number;
  covers: number;
}

/** The fairness ledger as horizontal bars: hours (weekend hours inside), covers given as a number. */
export function ledgerChart(entries: readonly LedgerEntry[], nameOf: (id: string) => string): { height: number; bars: LedgerBar[] } {
  const max = Math.max(1, ...entries.map((e) => e.hours));
  // Room on the right for "408 hours · 105 at weekends · 2 covers".
  const span = VIEW_WIDTH - LABEL_WIDTH - 320;
  const sorted = [...entries].sort((a, b) => b.hours - a.hours || a.person.localeCompare(b.person));
  const bars = sorted.map((e, i) => ({
    who: nameOf(e.person),
    y: 8 + i * 26,
    textY: 8 + i * 26 + 15,
    hoursW: round((e.hours / max) * span),
    weekendW: round((e.weekendHours / max) * span),
    hours: Math.round(e.hours),
    weekendHours: Math.round(e.weekendHours),
    covers: e.coversGiven,
  }));
  return { height: 16 + bars.length * 26, bars };
}
