/**
 * Layer overlaps of the configured rotations as warnings a person can act on, for the places a
 * rotation is saved: `day2 check-config`, `/day2 reload` and the start-up log. Overlaps are not
 * errors (precedence resolves them), so the config still loads; the warning says where to look.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { toRotationDecl, type RotationEntry } from './config.js';
import { findLayerOverlaps, type LayerOverlap } from './overlaps.js';
import { layerZone } from './resolve.js';
import type { RotationDecl } from './types.js';
import { dateRuns, findZoneSeams, groupSeams, type SeamGroup } from './zone-seams.js';

/** How far ahead overlaps are looked for. */
const HORIZON_DAYS = 28;
/** How far ahead seams between zones are looked for: a year holds every date the clocks change. */
export const SEAM_HORIZON_DAYS = 366;

const local = (d: Date, zone: string) => format(new TZDate(d.getTime(), zone), 'EEE yyyy-MM-dd HH:mm');

/** One line per rotation, kind of overlap, pair of layers and person, with its first occurrence. */
export function rotationOverlapWarnings(rotations: readonly RotationEntry[], defaultZone: string, now: Date): string[] {
  const out: string[] = [];
  for (const r of rotations) {
    const zone = r.timezone ?? defaultZone;
    const decl = toRotationDecl(r, defaultZone);
    // Same-slot layers in different zones are the seams below, with every date they occur on.
    const zoneOf = new Map(decl.layers.map((l) => [l.name, layerZone(decl, l)]));
    const overlaps = findLayerOverlaps(decl, now, new Date(now.getTime() + HORIZON_DAYS * 86_400_000), 200).filter((o) => o.kind !== 'same-slot' || zoneOf.get(o.layers[0]) === zoneOf.get(o.layers[1]));
    const groups = new Map<string, LayerOverlap[]>();
    for (const o of overlaps) {
      const key = [o.kind, ...o.layers, o.person ?? ''].join('|');
      groups.set(key, [...(groups.get(key) ?? []), o]);
    }
    for (const list of groups.values()) {
      const first = list[0]!;
      const [a, b] = first.layers;
      const times = list.length === 1 ? 'once' : `${list.length} times`;
      const [start, end] = [local(first.start, zone), local(first.end, zone)];
      const when = `first ${start}–${end.slice(0, 14) === start.slice(0, 14) ? end.slice(15) : end} (${zone})`;
      out.push(
        first.kind === 'same-slot'
          ? `rotation ${r.id}: layers ${a} and ${b} cover the same slot ${times} in the next ${HORIZON_DAYS} days, ${when}; the layer with the lower precedence number decides who is on duty`
          : `rotation ${r.id}: ${first.person} is on duty in layers ${a} and ${b} at once ${times} in the next ${HORIZON_DAYS} days, ${when}`,
      );
    }
    out.push(...zoneSeamWarnings(decl, now));
  }
  return out;
}

/** The seams of a rotation's layers in different zones, in the year after `now`. */
export function rotationSeams(decl: RotationDecl, now: Date): SeamGroup[] {
  return groupSeams(findZoneSeams(decl, now, new Date(now.getTime() + SEAM_HORIZON_DAYS * 86_400_000)));
}

/** "2025-03-10–2025-03-14, 2025-03-17" (at most six runs, then how many more dates). */
export function seamDates(dates: readonly string[]): string {
  const runs = dateRuns(dates);
  const shown = runs.slice(0, 6).map(([a, b]) => (a === b ? a : `${a}–${b}`));
  const rest = runs.slice(6).reduce((n, [a, b]) => n + (Date.parse(b) - Date.parse(a)) / 86_400_000 + 1, 0);
  return shown.join(', ') + (rest > 0 ? ` and ${rest} more` : '');
}

function zoneSeamWarnings(decl: RotationDecl, now: Date): string[] {
  const zoneOf = new Map(decl.layers.map((l) => [l.name, layerZone(decl, l)]));
  return rotationSeams(decl, now).map((g) => {
    const [a, b] = g.layers;
    const zones = `${a} in ${zoneOf.get(a)}, ${b} in ${zoneOf.get(b)}`;
    const dates = `${g.dates.length === 1 ? 'on 1 date' : `on ${g.dates.length} dates`} in the next ${SEAM_HORIZON_DAYS} days: ${seamDates(g.dates)}`;
    return g.kind === 'overlap'
      ? `rotation ${decl.id}: layers ${a} and ${b} (${zones}) overlap ${g.from}–${g.to} UTC in slot ${g.slot} ${dates}, because their zones change clocks on different dates; layer ${g.winner} has the lower precedence number and is on duty there`
      : `rotation ${decl.id}: nobody covers slot ${g.slot} ${g.from}–${g.to} UTC between layers ${a} and ${b} (${zones}) ${dates}, because their zones change clocks on different dates; move a layer's hours or add an override there`;
  });
}
