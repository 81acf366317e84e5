/** Shorten to `max` characters (code points, as Mattermost counts runes), marking the cut with "…". */
export function clamp(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
