/**
 * The web pages' renderer: templates/web/**\/*.hbs compiled as HTML (Handlebars' own escaping,
 * strict lookups), with an operator overlay (DAY2_TEMPLATES_DIR/web/…) replacing any of them like
 * the chat templates (optional values are tested with {{#if}}, so lookups are not strict). Dates go through the same `dateText` as chat, in the viewer's zone, so a
 * page and a message show an instant the same way. Static files (the stylesheet, the zone
 * script) live beside the templates and are overridable the same way.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { format } from 'date-fns';
import { tz } from '@date-fns/tz';
import { count, possessive, withArticle } from '../domain/wording.js';
import type { DateStyle } from './markup-syntax.js';
import { filesUnder, packageRoot } from './renderer.js';
import { dateText } from './serialize-options.js';

export interface WebRenderer {
  /** Render web/<name>.hbs with `data`; `data.zone` and `data.now` drive every date. */
  render(name: string, data: WebPageData): string;
  /** A static file under templates/web/static/ (stylesheet, script), or undefined. */
  asset(name: string): { body: Buffer; type: string } | undefined;
}

export interface WebPageData extends Record<string, unknown> {
  zone: string;
  now: Date;
}

const TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };

export async function createWebRenderer(opts: { overlayDir?: string; templatesDir?: string } = {}): Promise<WebRenderer> {
  const shipped = join(opts.templatesDir ?? join(packageRoot(), 'templates'), 'web');
  const files = await loadWeb(shipped);
  if (opts.overlayDir) for (const [k, v] of await loadWeb(join(opts.overlayDir, 'web'))) files.set(k, v);
  const hb = Handlebars.create();
  hb.registerHelper(webHelpers());
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const [name, file] of files) {
    if (name.startsWith('static/')) {
      assets.set(name.slice('static/'.length), { body: file.body, type: TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream' });
    } else if (name.endsWith('.hbs') && name.startsWith('partials/')) {
      hb.registerPartial(name.slice('partials/'.length, -'.hbs'.length), file.body.toString('utf8'));
    }
  }
  for (const [name, file] of files) {
    if (!name.endsWith('.hbs') || name.startsWith('partials/')) continue;
    templates.set(name.slice(0, -'.hbs'.length), hb.compile(file.body.toString('utf8'), { preventIndent: true }));
  }
  return {
    render(name, data) {
      const t = templates.get(name);
      if (!t) throw new Error(`unknown web template "${name}"`);
      return t(data);
    },
    asset: (name) => assets.get(name),
  };
}

async function loadWeb(dir: string): Promise<Map<string, { body: Buffer }>> {
  const out = new Map<string, { body: Buffer }>();
  for (const { name, path } of (await filesUnder(dir)) ?? []) out.set(name, { body: await readFile(path) });
  return out;
}

type Options = Handlebars.HelperOptions;
const root = (o: Options) => o.data.root as WebPageData;

function webHelpers(): Record<string, Handlebars.HelperDelegate> {
  return {
    /** {{dated when "datetime"}}: the one date format, in the viewer's zone, named. */
    dated(date: Date, style: DateStyle, o: Options) {
      const r = root(o);
      return dateText(date, typeof style === 'string' ? style : 'datetime', { zone: r.zone, now: () => r.now, mentions: () => undefined });
    },
    /** {{iso when}}: for <time datetime>. */
    iso: (date: Date) => date.toISOString(),
    /** {{dayLabel day.start}}: "Mon 7", a timeline tick in the viewer's zone. */
    dayLabel: (date: Date, o: Options) => format(date, 'EEE d', { in: tz(root(o).zone) }),
    /** {{monthLabel date}}: "December 2026". */
    monthLabel: (date: Date, o: Options) => format(date, 'MMMM yyyy', { in: tz(root(o).zone) }),
    /** {{plural 2 "update"}}: "2 updates"; {{plural 1 "update"}}: "1 update". */
    plural: (n: number, word: string, pluralWord?: unknown) => (typeof pluralWord === 'string' ? count(n, word, pluralWord) : count(n, word)),
    article: (word: string) => withArticle(word),
    possessive: (word: string) => possessive(word),
    percent: (done: number, total: number) => (total > 0 ? Math.round((100 * done) / total) : 0),
    eq: (a: unknown, b: unknown) => a === b,
    concat: (...args: unknown[]) => args.slice(0, -1).map(String).join(''),
    not: (a: unknown) => !a,
    and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
    or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
    /** {{humanize "in-progress"}}: "in progress". */
    humanize: (s: string) => String(s).replaceAll(/[-_]/g, ' '),
  };
}
