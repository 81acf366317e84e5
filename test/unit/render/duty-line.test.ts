/**
 * The shipped on-duty line (templates/oncall/duty-line.hbs) as a Mattermost header shows it:
 * every slot with its holder, "nobody" for a gap or when no slot is on duty, the end of the
 * stretch in the rotation's zone when there is one, and names that cannot ping or format.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeDutyHeader } from '../../../src/chat/mattermost/duty-header.js';
import { toMattermostPost } from '../../../src/render/mattermost.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import type { SerializeOptions } from '../../../src/render/serialize-options.js';

const people: Record<string, { mattermost?: string; name: string }> = {
  'person:alice': { mattermost: 'alice', name: 'Alice' },
  'person:bob': { mattermost: 'bob', name: 'Bob' },
  'person:eve': { name: '@channel *Eve*' },
};
const opts: SerializeOptions = { zone: 'Europe/Berlin', mentions: (ref) => people[ref] };
const until = new Date('2026-12-07T08:00:00Z');

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

/** The header line as the Mattermost adapter writes it (word joiners after mentions removed unless `raw`). */
function line(data: Record<string, unknown>, raw = false): string {
  const msg = renderer.render('oncall/duty-line', { team: 'Payments', ...data });
  const text = toMattermostPost({ body: msg.body, summary: '' }, { ...opts, buttonIntegration: () => ({ url: '', context: {} }) }).message;
  return raw ? text : text.replaceAll('\u2060', '');
}

describe('oncall/duty-line', () => {
  // [case, slots, until, line]
  const cases: [string, { slot: string; person: string | null }[], Date | null, string][] = [
    ['two slots and the end of the stretch in the given zone', [{ slot: 'primary', person: 'person:alice' }, { slot: 'secondary', person: 'person:bob' }], until, 'On duty: @alice (primary), @bob (secondary) until Mon 7 Dec 2026, 09:00 CET'],
    ['a gap in a slot', [{ slot: 'primary', person: null }, { slot: 'secondary', person: 'person:bob' }], until, 'On duty: nobody (primary), @bob (secondary) until Mon 7 Dec 2026, 09:00 CET'],
    ['no slot on duty (outside active hours)', [], until, 'On duty: nobody until Mon 7 Dec 2026, 09:00 CET'],
    ['a holder with no end in sight', [{ slot: 'primary', person: 'person:alice' }], null, 'On duty: @alice (primary)'],
  ];
  it.each(cases)('%s', (_name, slots, end, expected) => {
    expect(line({ slots, until: end })).toBe(expected);
  });

  it('a name without a Mattermost handle is text that cannot ping or format', () => {
    const text = line({ slots: [{ slot: 'primary', person: 'person:eve' }], until: null }, true);
    expect(text).not.toMatch(/@channel\b/);
    expect(text).toContain('\\*Eve\\*');
  });

  it('goes into the header between the markers, after the channel text', () => {
    const text = line({ slots: [{ slot: 'primary', person: 'person:alice' }], until });
    expect(mergeDutyHeader('Runbooks: https://wiki/pay', text)).toBe(`Runbooks: https://wiki/pay [day2] ${text} [/day2]`);
  });
});
