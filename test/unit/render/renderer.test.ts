import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toConsoleText } from '../../../src/render/console.js';
import { toMattermostPost } from '../../../src/render/mattermost.js';
import { createRenderer } from '../../../src/render/renderer.js';
import type { SerializeOptions } from '../../../src/render/serialize-options.js';
import { toSlackMessage } from '../../../src/render/slack.js';
import { inlineRenderer, writeTemplates } from './inline-renderer.js';

const opts: SerializeOptions = { zone: 'Europe/Berlin', mentions: () => undefined, now: () => new Date('2026-11-28T09:00:00Z') };

describe('template sections', () => {
  let r: Awaited<ReturnType<typeof inlineRenderer>>;
  beforeAll(async () => {
    r = await inlineRenderer({
      full: [
        'Intro before any marker',
        '@title Cover needed: {{team}}',
        '@body',
        'Second **body** part',
        '@field! Team',
        '{{team}}',
        '@field Notes',
        '{{#if notes}}{{notes}}{{/if}}',
        '@field Owner',
        '  ',
        '@context',
        'ref {{code id}}',
        '@button cover primary value={{id}}',
        'Cover it',
        '@button drop danger',
        'Drop',
        'Really drop {{team}}?',
        '@summary',
        'Cover for {{team}}',
      ].join('\n'),
      derived: '@title Heading\n@body\n\n\nFirst line\nsecond line\n\n\n\nnext paragraph\n\n',
      bodyOnly: 'Just {{text}}',
      unknownMarker: '@titel typo',
      badButton: '@button not_ok\nLabel',
      noLabel: '@button ok\n',
      noFieldLabel: '@field\nvalue',
      longTitle: '@title {{text}}',
    });
  });
  afterAll(() => r.cleanup());

  it('builds the whole message from marker lines', () => {
    expect(r.render('full', { team: 'core', id: 'shift-42', notes: '' })).toEqual({
      title: 'Cover needed: core',
      body: 'Intro before any marker\nSecond **body** part',
      fields: [{ label: 'Team', value: 'core', short: true }],
      context: 'ref `shift-42`',
      buttons: [
        { actionId: 'cover', label: 'Cover it', value: 'shift-42', style: 'primary' },
        { actionId: 'drop', label: 'Drop', value: '', style: 'danger', confirm: 'Really drop core?' },
      ],
      summary: 'Cover for core',
    });
  });

  it('drops empty fields and trims and collapses blank lines', () => {
    const msg = r.render('derived', {});
    expect(msg.body).toBe('First line\nsecond line\n\nnext paragraph');
    expect(msg.fields).toBeUndefined();
    expect(msg.context).toBeUndefined();
    expect(msg.buttons).toBeUndefined();
  });

  it('derives the summary from the title and the first line of the body', () => {
    expect(r.render('derived', {}).summary).toBe('Heading — First line');
    expect(r.render('bodyOnly', { text: '*starred* <@U1>' }).summary).toBe('Just *starred* <@U1>');
  });

  it("writes the summary's times in the zone in force at each render (a reload changes it)", async () => {
    let zone = 'Europe/Berlin';
    const z = await inlineRenderer({ ends: 'Ends {{date at "datetime"}}' }, { zone: () => zone });
    try {
      const at = new Date('2026-11-28T09:00:00Z');
      expect(z.render('ends', { at }).summary).toMatch(/10:00/);
      zone = 'America/New_York';
      expect(z.render('ends', { at }).summary).toMatch(/04:00/);
    } finally {
      await z.cleanup();
    }
  });

  it('cuts a long title to 150 characters', () => {
    const title = r.render('longTitle', { text: 'x'.repeat(400) }).title!;
    expect(Array.from(title)).toHaveLength(150);
    expect(title.endsWith('…')).toBe(true);
  });

  it.each([
    ['unknownMarker', /unknown marker line "@titel typo"/],
    ['badButton', /action id "not_ok" must be letters and digits/],
    ['noLabel', /@button ok needs its label/],
    ['noFieldLabel', /@field needs a label/],
  ])('%s fails with a clear error', (name, message) => {
    expect(() => r.render(name, {})).toThrow(message);
  });
});

