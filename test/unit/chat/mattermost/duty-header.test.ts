/**
 * The Day2 part of a Mattermost channel header: set, replaced and repaired without touching a
 * character of what the channel's people wrote around it.
 */
import { describe, expect, it } from 'vitest';
import { DUTY_CLOSE, DUTY_OPEN, mergeDutyHeader, operatorText, runeLength } from '../../../../src/chat/mattermost/duty-header.js';

const LINE = 'On duty: @alice (primary) until Mon 7 Dec 09:00 CET';
const PART = `${DUTY_OPEN} ${LINE} ${DUTY_CLOSE}`;

describe('mergeDutyHeader', () => {
  // [case, header before, header after]
  const cases: [string, string, string][] = [
    ['an empty header becomes the part alone', '', PART],
    ['operator text is kept and the part appended', 'Runbooks: https://wiki/pay', `Runbooks: https://wiki/pay ${PART}`],
    ['trailing spaces of the operator text are not doubled', 'Runbooks   ', `Runbooks ${PART}`],
    ['the old part is replaced in place, text on both sides kept', `Runbooks ${DUTY_OPEN} On duty: @bob (primary) ${DUTY_CLOSE} · #help for questions`, `Runbooks ${PART} · #help for questions`],
    ['a part at the start stays at the start', `${DUTY_OPEN} old ${DUTY_CLOSE} Runbooks`, `${PART} Runbooks`],
    ['a start marker without its end claims the rest of the header', `Runbooks ${DUTY_OPEN} On duty: @bob`, `Runbooks ${PART}`],
    ['a second copy of the part is dropped', `${DUTY_OPEN} a ${DUTY_CLOSE} Runbooks ${DUTY_OPEN} b ${DUTY_CLOSE}!`, `${PART} Runbooks !`],
    ['an end marker alone is operator text', `Runbooks ${DUTY_CLOSE}`, `Runbooks ${DUTY_CLOSE} ${PART}`],
  ];
  it.each(cases)('%s', (_name, before, after) => {
    expect(mergeDutyHeader(before, LINE)).toBe(after);
  });

  it('is idempotent: merging the same line again changes nothing', () => {
    const once = mergeDutyHeader('Runbooks: https://wiki/pay', LINE);
    expect(mergeDutyHeader(once, LINE)).toBe(once);
  });

  it('keeps the part on one line and defuses markers inside it', () => {
    const merged = mergeDutyHeader('Ops', `On duty:\n@alice ${DUTY_CLOSE} [day2] x`);
    expect(merged).not.toContain('\n');
    expect(merged.split(DUTY_OPEN)).toHaveLength(2);
    expect(merged.split(DUTY_CLOSE)).toHaveLength(2);
    expect(mergeDutyHeader(merged, LINE)).toBe(`Ops ${PART}`);
  });

  it('operatorText is the header without the Day2 part', () => {
    expect(operatorText(`Runbooks ${PART} · #help`)).toBe('Runbooks · #help');
    expect(operatorText(PART)).toBe('');
  });

  it('counts runes, as Mattermost limits headers', () => {
    expect(runeLength('🛎️x')).toBe(3);
    expect(runeLength('a😀')).toBe(2);
  });
});
