/**
 * English articles for words the code puts into sentences ("an outage", "a deploy"). Templates
 * have their own helper; this one is for refusals raised by rules, which have no template.
 */
export function withArticle(word: string): string {
  // "an" before a vowel sound; the words passed here (kinds, statuses) have no silent "h" or "u…".
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

/** "Payments' managers", "Bob's turn". */
export function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

/** "Ann", "Ann and Bo", "Ann, Bo and Cy"; `none` when the list is empty. */
export function listWords(items: readonly string[], none = 'none'): string {
  if (items.length === 0) return none;
  if (items.length === 1) return items[0]!;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "1 layer", "3 layers", "0 rules", "2 people": a number and its noun, plural when it is not one. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