describe('values and helpers', () => {
  let r: Awaited<ReturnType<typeof inlineRenderer>>;
  beforeAll(async () => {
    r = await inlineRenderer({
      esc: '{{x}}',
      raw: '{{{x}}}',
      nested: '{{a.b}}',
      each: '{{#each items}}[{{this}}]{{/each}}',
      optional: '{{#if maybe}}yes {{maybe}}{{else}}no{{/if}}',
      partial: 'before {{> sig}}',
      'partials/sig': 'signed {{who}}',
      helper: '{{date at "datetime"}} {{date at "date"}} {{relative at}}',
      badStyle: '{{date at "soon"}}',
      mention: '{{mention a}} {{mention b}} {{mention c}} {{mention d}} {{mention e}}',
      list: '{{list items}}',
      join: '{{join items}}|{{join items " / "}}',
      plural: '{{plural n "team"}}; {{plural n "person" "people"}}',
      logic: '{{#if (and a (or b c) (not d) (eq e "x"))}}T{{else}}F{{/if}}',
      code: '{{code x}}',
      link: '{{link url label}}',
      truncate: '{{truncate x 5}}',
      duration: '{{duration s}}',
      shadowed: '{{code}}',
    });
  });
  afterAll(() => r.cleanup());

  it.each(['{{foo}}', '{{constructor}}', '<!channel>', '@here', '**x**', '\n@title pwned', '{{{raw}}}', '[a](https://b)'])(
    '{{x}} with %j is escaped markup that reads back as the same text',
    (x) => {
      const msg = r.render('esc', { x });
      // No marker line: the body is all there is.
      expect(msg.title).toBeUndefined();
      expect(msg.body).not.toMatch(/(^|\n)@/);
      // A value is data: template syntax inside it is never evaluated.
      expect(msg.summary).toBe(x.replace(/\s+/g, ' ').trim());
    },
  );

  it('a Date value becomes a date token, not the server\'s local time', () => {
    expect(r.render('esc', { x: new Date('2026-12-01T09:00:00Z') }).body).toBe('<!date:2026-12-01T09:00:00.000Z|datetime>');
  });

  it('{{{x}}} is raw markup', () => {
    expect(r.render('raw', { x: '**bold** <@person:alice>' }).body).toBe('**bold** <@person:alice>');
  });

  it('missing values throw with the template name', () => {
    expect(() => r.render('esc', {})).toThrow(/template "esc": "x" not defined/);
    expect(() => r.render('nested', { a: {} })).toThrow(/template "nested": "b" not defined/);
    expect(() => r.render('each', {})).toThrow(/template "each": "items" not defined/);
    expect(() => r.render('helper', {})).toThrow(/template "helper": "at" not defined/);
    expect(() => r.render('esc', { x: undefined })).toThrow(/template "esc": value is undefined/);
  });

  it('optional values are guarded with #if', () => {
    expect(r.render('optional', {}).body).toBe('no');
    expect(r.render('optional', { maybe: '*m*' }).body).toBe('yes \\*m\\*');
  });

  it('unknown templates throw and has() tells', () => {
    expect(r.has('esc')).toBe(true);
    expect(r.has('partials/sig')).toBe(false);
    expect(() => r.render('nope', {})).toThrow(/unknown template "nope" \(known: .*esc/);
  });

  it('partials escape too', () => {
    expect(r.render('partial', { who: '@here' }).body).toBe('before signed \\@here');
  });

  it('date and relative helpers produce tokens', () => {
    expect(r.render('helper', { at: '2026-12-01T09:00:00Z' }).body).toBe(
      '<!date:2026-12-01T09:00:00.000Z|datetime> <!date:2026-12-01T09:00:00.000Z|date> <!date:2026-12-01T09:00:00.000Z|relative>',
    );
    expect(r.render('helper', { at: new Date('2026-12-01T09:00:00Z') }).body).toContain('<!date:2026-12-01T09:00:00.000Z|datetime>');
    expect(() => r.render('helper', { at: 'next tuesday' })).toThrow(/"next tuesday" is not a date/);
    expect(() => r.render('badStyle', { at: '2026-12-01T09:00:00Z' })).toThrow(/style must be one of/);
  });

  it('mention accepts references, users and people, and shows anything else as text', () => {
    const body = r.render('mention', {
      a: 'person:alice',
      b: { platform: 'slack', id: 'U0BOB' },
      c: { platform: 'mattermost', id: 'x'.repeat(26), name: 'carol' },
      d: { id: 'dave', name: 'Dave' },
      e: '@channel',
    }).body;
    expect(body).toBe('<@person:alice> <@slack:U0BOB> <@mattermost:carol> <@person:dave> \\@channel');
  });

  it('list, join and plural escape their items', () => {
    expect(r.render('list', { items: ['a', '*b*', '- c'] }).body).toBe('- a\n- \\*b\\*\n- \\- c');
    expect(r.render('join', { items: ['a', '<b>'] }).body).toBe('a, \\<b\\>|a / \\<b\\>');
    expect(r.render('plural', { n: 1 }).body).toBe('1 team; 1 person');
    expect(r.render('plural', { n: 3 }).body).toBe('3 teams; 3 people');
    expect(r.render('plural', { n: ['x', 'y'] }).body).toBe('2 teams; 2 people');
  });

  it('logic helpers', () => {
    expect(r.render('logic', { a: 1, b: 0, c: 'y', d: false, e: 'x' }).body).toBe('T');
    expect(r.render('logic', { a: 1, b: 0, c: '', d: false, e: 'x' }).body).toBe('F');
  });

  it.each([[0, '0 s'], [44.6, '45 s'], [60, '1 min'], [150, '2.5 min'], [3599, '60 min'], [3600, '1 h'], [5400, '1.5 h'], [47 * 3600, '47 h'], [48 * 3600, '2 d'], [216_000, '2.5 d']])('duration of %d seconds is %s', (s, text) => {
    expect(r.render('duration', { s }).body).toBe(text);
  });

  it('duration refuses what is not a number of seconds', () => {
    expect(() => r.render('duration', { s: -1 })).toThrow(/seconds/);
    expect(() => r.render('duration', { s: '5' })).toThrow(/seconds/);
  });

  it('code, link and truncate', () => {
    expect(r.render('code', { x: 'a`b' }).body).toBe('`a\\`b`');
    expect(r.render('link', { url: 'https://example.com/a_(b)', label: '*docs*' }).body).toBe('[\\*docs\\*](https://example.com/a\\_\\(b\\))');
    expect(r.render('link', { url: 'javascript:alert(1)', label: 'x' }).body).toBe('x');
    expect(r.render('link', { url: 'ftp://host', label: '' }).body).toBe('ftp://host');
    expect(r.render('truncate', { x: 'abcdefgh' }).body).toBe('abcd…');
    expect(r.render('truncate', { x: 'abc' }).body).toBe('abc');
  });

  it('a value named like a helper calls the helper, as in Handlebars', () => {
    expect(() => r.render('shadowed', { code: 'x' })).toThrow(/template "shadowed": \{\{code\}\}: missing text/);
  });
});

describe('shipped templates', () => {
  const samples: Record<string, Record<string, unknown>> = {
    'help/overview': {
      families: [
        { name: 'oncall', aliases: ['oc'], summary: 'Rotations and cover', commands: [{ usage: '/oncall who <team>', summary: 'Who is on call now' }] },
        { name: 'notice', aliases: [], summary: 'Maintenance notices', commands: [{ usage: '/notice new', summary: 'Announce work' }] },
      ],
      callerRoles: ['pre'],
    },
    'help/family': {
      family: {
        name: 'oncall',
        aliases: ['oc'],
        summary: 'Rotations and cover',
        commands: [{ name: 'who', usage: '/oncall who <team>', summary: 'Who is on call', examples: ['/oncall who core'], role: 'pre' }],
      },
    },
    'errors/invalid-input': { message: 'Expected a duration like "2h"', usage: '/oncall cover <duration>', hint: 'Try 30m' },
    'errors/forbidden': { message: 'Only members of Payments can swap its turns.' },
    'errors/internal': { reference: 'ev-123' },
    'errors/reconnecting': {},
    'errors/unknown-command': { input: '/day2 hlep', suggestion: '/day2 help', usage: '/day2 <family> <command>' },
    'system/reloaded': { people: 12, teams: 3, environments: 1, warnings: ['rotation pay: layers emea and amer cover the same slot once in the next 28 days'] },
    'system/whoami': { platform: 'slack', userId: 'U0ALICE', person: { id: 'alice', name: 'Alice' }, roles: ['admin', 'pre'], zone: 'Europe/Berlin' },
    'system/ok': { text: 'Done.' },
  };
  let renderer: Awaited<ReturnType<typeof createRenderer>>;
  beforeAll(async () => {
    renderer = await createRenderer();
  });

  it.each(Object.entries(samples))('%s renders and serializes on every platform', (name, data) => {
    expect(renderer.has(name)).toBe(true);
    const msg = renderer.render(name, data);
    expect(msg.summary.length).toBeGreaterThan(0);
    expect(msg.body || msg.fields?.length).toBeTruthy();
    const slack = toSlackMessage(msg, opts);
    expect(slack.blocks.length).toBeGreaterThan(0);
    expect(toMattermostPost(msg, { ...opts, buttonIntegration: () => ({ url: 'http://127.0.0.1/a', context: {} }) }).message.length).toBeGreaterThan(0);
    expect(toConsoleText(msg, opts).length).toBeGreaterThan(0);
  });

  it('optional data may be left out', () => {
    expect(renderer.render('errors/invalid-input', { message: 'bad' }).body).toBe('⚠️ bad');
    expect(renderer.render('errors/unknown-command', { input: 'x', usage: '/day2 help' }).body).not.toContain('Did you mean');
    expect(renderer.render('system/whoami', { platform: 'mattermost', userId: 'u1', roles: [], zone: 'UTC' }).fields).toContainEqual({
      label: 'Person',
      value: '_Not in the configuration_',
      short: true,
    });
  });

  it('required data may not', () => {
    expect(() => renderer.render('errors/internal', {})).toThrow(/"reference" not defined/);
    expect(() => renderer.render('help/overview', { callerRoles: [] })).toThrow(/"families" not defined/);
  });

  it('help lists every family and command', () => {
    const msg = renderer.render('help/overview', samples['help/overview']!);
    expect(msg.title).toBe('Day2 commands');
    expect(msg.body).toContain('**oncall** (also oc) — Rotations and cover');
    expect(msg.body).toContain('- `/oncall who \\<team\\>` — Who is on call now');
    expect(msg.body).toContain('**notice** — Maintenance notices');
    expect(msg.context).toBe('Your roles: pre');
  });

  it('internal errors show the reference and nothing else', () => {
    const msg = renderer.render('errors/internal', { reference: 'ev-123', stack: 'Error: boom\n    at x.js:1' });
    expect(msg.body).toContain('`ev-123`');
    expect(msg.body).not.toContain('boom');
  });
});

describe('overlay directory', () => {
  it('replaces a shipped template and a partial of the same name, keeping the others', async () => {
    const overlay = await writeTemplates({ 'system/ok': '@title Custom\n👍 {{text}}{{> footer}}', 'partials/footer': ' ({{text}})' });
    try {
      const r = await createRenderer({ overlayDir: overlay.dir });
      expect(r.render('system/ok', { text: 'fine' })).toMatchObject({ title: 'Custom', body: '👍 fine (fine)' });
      expect(r.render('errors/internal', { reference: 'r1' }).body).toContain('`r1`');
    } finally {
      await overlay.cleanup();
    }
  });

  it('a missing overlay directory is a startup error', async () => {
    await expect(createRenderer({ overlayDir: '/nonexistent/day2-templates' })).rejects.toThrow(/does not exist.*DAY2_TEMPLATES_DIR/);
  });

  it('a template with a syntax error fails at startup with its file name', async () => {
    const overlay = await writeTemplates({ 'system/ok': '{{#if x}}unclosed' });
    try {
      await expect(createRenderer({ overlayDir: overlay.dir })).rejects.toThrow(/system[/\\]ok\.hbs/);
    } finally {
      await overlay.cleanup();
    }
  });

  it('Windows line endings still give marker lines', async () => {
    const overlay = await writeTemplates({});
    try {
      await mkdir(join(overlay.dir, 'system'), { recursive: true });
      await writeFile(join(overlay.dir, 'system', 'ok.hbs'), '@title T\r\n@body\r\n{{text}}\r\n');
      const r = await createRenderer({ overlayDir: overlay.dir });
      expect(r.render('system/ok', { text: 'x' })).toMatchObject({ title: 'T', body: 'x' });
    } finally {
      await overlay.cleanup();
    }
  });
});
