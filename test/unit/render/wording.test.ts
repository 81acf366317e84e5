/**
 * What people read, for every shipped template, with no, one and two of everything: no
 * "1 channels", no "a outage", no ISO instant, no raw platform id or mention reference.
 * The data comes from the template itself (test/support/template-samples.ts), so a new
 * template is checked the day it is added.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { toConsoleText } from '../../../src/render/console.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import { samplesFor } from '../../support/template-samples.js';

const ROOT = join(import.meta.dirname, '../../../templates');

function hbsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? hbsFiles(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : []));
}

const files = hbsFiles(ROOT).map((f) => ({ name: relative(ROOT, f).replace(/\.hbs$/, ''), source: readFileSync(f, 'utf8') }));
const partials = new Map(files.filter((f) => f.name.startsWith('partials/')).map((f) => [f.name.slice('partials/'.length), f.source]));
// web/ and import/ are not chat messages (HTML pages, the import command's terminal text).
const templates = files.filter((f) => !/^(partials|web|import)\//.test(f.name));
/** `/day2 whoami` exists to show your platform user id, for copying into the config. */
const SHOWS_IDS_ON_PURPOSE = new Set(['system/whoami']);

/** Words ending in "s" that are not plurals, so "1 status" is fine. */
const SINGULAR_S = new Set(['is', 'was', 'has', 'its', 'this', 'thus', 'plus', 'us', 'as', 'yes', 'status', 'alias', 'access', 'process', 'less', 'unless', 'across', 'progress', 'success', 'address', 'class', 'focus', 'bonus', 'bus', 'canvas', 'minus', 'always', 'cross']);

/** What a reader must never see, as [why, finder]. */
const RULES: [string, (text: string) => string | undefined][] = [
  ['a plural after one', (t) => [...t.matchAll(/(?<![\d.,:/])\b1 ([a-z]+s)\b/g)].find((m) => !SINGULAR_S.has(m[1]!))?.[0]],
  ['"a" before a vowel', (t) => t.match(/\b[Aa] (?!u|one|eu)[aeio][a-z]*/)?.[0]],
  ['an ISO instant', (t) => t.match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/)?.[0]],
  ['a raw platform id', (t) => t.match(/\b[CUDGW]0ID0000\d\b|<[#@][CUW]0|console:console/)?.[0]],
  ['a mention reference', (t) => t.match(/\bperson:[a-z]/)?.[0]],
];

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ zone: 'UTC' });
});

describe.each([0, 1, 2])('every template with %i of everything', (n) => {
  it.each(templates.map((t) => [t.name, t.source] as const))('%s', (name, source) => {
    const data = samplesFor(source, partials, n);
    let text: string;
    try {
      const message = renderer.render(name, data);
      text = `${toConsoleText(message, { zone: 'UTC', mentions: (ref) => (ref === 'person:olivia' ? { name: 'Olivia' } : undefined) })}\n${message.summary}`;
    } catch (e) {
      // The data is guessed from the template; what cannot be guessed is not what this test is about.
      if (/is not a date|expected a number|expected a list|expected seconds/.test(String(e))) return;
      throw e;
    }
    const rules = SHOWS_IDS_ON_PURPOSE.has(name) ? RULES.filter(([why]) => why !== 'a raw platform id') : RULES;
    const broken = rules.map(([why, find]) => [why, find(text)] as const).filter(([, hit]) => hit);
    expect(broken.map(([why, hit]) => `${why}: "${hit}"`), text).toEqual([]);
  });
});
