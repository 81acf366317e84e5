/** IANA zone validation: the one place that decides whether a zone name is real. */
const cache = new Map<string, boolean>();

export function isValidZone(zone: string): boolean {
  let ok = cache.get(zone);
  if (ok === undefined) {
    try {
      // Intl throws RangeError for unknown zones; it knows the same tz database as date-fns/tz.
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = zone.length > 0 && !/^[+-]\d/.test(zone);
    } catch {
      ok = false;
    }
    // Web pages take ?tz= from anyone: remember real zones (a few hundred exist), not every guess.
    if (ok || cache.size < 1000) cache.set(zone, ok);
  }
  return ok;
}
