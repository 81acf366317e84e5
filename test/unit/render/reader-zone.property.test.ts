/**
 * For any reader zone, every instant a message shows as text is in that zone and names it:
 * the serializers report each date they write (SerializeOptions.onDate), and each report is
 * checked against an independent reading of the same instant with Intl.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/chat/message.js';
import { toConsoleText } from '../../../src/render/console.js';
import { toMattermostPost } from '../../../src/render/mattermost.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import type { SerializeOptions } from '../../../src/render/serialize-options.js';
import { toSlackMessage } from '../../../src/render/slack.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { samplesFor } from '../../support/template-samples.js';

const ZONES = ['UTC', 'Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Singapore', 'Asia/Kolkata', 'Australia/Sydney', 'Pacific/Chatham', 'America/St_Johns'];

type Shown = { date: Date; style: string; zone: string; text: string };

/** "Tue 8 Dec 2026, 09:00" for `date` in `zone`, read with Intl rather than with date-fns. */
function expectedLocal(date: Date, zone: string): { day: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  return { day: `${parts.weekday} ${parts.day} ${parts.month} ${parts.year}`, time: `${parts.hour}:${parts.minute}` };
}

/** The zone's name as a reader sees it after the time: an abbreviation, or an offset and city. */
function namesZone(text: string, zone: string): boolean {
  const city = zone.split('/').pop()!.replaceAll('_', ' ');
  return / (UTC|[A-Z]{2,5})$/.test(text) || text.endsWith(`(${city})`);
}

const serializers: [string, (m: OutboundMessage, o: SerializeOptions) => string][] = [
  ['console', (m, o) => toConsoleText(m, o)],
  ['mattermost', (m, o) => JSON.stringify(toMattermostPost(m, { ...o, buttonIntegration: () => ({ url: 'http://x', context: {} }) }))],
  ['slack fallback', (m, o) => JSON.stringify(toSlackMessage(m, o))],
];

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

describe("every instant shown in the reader's zone, named", () => {
  it.each(serializers)('%s', (_name, serialize) => {
    const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), instant, fc.integer({ min: 1, max: 72 * 60 }), (zone, start, minutes) => {
        const end = new Date(start.getTime() + minutes * 60_000);
        const message = renderer.render('notices/preview', { kind: 'maintenance', env: 'prod', envName: 'Production', counts: { total: 2, slack: 1, mattermost: 1 }, summary: 'Upgrade', classification: 'UNCLASSIFIED', start, end, draftId: 'd1' });
        const shown: Shown[] = [];
        const out = serialize(message, { zone, mentions: () => undefined, now: () => new Date('2026-12-05T12:00:00Z'), onDate: (s) => shown.push(s) });
        expect(shown.map((s) => s.date.getTime()).sort()).toEqual([start.getTime(), end.getTime()].sort());
        for (const s of shown) {
          const want = expectedLocal(s.date, zone);
          expect(s.zone).toBe(zone);
          expect(s.text.startsWith(`${want.day}, ${want.time} `)).toBe(true);
          expect(namesZone(s.text, zone)).toBe(true);
          expect(out).toContain(s.text.slice(0, 20));
        }
        expect(out).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      }),
      { numRuns: 150 },
    );
  });
});

const ROOT = join(import.meta.dirname, '../../../templates');
const hbs = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? hbs(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : []));
const sources = hbs(ROOT).map((f) => ({ name: relative(ROOT, f).replace(/\.hbs$/, ''), source: readFileSync(f, 'utf8') }));
const partials = new Map(sources.filter((t) => t.name.startsWith('partials/')).map((t) => [t.name.slice('partials/'.length), t.source]));
const chat = sources.filter((t) => !/^(partials|web|import)\//.test(t.name));

describe("every template's instants, for any reader zone", () => {
  it('are each shown in that zone, named, on every serializer', () => {
    fc.assert(
      fc.property(fc.constantFrom(...chat), fc.constantFrom(...ZONES), fc.constantFrom(...serializers), (template, zone, [, serialize]) => {
        const message = renderer.render(template.name, samplesFor(template.source, partials, 2));
        const shown: Shown[] = [];
        const out = serialize(message, { zone, mentions: () => undefined, now: () => new Date('2026-12-05T12:00:00Z'), onDate: (s) => shown.push(s) });
        for (const s of shown) {
          const want = expectedLocal(s.date, zone);
          const text = s.style === 'relative' ? s.text.slice(s.text.indexOf(', ') + 2) : s.text;
          if (s.style === 'date') expect(text).toBe(want.day);
          else if (s.style === 'time') expect(text.startsWith(`${want.time} `) && namesZone(text, zone)).toBe(true);
          else expect(text.startsWith(`${want.day}, ${want.time} `) && namesZone(text, zone)).toBe(true);
        }
        expect(out).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      }),
      { numRuns: 400 },
    );
  });
});
