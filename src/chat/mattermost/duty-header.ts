/**
 * Who is on duty as part of a Mattermost channel header. The header belongs to the channel's
 * people; Day2 owns only the text between its markers and leaves everything else as it was:
 *
 *   Runbooks: https://wiki/payments [day2] On duty: @alice (primary) until Mon 7 Dec 09:00 CET [/day2]
 *
 * Markers are plain text because a header is markdown without comments. A header without a Day2
 * part gets one appended; a start marker whose end marker was deleted claims the rest of the
 * header (the end was Day2's), so the part never grows a second copy.
 */

export const DUTY_OPEN = '[day2]';
export const DUTY_CLOSE = '[/day2]';
/** Upstream model.ChannelHeaderMaxRunes. */
export const HEADER_MAX_RUNES = 1024;

/** The header with its Day2 part set to `line` (one line; markers inside it are defused). */
export function mergeDutyHeader(header: string, line: string): string {
  const part = `${DUTY_OPEN} ${defuse(line).replace(/\s*\n\s*/g, ' ').trim()} ${DUTY_CLOSE}`;
  const start = header.indexOf(DUTY_OPEN);
  if (start < 0) {
    const operator = header.trimEnd();
    return operator === '' ? part : `${operator} ${part}`;
  }
  const end = header.indexOf(DUTY_CLOSE, start);
  const before = header.slice(0, start);
  // Any further Day2 parts (a header pasted twice) are dropped: there is one line of duty.
  const after = end < 0 ? '' : removeParts(header.slice(end + DUTY_CLOSE.length));
  return `${before}${part}${after}`;
}

/** The header without any Day2 part (what the channel's people wrote). */
export function operatorText(header: string): string {
  return removeParts(header).replace(/\s{2,}/g, ' ').trim();
}

/** Length as Mattermost counts it (runes, not UTF-16 units). */
export function runeLength(s: string): number {
  return [...s].length;
}

function removeParts(text: string): string {
  let out = text;
  for (;;) {
    const start = out.indexOf(DUTY_OPEN);
    if (start < 0) return out;
    const end = out.indexOf(DUTY_CLOSE, start);
    out = end < 0 ? out.slice(0, start) : `${out.slice(0, start)}${out.slice(end + DUTY_CLOSE.length)}`;
  }
}

/** A marker inside the line itself (from a template overlay) would split the part on the next merge. */
function defuse(line: string): string {
  return line.split(DUTY_OPEN).join('[day2\u200b]').split(DUTY_CLOSE).join('[/day2\u200b]');
}
