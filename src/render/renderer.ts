/**
 * Loads Day2's Handlebars templates and renders them into neutral messages.
 *
 * Shipped templates live in <package root>/templates (found by walking up from this file, so it
 * works from src/ under vitest and from dist/src/ under node); an operator's overlay directory
 * (DAY2_TEMPLATES_DIR) may replace any of them, or any partial, by using the same relative path.
 * Everything is parsed at startup so a broken template fails the boot, not a user's command.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { OutboundMessage } from '../chat/message.js';
import { compileTemplate } from './compile-template.js';
import { createHelpers } from './helpers.js';
import type { MentionResolver, SerializeOptions } from './serialize-options.js';
import { toOutboundMessage } from './sections.js';

export interface Renderer {
  /** Render templates/<name>.hbs (e.g. 'help/overview') into a neutral message. Throws a clear Error on unknown template or missing variable. */
  render(name: string, data: Record<string, unknown>): OutboundMessage;
  has(name: string): boolean;
}

export interface RendererOptions {
  /** Operator templates that replace shipped ones of the same relative name (DAY2_TEMPLATES_DIR). */
  overlayDir?: string;
  /** Shipped templates directory; defaults to <package root>/templates. */
  templatesDir?: string;
  /**
   * Zone and names used where the renderer itself must write plain text (title, field labels,
   * button labels, summary: the line a notification shows). Defaults: UTC and the ids inside
   * mention references. A function is asked at each render, so a config reload applies at once.
   */
  zone?: string | (() => string);
  mentions?: MentionResolver;
}

const PARTIALS_DIR = 'partials';
/** Folders under templates/ that are not chat messages: the web pages (web.ts) and the import CLI's text (text.ts). */
const NOT_CHAT = ['web', 'import'];

export async function createRenderer(opts: RendererOptions = {}): Promise<Renderer> {
  const shippedDir = opts.templatesDir ?? join(packageRoot(), 'templates');
  const files = await loadDir(shippedDir);
  // An empty DAY2_TEMPLATES_DIR means "no overlay", like an unset one.
  if (opts.overlayDir) {
    const overlay = await loadDir(opts.overlayDir, true);
    for (const [name, source] of overlay) files.set(name, source);
  }

  const hb = Handlebars.create();
  hb.registerHelper(createHelpers());
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  // Partials first: they are compiled with the same rewrite, so `{{x}}` in a partial escapes too.
  for (const [name, file] of files) {
    if (!name.startsWith(`${PARTIALS_DIR}/`)) continue;
    hb.registerPartial(name.slice(PARTIALS_DIR.length + 1), compileTemplate(hb, file.source, file.path));
  }
  for (const [name, file] of files) {
    if (name.startsWith(`${PARTIALS_DIR}/`)) continue;
    templates.set(name, compileTemplate(hb, file.source, file.path));
  }

  const zoneNow = typeof opts.zone === 'function' ? opts.zone : () => (opts.zone as string | undefined) ?? 'UTC';
  const mentions = opts.mentions ?? (() => undefined);
  return {
    has: (name) => templates.has(name),
    render(name, data) {
      const template = templates.get(name);
      if (!template) {
        throw new Error(`unknown template "${name}" (known: ${[...templates.keys()].sort().join(', ')})`);
      }
      let output: string;
      try {
        output = template(data);
      } catch (err) {
        throw new Error(`template "${name}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      const plain: SerializeOptions = { zone: zoneNow(), mentions };
      return toOutboundMessage(output, plain, name);
    },
  };
}

interface TemplateFile {
  path: string;
  source: string;
}

/** Every *.hbs under `dir`, keyed by its path relative to `dir` without the extension. */
async function loadDir(dir: string, mustExist = false): Promise<Map<string, TemplateFile>> {
  const out = new Map<string, TemplateFile>();
  const files = await filesUnder(dir, NOT_CHAT);
  if (!files) {
    if (mustExist) throw new Error(`templates directory "${dir}" does not exist or is not a directory (check DAY2_TEMPLATES_DIR)`);
    return out;
  }
  for (const { name: file, path } of files) {
    if (!file.endsWith('.hbs')) continue;
    // Windows line endings would leave "\r" on marker lines; templates are line based.
    out.set(file.slice(0, -'.hbs'.length), { path, source: (await readFile(path, 'utf8')).replace(/\r\n?/g, '\n') });
  }
  return out;
}

/**
 * Every file under `dir` (undefined when it is not a directory), named by its path relative to
 * `dir` with `/` separators; the top-level folders named in `skipTop` are left out.
 */
export async function filesUnder(dir: string, skipTop: readonly string[] = []): Promise<{ name: string; path: string }[] | undefined> {
  if (!(await stat(dir).catch(() => undefined))?.isDirectory()) return undefined;
  const out: { name: string; path: string }[] = [];
  const walk = async (current: string): Promise<void> => {
    for (const entry of await readdir(current, { withFileTypes: true })) {
      const full = join(current, entry.name);
      if (entry.isDirectory() && !(current === dir && skipTop.includes(entry.name))) await walk(full);
      else if (entry.isFile()) out.push({ name: relative(dir, full).split(sep).join('/'), path: full });
    }
  };
  await walk(dir);
  return out;
}

/** The directory holding package.json above this module (src/render or dist/src/render). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
