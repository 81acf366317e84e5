/**
 * Plain-text templates for the command line (src/render/text.ts): terminal text as written, no
 * HTML escaping, counts as count() words them, missing values and broken templates named, the
 * operator overlay, and the shipped templates/import/ kept out of the chat renderer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { count } from '../../../src/domain/wording.js';
import { createRenderer } from '../../../src/render/renderer.js';
import { createTextRenderer } from '../../../src/render/text.js';
import { writeTemplates } from './inline-renderer.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A text renderer over `files` (names under the family folder "tool"). */
async function textOver(files: Record<string, string>, overlay?: Record<string, string>) {
  const shipped = await writeTemplates(Object.fromEntries(Object.entries(files).map(([k, v]) => [`tool/${k}`, v])));
  cleanups.push(shipped.cleanup);
  let overlayDir: string | undefined;
  if (overlay) {
    const o = await writeTemplates(Object.fromEntries(Object.entries(overlay).map(([k, v]) => [`tool/${k}`, v])));
    cleanups.push(o.cleanup);
    overlayDir = o.dir;
  }
  return createTextRenderer({ family: 'tool', templatesDir: shipped.dir, overlayDir });
}

describe('plain-text templates', () => {
  it('print values as they are, without HTML escaping, and drop only the file’s final newline', async () => {
    const t = await textOver({ line: 'got {{v}}\n', para: '{{#each xs}}\n- {{this}}\n{{/each}}\n\n' });
    expect(t.render('line', { v: `<a href="x">&'` })).toBe(`got <a href="x">&'`);
    expect(t.render('para', { xs: ['a', 'b'] })).toBe('- a\n- b\n');
  });

  it('count as src/domain/wording.ts count() does, lists by their length', async () => {
    const t = await textOver({ n: '{{plural n "layer"}}', who: '{{plural n "person" "people"}}', list: '{{plural xs "difference"}}' });
    for (const n of [0, 1, 2]) {
      expect(t.render('n', { n })).toBe(count(n, 'layer'));
      expect(t.render('who', { n })).toBe(count(n, 'person', 'people'));
    }
    expect(t.render('list', { xs: [{}] })).toBe('1 difference');
  });

  it('write instants in full or to the minute, and join lists', async () => {
    const t = await textOver({ at: '{{iso at}} {{iso at "minute"}} {{iso late "minute"}}', j: '{{join xs " + "}}|{{join xs}}' });
    const at = Date.parse('2027-03-01T07:30:00Z');
    expect(t.render('at', { at, late: at + 15_000 })).toBe('2027-03-01T07:30:00.000Z 2027-03-01T07:30Z 2027-03-01T07:30:15.000Z');
    expect(t.render('j', { xs: ['bob', 'frank'] })).toBe('bob + frank|bob, frank');
  });

  it('throw on a missing value, naming the template; optional values are tested with if', async () => {
    const t = await textOver({ need: 'hi {{name}}', maybe: 'hi{{#if name}} {{name}}{{/if}}' });
    expect(() => t.render('need', {})).toThrow(/template "tool\/need": "name" not defined/);
    expect(t.render('maybe', {})).toBe('hi');
    expect(() => t.render('nope')).toThrow(/unknown template "tool\/nope"/);
  });

  it('fail at load on a broken template, naming its file', async () => {
    await expect(textOver({ bad: '{{#if x}}unclosed' })).rejects.toThrow(/tool[/\\]bad\.hbs/);
  });

  it('take an overlay file of the same name over the shipped one, partials too', async () => {
    const t = await textOver({ a: 'A {{> tail}}', b: 'B {{> tail}}', 'partials/tail': 'shipped' }, { a: 'custom A {{> tail}}', 'partials/tail': 'mine' });
    expect(t.render('a')).toBe('custom A mine');
    expect(t.render('b')).toBe('B mine');
  });
});

describe('the shipped import templates', () => {
  it('are the import command’s, not chat messages', async () => {
    const text = await createTextRenderer({ family: 'import' });
    expect(text.render('wrote', { file: 'out.yaml' })).toBe('✔ wrote the day2.yaml fragment to out.yaml');
    expect((await createRenderer()).has('import/wrote')).toBe(false);
  });
});
