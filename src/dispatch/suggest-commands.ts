/**
 * The commands closest to a plain line that is not a command ("who is on call?"), so a person
 * typing in their own words gets pointed somewhere useful instead of "unknown command". Each
 * command scores by the line's words it shares with its family name, aliases, name and summary,
 * plus near-misses of its name ("swp" → swap).
 */
import { editDistance } from './suggest.js';
import type { Registry } from './registry.js';

/** Words too common to say anything about what a person wants. */
const STOP = new Set(['the', 'and', 'for', 'you', 'what', 'how', 'can', 'please', 'with', 'this', 'that', 'from', 'are', 'have', 'need', 'want', 'there', 'any', 'about', 'does', 'when', 'into', 'day2']);

function words(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter((w) => w.length >= 3 && !STOP.has(w));
}

/** Up to `limit` usage lines, best first; empty when nothing is close. */
export function suggestCommands(registry: Registry, line: string, limit = 3): string[] {
  const wanted = words(line);
  if (wanted.length === 0) return [];
  const scored: { usage: string; score: number }[] = [];
  for (const family of registry.families) {
    const familyWords = new Set([family.name, ...family.aliases.map((a) => a.replace(/^\//, '')), ...words(family.summary)]);
    for (const command of family.commands) {
      const own = new Set([command.name, ...words(command.summary ?? '')]);
      let score = 0;
      for (const w of wanted) {
        if (w === command.name) score += 4;
        else if (familyWords.has(w) || (w.length >= 4 && family.name.includes(w))) score += 2;
        else if (own.has(w)) score += 1;
        else if (w.length >= 4 && editDistance(w, command.name) === 1) score += 2;
      }
      if (score > 0) scored.push({ usage: registry.usageOf(family, command), score });
    }
  }
  scored.sort((a, b) => b.score - a.score || a.usage.localeCompare(b.usage));
  return scored.slice(0, limit).map((s) => s.usage);
}
