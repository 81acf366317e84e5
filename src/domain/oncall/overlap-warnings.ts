/**
 * Layer overlaps of the configured rotations as warnings a person can act on, for the places a
 * rotation is saved: `day2 check-config`, `/day2 reload` and the start-up log. Overlaps are not
 * errors (precedence resolves them), so the config still loads; the warning says where to look.
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { toRotationDecl, type RotationEntry } from './config.js';
import { findLayerOverlaps, type LayerOverlap } from './overlaps.js';

/** How far ahead overlaps are looked for. */
const HORIZON_DAYS = 28;

const local = (d: Date, zone: string) => format(new TZDate(d.getTime(), zone), 'EEE yyyy-MM-dd HH:mm');

/** One line per rotation, kind of overlap, pair of layers and person, with its first occurrence. */
export function rotationOverlapWarnings(rotations: readonly RotationEntry[], defaultZone: string, now: Date): string[] {
  const out: string[] = [];
  for (const r of rotations) {
    const zone = r.timezone ?? defaultZone;
    const overlaps = findLayerOverlaps(toRotationDecl(r, defaultZone), now, new Date(now.getTime() + HORIZON_DAYS * 86_400_000), 200);
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
  }
  return out;
}
