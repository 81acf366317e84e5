/**
 * English articles for words the code puts into sentences ("an outage", "a deploy"). Templates
 * have their own helper; this one is for refusals raised by rules, which have no template.
 */
export function withArticle(word: string): string {
  // "an" before a vowel sound; the words passed here (kinds, statuses) have no silent "h" or "u…".
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}
