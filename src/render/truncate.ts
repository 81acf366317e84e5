/**
 * Cutting serialized text to a platform limit without breaking what the platform parses: never
 * inside an `&entity;`, a Slack `<…>` token, a surrogate pair, or leaving a code fence open.
 * Lengths are UTF-16 code units, which is how both platforms count in practice.
 */
import { TRUNCATION_NOTE } from './limits.js';

/** `s` if it fits, else the longest safe prefix followed by the truncation note. */
export function truncateSerialized(s: string, max: number, note = TRUNCATION_NOTE): string {
  if (s.length <= max) return s;
  let p = Math.max(0, max - note.length - 5);
  const lastLt = s.lastIndexOf('<', p - 1);
  if (lastLt >= 0 && s.lastIndexOf('>', p - 1) < lastLt) p = lastLt;
  const lastAmp = s.lastIndexOf('&', p - 1);
  if (lastAmp >= 0 && p - lastAmp <= 8 && !s.slice(lastAmp, p).includes(';')) p = lastAmp;
  // Markdown link/label brackets: do not leave "[label](ur" behind.
  const lastBracket = s.lastIndexOf('](', p - 1);
  if (lastBracket >= 0 && s.indexOf(')', lastBracket) >= p) p = Math.max(0, s.lastIndexOf('[', lastBracket));
  const code = s.charCodeAt(p - 1);
  if (code >= 0xd800 && code <= 0xdbff) p--;
  let head = s.slice(0, p).replace(/\\+$/, (m) => (m.length % 2 === 1 ? m.slice(1) : m));
  // An odd number of fences means the cut landed inside a code block: close it first.
  const fences = head.match(/```/g)?.length ?? 0;
  if (fences % 2 === 1) head += '\n```';
  return `${head}\n${note}`;
}
