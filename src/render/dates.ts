/**
 * Dates as text, for platforms that cannot localize them per reader (Mattermost, console, plain
 * summaries, Slack fallbacks). The zone is always named, because a reader in another zone must be
 * able to tell which clock "10:00" is on.
 */
import { format, formatDistanceStrict } from 'date-fns';
import { tz } from '@date-fns/tz';
import type { DateStyle } from './markup.js';

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Etc/GMT', 'GMT', 'Zulu', 'Etc/Zulu', 'Universal', 'Etc/Universal']);

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to build; zones are few, so keep them. */
function formatter(locale: string, zone: string): Intl.DateTimeFormat {
  const key = `${locale}|${zone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'short' });
    formatters.set(key, f);
  }
  return f;
}

/**
 * Short zone name at that instant ("CET", "CEST", "EST"). Intl's en-US names only US zones and
 * en-GB only European ones, so try both before settling for an offset ("GMT+5:30").
 */
export function zoneAbbreviation(date: Date, zone: string): string {
  if (UTC_ZONES.has(zone)) return 'UTC';
  let fallback = '';
  for (const locale of ['en-US', 'en-GB']) {
    const part = formatter(locale, zone)
      .formatToParts(date)
      .find((p) => p.type === 'timeZoneName')?.value;
    if (!part) continue;
    if (!/^(GMT|UTC)/.test(part)) return part;
    fallback ||= part;
  }
  return fallback || zone;
}

/**
 * The zone as shown after a time: its abbreviation ("CET", "EDT", "UTC"); where Intl knows only
 * an offset, the offset and the zone's city, so the reader can still tell which clock it is
 * ("GMT+8 (Singapore)").
 */
export function zoneLabel(date: Date, zone: string): string {
  const abbr = zoneAbbreviation(date, zone);
  if (!/^(GMT|UTC)[+-]/.test(abbr)) return abbr;
  const city = zone.split('/').pop()?.replaceAll('_', ' ');
  return city && city !== zone ? `${abbr} (${city})` : abbr;
}

/** One date format in every answer: "Tue 8 Dec 2026, 09:00 CET". */
export function formatAbsolute(date: Date, zone: string, style: Exclude<DateStyle, 'relative'>): string {
  const inZone = { in: tz(zone) };
  switch (style) {
    case 'date':
      return format(date, 'EEE d MMM yyyy', inZone);
    case 'time':
      return `${format(date, 'HH:mm', inZone)} ${zoneLabel(date, zone)}`;
    case 'datetime':
      return `${format(date, 'EEE d MMM yyyy, HH:mm', inZone)} ${zoneLabel(date, zone)}`;
  }
}

/** "in 3 days" / "5 minutes ago", measured from `now`. */
export function formatRelative(date: Date, now: Date): string {
  // "0 seconds ago" is what a clock says, not a person.
  const ahead = date.getTime() - now.getTime();
  if (ahead <= 0 && ahead > -60_000) return 'just now';
  if (ahead > 0 && ahead < 60_000) return 'in under a minute';
  return formatDistanceStrict(date, now, { addSuffix: true, roundingMethod: 'round' });
}

/**
 * A date token as static text. A relative date also names the absolute time, because the text
 * does not update as time passes.
 */
export function formatDate(date: Date, style: DateStyle, zone: string, now: Date): string {
  if (style === 'relative') return `${formatRelative(date, now)}, ${formatAbsolute(date, zone, 'datetime')}`;
  return formatAbsolute(date, zone, style);
}
