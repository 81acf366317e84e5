/** Test helper: a renderer over templates written to a temporary directory. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRenderer, type Renderer, type RendererOptions } from '../../../src/render/renderer.js';

export async function writeTemplates(files: Record<string, string>): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'day2-templates-'));
  for (const [name, source] of Object.entries(files)) {
    const path = join(dir, `${name}.hbs`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, source);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Renderer whose only templates are `files` (no shipped ones). */
export async function inlineRenderer(files: Record<string, string>, opts: RendererOptions = {}): Promise<Renderer & { cleanup: () => Promise<void> }> {
  const { dir, cleanup } = await writeTemplates(files);
  const renderer = await createRenderer({ ...opts, templatesDir: dir });
  return { ...renderer, has: renderer.has, render: renderer.render, cleanup };
}
