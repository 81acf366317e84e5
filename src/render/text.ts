/**
 * Plain-text templates for what a command-line tool prints (templates/<family>/**\/*.hbs, e.g.
 * templates/import/): no chat markers and no markup, and no escaping either, since the text goes
 * to a terminal or a file as it is. Partials live in templates/<family>/partials/. An operator's
 * DAY2_TEMPLATES_DIR/<family>/… replaces a shipped file of the same name, as for chat messages.
 *
 * Missing values are errors, as in chat templates (`{{x}}` throws when `x` is absent); the
 * presence helpers (`if`, `unless`, `eq`) accept them, so optional values are `{{#if x}}…{{/if}}`.
 * A template's last line ends with a newline like any text file; that newline is not part of
 * the text (the caller prints it as a line).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { count } from '../domain/wording.js';
import { filesUnder, packageRoot } from './renderer.js';

export interface TextRenderer {
  /** Render <family>/<name>.hbs (e.g. 'plan', 'errors/token-missing'); throws naming the template. */
  render(name: string, data?: Record<string, unknown>): string;
}

export interface TextRendererOptions {
  /** The folder under templates/ (and under the overlay) holding this tool's templates. */
  family: string;
  /** DAY2_TEMPLATES_DIR; an empty or unset one means no overlay. */
  overlayDir?: string | undefined;
  /** Shipped templates directory; defaults to <package root>/templates. */
  templatesDir?: string;
}

const PARTIALS = 'partials/';

export async function createTextRenderer(opts: TextRendererOptions): Promise<TextRenderer> {
  const files = await loadFamily(join(opts.templatesDir ?? join(packageRoot(), 'templates'), opts.family));
  if (opts.overlayDir?.trim()) for (const [name, file] of await loadFamily(join(opts.overlayDir.trim(), opts.family))) files.set(name, file);
  const hb = Handlebars.create();
  hb.registerHelper(textHelpers());
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  for (const [name, file] of files) {
    const template = compile(hb, file);
    if (name.startsWith(PARTIALS)) hb.registerPartial(name.slice(PARTIALS.length), template);
    else templates.set(name, template);
  }
  return {
    render(name, data = {}) {
      const template = templates.get(name);
      if (!template) throw new Error(`unknown template "${opts.family}/${name}" (known: ${[...templates.keys()].sort().join(', ')})`);
      try {
        return template(data).replace(/\n$/, '');
      } catch (err) {
        throw new Error(`template "${opts.family}/${name}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    },
  };
}

interface TextFile {
  path: string;
  source: string;
}

/** Every *.hbs under `dir` by its relative name without the extension (none when `dir` is absent). */
async function loadFamily(dir: string): Promise<Map<string, TextFile>> {
  const out = new Map<string, TextFile>();
  for (const { name, path } of (await filesUnder(dir)) ?? []) {
    // Windows line endings would end every printed line in "\r".
    if (name.endsWith('.hbs')) out.set(name.slice(0, -'.hbs'.length), { path, source: (await readFile(path, 'utf8')).replace(/\r\n?/g, '\n') });
  }
  return out;
}

/** Parsed now (Handlebars would wait for the first render), so a broken template fails the load with its file name. */
function compile(hb: typeof Handlebars, file: TextFile): Handlebars.TemplateDelegate {
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(file.source);
  } catch (err) {
    throw new Error(`${file.path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  // Terminal text: no HTML escaping, missing values throw, partials keep their own indentation.
  return hb.compile(ast, { noEscape: true, strict: true, preventIndent: true });
}

/** Handlebars passes its options object last; the positional arguments are the ones before it. */
const positional = (args: unknown[]) => args.slice(0, -1);

function textHelpers(): Record<string, Handlebars.HelperDelegate> {
  return {
    /** {{plural n "layer"}}: "1 layer", "2 layers" (src/domain/wording.ts count()); `n` may be a list. */
    plural: (...args: unknown[]) => {
      const [counted, one, many] = positional(args);
      const n = Array.isArray(counted) ? counted.length : counted;
      if (typeof n !== 'number' || typeof one !== 'string') throw new Error(`{{plural}}: expected a number or list and a word, got ${String(n)} ${String(one)}`);
      return typeof many === 'string' ? count(n, one, many) : count(n, one);
    },
    /** {{join items " + "}}: the items joined (default separator ", "). */
    join: (...args: unknown[]) => {
      const [items, sep] = positional(args);
      if (!Array.isArray(items)) throw new Error(`{{join}}: expected a list, got ${String(items)}`);
      return items.join(typeof sep === 'string' ? sep : ', ');
    },
    /** {{iso at}}: 2027-03-01T00:00:00.000Z; {{iso at "minute"}}: 2027-03-01T00:00Z when the seconds are zero. */
    iso: (...args: unknown[]) => {
      const [at, style] = positional(args);
      const date = at instanceof Date ? at : typeof at === 'number' || typeof at === 'string' ? new Date(at) : undefined;
      if (!date || Number.isNaN(date.getTime())) throw new Error(`{{iso}}: ${String(at)} is not a date`);
      return style === 'minute' ? date.toISOString().replace(':00.000Z', 'Z') : date.toISOString();
    },
    /** {{json name}}: a double-quoted string, as YAML and JSON read it. */
    json: (value: unknown) => JSON.stringify(value),
    eq: (a: unknown, b: unknown) => a === b,
  };
}
