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

/** One spelling per real zone, whatever letter case it was asked in (bounded by the zones that exist). */
const spellings = new Map<string, string>();

/**
 * The spelling to use for a real zone typed in any letter case ("europe/berlin" →
 * "Europe/Berlin"), or undefined when it is not one. Intl takes any case, and everything keyed by
 * zone name (the zone checks, date-fns' formatters, page ETags) keeps each spelling it sees, so
 * input from anyone must come down to one. Intl's own spelling is taken when it differs only in
 * case; a link name (Asia/Kolkata, Europe/Kyiv, which an older ICU resolves to Asia/Calcutta,
 * Europe/Kiev) keeps the name asked for, in the first case seen.
 */
export function zoneSpelling(zone: string): string | undefined {
  const key = zone.toLowerCase();
  const known = spellings.get(key);
  if (known !== undefined) return known;
  if (!isValidZone(zone)) return undefined;
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  const chosen = canonical.toLowerCase() === key ? canonical : zone;
  spellings.set(key, chosen);
  return chosen;
}
